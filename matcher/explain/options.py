"""The facts every explanation reads: what the plan uses, and each recipient's options, indexed once.

``PlanIndex`` holds the plan's capacity use, spend and chosen arcs, and each recipient's
options (its eligible arcs and its rejected pairs) without copying anything the size of the
arcs table: per-recipient positions come from one stable sort of integer keys, and only each
recipient's best few options are built as rows. Rows are plain dicts (a chosen arc, an uncovered
recipient's eligible arcs from column arrays taken once), since the swap checks read tens of
thousands of them and a pandas row costs microseconds a field. No sentence is written here (see ``wording``).
"""
from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from datetime import date
from itertools import repeat
from typing import Any

import numpy as np
import pandas as pd

from .. import rules
from ..candidates import fit_terms_for
from ..domain import Pair
from ..fit import TERM_LABELS, term_columns
from ..geography import EARTH_RADIUS_KM, haversine_km
from ..model.instance import MatchInstance

#: Options kept per recipient for the alternatives (the chosen one plus three).
TOP = 4

_NONE = np.zeros(0, dtype=np.int64)

#: The numeric arc columns the swap checks and "what would change it" read, row by row.
_CHECKED = ("units", "distance_km", "load_gbp", "incentive_annual_gbp", "coverage", "score")


def fit_breakdown_of(arc: Mapping[str, Any], instance: MatchInstance) -> dict[str, float]:
    """The non-zero fit terms of an arc (a row or its dict), by readable label (empty if stored without them)."""
    return {TERM_LABELS.get(c, c): float(arc[c]) for c in term_columns(instance.settings)
            if c in arc and float(arc[c]) > 0}


def with_fit_terms(instance: MatchInstance, rows: pd.DataFrame) -> pd.DataFrame:
    """Arc rows with their fit breakdown columns, computing them when the instance stored fit only."""
    columns = term_columns(instance.settings)
    if all(c in rows.columns for c in columns) or rows.empty:
        return rows
    terms = fit_terms_for(instance.trusts, instance.settings, instance.as_of or date.today(),
                          rows["supporter"].astype(str).tolist(), rows["recipient"].astype(str).tolist())
    return pd.concat([rows.reset_index(drop=True), terms[columns].reset_index(drop=True)], axis=1).set_axis(rows.index)


class PlanIndex:
    """Plan facts (capacity used and by whom, spend) and every recipient's options, for one plan."""

    def __init__(self, instance: MatchInstance, chosen: list[Pair]):
        self.instance = instance
        self.settings = instance.settings
        self.chosen = chosen
        self.covered = {p.recipient for p in chosen}
        self.capacity = dict(zip(instance.supporters["code"], instance.supporters["capacity_units"], strict=True))
        self.load_limit = dict(zip(instance.supporters["code"], instance.supporters["load_limit_gbp"], strict=True))
        self.income = dict(zip(instance.supporters["code"], instance.supporters["income_gbp"], strict=True))
        self.where = {c: (lat, lon) for c, lat, lon in zip(instance.recipients["code"], instance.recipients["latitude"],
                                                          instance.recipients["longitude"], strict=True)}
        self._apart: dict[tuple[str, str], float] = {}
        self._index_positions(instance)
        self._index_chosen(instance)
        self.used: dict[str, int] = defaultdict(int)
        self.load: dict[str, int] = defaultdict(int)
        self.served: dict[str, list[str]] = defaultdict(list)
        self.pairs_of: dict[str, list[Pair]] = defaultdict(list)  # each supporter's chosen pairs, in plan order
        for p in chosen:
            self.used[p.supporter] += int(self.arc(p)["units"])
            self.load[p.supporter] += int(self.arc(p)["load_gbp"])
            self.served[p.supporter].append(p.recipient)
            self.pairs_of[p.supporter].append(p)
        self.partner = {p.recipient: p for p in chosen}
        self.spend = sum(int(self.arc(p)["incentive_annual_gbp"]) for p in chosen)
        self.severity = dict(zip(instance.recipients["code"], instance.recipients["severity"], strict=True))
        self._index_options(instance)

    def arc(self, pair: Pair) -> dict[str, Any]:
        """The chosen arc of a pair of the plan."""
        return self._arc_of[pair]

    def arc_with_terms(self, pair: Pair) -> dict[str, Any]:
        """The chosen arc of a pair, with its fit breakdown."""
        return self._with_terms[pair]

    def apart_km(self, a: str, b: str) -> float:
        """Distance between two recipients' head offices (NaN where one is unknown), each pair computed once."""
        km = self._apart.get((a, b))
        if km is None:
            (lat1, lon1), (lat2, lon2) = (self.where.get(a, (math.nan, math.nan)),
                                          self.where.get(b, (math.nan, math.nan)))
            km = self._apart[(a, b)] = float(haversine_km(lat1, lon1, lat2, lon2))
        return km

    def measure_from(self, recipient: str, others: list[str]) -> None:
        """Compute the distances from one recipient to many in one pass, for ``apart_km`` to read."""
        todo = [r for r in dict.fromkeys(others) if (recipient, r) not in self._apart]
        if not todo:
            return
        lat, lon = self.where.get(recipient, (math.nan, math.nan))
        where = [self.where.get(r, (math.nan, math.nan)) for r in todo]
        km = pairwise_km(lat, lon, np.array([w[0] for w in where], dtype=np.float64),
                         np.array([w[1] for w in where], dtype=np.float64))
        self._apart.update(zip([(recipient, r) for r in todo], km.tolist(), strict=True))

    def rows_at(self, positions: np.ndarray) -> list[dict[str, Any]]:
        """Rows of the arcs table at ``positions``, as dicts of the columns the checks read (in that order)."""
        columns = {c: values[positions].tolist() for c, values in self._columns.items()}
        return [dict(zip(columns, row, strict=True)) for row in zip(*columns.values(), strict=True)]

    def column(self, name: str) -> np.ndarray:
        """One of the arc columns the checks read, as an array over the whole arcs table."""
        return self._columns[name]

    def top(self, recipient: str) -> list[dict[str, Any]]:
        """A recipient's best few options: eligible ones by coverage then score, then real alternatives."""
        return self._top.get(recipient, [])

    def eligible_positions(self, recipient: str) -> np.ndarray:
        """Positions of a recipient's eligible arcs in the arcs table, in table order."""
        return self.positions[0].get(recipient, _NONE)

    def options_for(self, recipient: str) -> pd.DataFrame:
        """Every pair considered for a recipient, eligible or not (arcs first, then rejected pairs)."""
        parts = [self.instance.arcs.iloc[self.positions[0].get(recipient, _NONE)].assign(eligible=True)]
        if len(self.positions) > 1:
            parts.append(self.instance.rejected.iloc[self.positions[1].get(recipient, _NONE)].assign(eligible=False))
        rows = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0].reset_index(drop=True)
        rows["recipient"] = rows["recipient"].astype(str)
        return rows

    def _index_positions(self, instance: MatchInstance) -> None:
        """Each recipient's option positions (arcs, then rejected pairs), and the arc columns the checks read."""
        arcs, rejected = instance.arcs, instance.rejected
        self._parts = [arcs] + ([rejected] if len(rejected) else [])
        self._keys = _sorted_codes([p["recipient"] for p in self._parts])
        self.positions: list[dict[str, np.ndarray]] = [_group_positions(k, names) for k, names in self._keys]
        supporter_codes, supporter_names = _codes(arcs["supporter"])
        self.arc_supporter_code, self.supporter_names = supporter_codes, supporter_names  # each arc's, as a number
        self.arc_supporter = np.asarray(supporter_names, dtype=object)[supporter_codes] if len(arcs) else \
            np.zeros(0, dtype=object)
        arc_key, recipient_names = self._keys[0]
        kind_codes, kind_names = _codes(arcs["kind"])
        self._columns = {"supporter": self.arc_supporter,
                         "recipient": np.asarray(recipient_names, dtype=object)[arc_key] if len(arcs) else
                         np.zeros(0, dtype=object),
                         "kind": np.asarray(kind_names, dtype=object)[kind_codes] if len(arcs) else
                         np.zeros(0, dtype=object),
                         **{c: arcs[c].to_numpy() for c in _CHECKED}}

    def _index_chosen(self, instance: MatchInstance) -> None:
        """The chosen arcs' rows (with their fit breakdown), found among their recipients' options."""
        positions = np.array([self._position_of(p) for p in self.chosen], dtype=np.int64)
        rows = instance.arcs.iloc[positions]
        self._arc_of = dict(zip(self.chosen, rows.to_dict("records"), strict=True))
        plain = rows.reset_index(drop=True)
        terms = with_fit_terms(instance, plain)
        self._with_terms = self._arc_of if terms is plain else \
            dict(zip(self.chosen, terms.to_dict("records"), strict=True))

    def _position_of(self, pair: Pair) -> int:
        """The position of a chosen pair's arc in the arcs table (KeyError if it is not an arc)."""
        at = self.positions[0].get(pair.recipient, _NONE)
        match = at[(self.arc_supporter[at] == pair.supporter) & (self._columns["kind"][at] == pair.kind)]
        if not len(match):
            raise KeyError(pair)
        return int(match[0])

    def _index_options(self, instance: MatchInstance) -> None:
        """Each recipient's best few options.

        The best few are the eligible options first (coverage, then score), then the rejected
        pairs that are real alternatives (the kind is on offer), by score, ties in table order.
        """
        arcs, rejected, parts, keys = instance.arcs, instance.rejected, self._parts, self._keys
        # The dtype the whole options table would have (scores sort and print as that dtype).
        score_dtype = pd.concat([p["score"].iloc[:0] for p in parts]).dtype if len(parts) > 1 else arcs["score"].dtype
        self.arc_score = arcs["score"].to_numpy().astype(getattr(score_dtype, "numpy_dtype", score_dtype), copy=False)
        picked = []
        arc_key, _ = keys[0]
        order = _by_recipient_coverage_score(arc_key, arcs["coverage"].to_numpy(np.float64), arcs["score"].to_numpy())
        picked.append((0, order[_rank_in_group(arc_key[order]) < TOP]))
        if len(parts) > 1:
            rej_key, _ = keys[1]
            real = np.flatnonzero((rejected["failed"].to_numpy() & rules.NOT_AN_OPTION) == 0)
            order = real[np.lexsort((-rejected["score"].to_numpy(np.float64)[real], rej_key[real]))]
            picked.append((1, order[_rank_in_group(rej_key[order]) < TOP]))
        frames = [parts[k].iloc[np.sort(pos)].assign(eligible=(k == 0)) for k, pos in picked]
        top = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0].reset_index(drop=True)
        top["recipient"] = top["recipient"].astype(str)
        top["_eligible"] = top["eligible"].astype(int)
        top["_coverage"] = top["coverage"].where(top["eligible"], 0)
        top = top.sort_values(["recipient", "_eligible", "_coverage", "score"], ascending=[True, False, False, False],
                              kind="stable")
        top = top.groupby("recipient", sort=False).head(TOP)
        self._top: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in top.to_dict("records"):
            self._top[row["recipient"]].append(row)


def pairwise_km(lat: float, lon: float, lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    """``haversine_km`` from one point to many, each distance bit for bit what it gives for that pair alone.

    Given single points, ``haversine_km`` squares with ``pow`` (numpy's scalar power), while over
    arrays numpy squares by multiplying; the two differ in the last bit now and then, which could
    move a distance across the spread limit or a rounding. The squares here go through ``pow``
    (``math.pow``, the C library's, as ``x ** 2`` on a float), so an explanation says exactly what
    it said when it measured pair by pair.
    """
    p1 = np.radians(np.full(len(lats), lat, dtype=np.float64))
    p2 = np.radians(np.asarray(lats, dtype=np.float64))
    dphi = p2 - p1
    dlmb = np.radians(np.asarray(lons, dtype=np.float64) - np.float64(lon))
    sin_phi = np.fromiter(map(math.pow, np.sin(dphi / 2).tolist(), repeat(2.0)), dtype=np.float64, count=len(lats))
    sin_lmb = np.fromiter(map(math.pow, np.sin(dlmb / 2).tolist(), repeat(2.0)), dtype=np.float64, count=len(lats))
    a = sin_phi + np.cos(p1) * np.cos(p2) * sin_lmb
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def _codes(values: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Integer codes of a column and the text each code stands for."""
    codes, uniques = pd.factorize(values)
    return codes, [str(u) for u in uniques]


def _sorted_codes(columns: list[pd.Series]) -> list[tuple[np.ndarray, list[str]]]:
    """Codes shared by several columns, numbered in text order (so sorting codes sorts the text)."""
    factored = [_codes(c) for c in columns]
    names = sorted(set().union(*(set(n) for _, n in factored)))
    number = {n: k for k, n in enumerate(names)}
    return [(np.array([number[n] for n in own], dtype=np.int64)[codes] if len(own) else codes.astype(np.int64), names)
            for codes, own in factored]


def _group_positions(keys: np.ndarray, names: list[str]) -> dict[str, np.ndarray]:
    """Positions of each key's rows, in table order."""
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]]) if len(keys) else _NONE
    ends = np.r_[starts[1:], len(keys)]
    return {names[sorted_keys[a]]: order[a:b] for a, b in zip(starts, ends, strict=True)}


def _by_recipient_coverage_score(keys: np.ndarray, coverage: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Arc positions by recipient key, then coverage and score highest first (unknown last), ties in table order.

    Whole scores (the usual case) fold into one integer key and one stable sort, about half the time
    of sorting on three keys (millions of arcs at 20,000 providers); the order is the same.
    """
    if not len(keys) or score.dtype.kind not in "iu":
        return np.lexsort((-score.astype(np.float64), -coverage, keys))
    levels, coverage_rank = np.unique(-coverage, return_inverse=True)  # unknown (NaN) last
    low, high = int(score.min()), int(score.max())
    if (int(keys.max()) + 1) * len(levels) * (high - low + 1) >= 2**62:
        return np.lexsort((-score.astype(np.float64), -coverage, keys))
    key = (keys.astype(np.int64) * len(levels) + coverage_rank.reshape(-1)) * (high - low + 1) \
        + (high - score.astype(np.int64))
    return np.argsort(key, kind="stable")


def _rank_in_group(sorted_keys: np.ndarray) -> np.ndarray:
    """Each row's rank within its run of equal keys."""
    if not len(sorted_keys):
        return _NONE
    starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
    return np.arange(len(sorted_keys)) - np.repeat(starts, np.diff(np.r_[starts, len(sorted_keys)]))
