"""Candidate partnerships: which (supporter, recipient, kind) arcs the model may choose, and why others may not.

Every pair is checked against every rule, and *all* the rules it breaks are kept (as a bit
mask, turned into rule ids and plain English on demand), so a regulator can see the whole
reason a pair is ruled out, not just the first. Eligible arcs carry the fit breakdown,
distance, capacity units, incentive cost and the objective coefficients the solver uses.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date

import numpy as np
import pandas as pd

from . import rules
from .classify import Classification
from .domain import KINDS, SCORE_SCALE, Exclusion, Kind, Role
from .fit import fit_breakdown, fit_inputs, metric_percentiles, term_columns
from .geography import haversine_between_km
from .incentives import incentive_gbp
from .peers import peer_groups_in
from .rules.peers import compatibility
from .settings import Settings


def evaluate_pairs(trusts: pd.DataFrame, classes: dict[str, Classification], settings: Settings, as_of: date,
                   supporters: Iterable[str], recipients: Iterable[str], kinds: Iterable[str] = KINDS,
                   exclusions: Iterable[Exclusion] = (), recipient_status_rules: bool = True,
                   keep_rejected: bool = True, fit_terms: bool = True, block: int = 256) -> pd.DataFrame:
    """Check every (supporter, recipient, kind) against every rule and price the pair.

    Args:
        trusts: the canonical trust table (any index; looked up by ``code``).
        classes: classifications by trust code.
        settings: the configuration (rules, limits, weights and incentives).
        as_of: the date ratings are aged against.
        supporters: trust codes on the supporting side (a trust is never paired with itself).
        recipients: trust codes on the receiving side.
        kinds: ``buddy`` and/or ``management_contract``.
        exclusions: pairs ruled out, with why.
        recipient_status_rules: check that a management-contract recipient is in persistent
            difficulty; off when asking "who could support this trust" of any trust.
        keep_rejected: return rejected pairs too (off for very large instances: eligible arcs only).
        fit_terms: include one column per fit term (off for very large instances: ``fit`` only).
        block: supporters handled at a time, to bound memory; rules are checked before fit is computed.

    Returns:
        One row per pair with ``failed`` (bit mask of ``matcher.rules.RULES``; 0 = eligible), ``distance_km``,
        ``units``, the fit terms and ``fit``, ``score`` (points), ``incentive_annual_gbp``,
        ``incentive_term_gbp`` and ``coverage`` (the recipient's coverage weight for this kind).
    """
    table = trusts.set_index("code", drop=False)
    sup_codes, rec_codes, kind_list = list(supporters), list(recipients), list(kinds)
    context = _PairContext(table, classes, settings, as_of, sup_codes, rec_codes, exclusions, recipient_status_rules)
    frames = [context.block(sup_codes[i:i + block], kind_list, keep_rejected, fit_terms)
              for i in range(0, len(sup_codes), block)]
    if not frames:
        return context.block([], kind_list, keep_rejected, fit_terms)
    return pd.concat(frames, ignore_index=True)


class _PairContext:
    """Per-trust arrays shared by every block of supporters (looked up once, indexed per pair)."""

    def __init__(self, table: pd.DataFrame, classes: dict[str, Classification], settings: Settings, as_of: date,
                 all_supporters: list[str], rec_codes: list[str], exclusions: Iterable[Exclusion],
                 recipient_status_rules: bool):
        self.table, self.classes, self.settings, self.as_of = table, classes, settings, as_of
        self.all_supporters, self.rec_codes = all_supporters, rec_codes
        self.exclusions = tuple(exclusions)
        self.status_rules = recipient_status_rules
        self.pct = metric_percentiles(table, settings)
        self.peers = {code: peer_groups_in(cell)
                      for code, cell in zip(table["code"], table["peer_groups"], strict=True)}
        self.peer_kinds = sorted(set(self.peers.values()))
        peer_index = {p: i for i, p in enumerate(self.peer_kinds)}
        self.peer_index = {code: peer_index[p] for code, p in self.peers.items()}
        self.peers_allowed, self.peers_shared = _peer_matrices(settings, self.peer_kinds)
        self.code_index = {code: i for i, code in enumerate(table["code"])}
        self.group_pairs = _group_pair_keys(table, self.code_index)
        self.region = pd.factorize(table["region"], use_na_sentinel=True)[0]
        rec = table.loc[rec_codes]
        self.fit_inputs = fit_inputs(table)
        self.rec_fit_inputs = self.fit_inputs.loc[rec_codes]
        self.rec_pct = self.pct.loc[rec_codes].reset_index(drop=True)
        self.r_code = np.array(rec_codes, dtype=object)
        self.r_pos = np.array([self.code_index[c] for c in rec_codes], dtype=np.int64)
        self.r_lat, self.r_lon = rec["latitude"].astype(float).to_numpy(), rec["longitude"].astype(float).to_numpy()
        self.r_peer = np.array([self.peer_index[c] for c in rec_codes], dtype=np.int64)
        self.r_long_term = rec["group_long_term"].astype(bool).to_numpy()
        self.r_size = rec["income_gbp"].astype(float).to_numpy()
        self.r_persistent = np.array([classes[c].persistent for c in rec_codes], dtype=bool)
        self.r_severity = np.array([classes[c].severity for c in rec_codes], dtype=float)

    def grid(self, sup_codes: list[str]) -> tuple[np.ndarray, np.ndarray, rules.PairFacts]:
        """Every (supporter, recipient) of a block, supporter-major, a trust never paired with itself.

        Returns each pair's supporter position (in ``sup_codes``), recipient position (in the
        recipients) and the facts the rules read, for the pairs under any one kind: what depends
        on the trusts alone is worked out once however many kinds are checked.
        """
        table = self.table
        s_pos = np.array([self.code_index[c] for c in sup_codes], dtype=np.int64)
        ps, pr = (a.ravel() for a in np.meshgrid(np.arange(len(sup_codes)), np.arange(len(self.rec_codes)),
                                                  indexing="ij"))
        apart = s_pos[ps] != self.r_pos[pr]
        ps, pr = ps[apart], pr[apart]
        sup_rows = table.loc[sup_codes]
        s_lat, s_lon = sup_rows["latitude"].astype(float).to_numpy(), sup_rows["longitude"].astype(float).to_numpy()
        s_peer = np.array([self.peer_index[c] for c in sup_codes], dtype=np.int64)[ps]
        s_region, r_region = self.region[s_pos][ps], self.region[self.r_pos][pr]
        facts = rules.PairFacts(
            settings=self.settings, supporter=np.array(sup_codes, dtype=object)[ps], recipient=self.r_code[pr],
            kind=np.zeros(len(ps), dtype=object),
            is_supporter=np.array([self.classes[c].role is Role.SUPPORTER for c in sup_codes], dtype=bool)[ps],
            is_mc_supporter=np.array([self.classes[c].mc_supporter for c in sup_codes], dtype=bool)[ps],
            recipient_persistent=self.r_persistent[pr],
            peers_allowed=self.peers_allowed[s_peer, self.r_peer[pr]],
            peers_shared=self.peers_shared[s_peer, self.r_peer[pr]],
            same_group=_among(s_pos[ps] * len(self.code_index) + self.r_pos[pr], self.group_pairs),
            recipient_long_term_group=self.r_long_term[pr],
            distance_km=haversine_between_km(s_lat, s_lon, self.r_lat, self.r_lon, ps, pr),
            same_region=(s_region == r_region) & (s_region >= 0),
            supporter_income=sup_rows["income_gbp"].astype(float).to_numpy()[ps], recipient_income=self.r_size[pr],
            exclusions=self.exclusions, recipient_status_rules=self.status_rules)
        return ps, pr, facts

    def block(self, sup_codes: list[str], kind_list: list[str], keep_rejected: bool, fit_terms: bool) -> pd.DataFrame:
        s = self.settings
        ps, pr, grid = self.grid(sup_codes)
        kinds = np.array([str(k) for k in kind_list], dtype=object)
        n_kinds = max(len(kinds), 1)
        # Pair order is (supporter, recipient, kind): the rules are checked for one kind at a time over the
        # grid and their masks interleaved; a very large instance keeps only the eligible pairs from here on.
        by_kind = np.zeros((len(ps), len(kinds)), dtype=np.int64)
        for k in range(len(kinds)):
            by_kind[:, k] = rules.check_all(replace(grid, kind=np.repeat(kinds[k:k + 1], len(ps))))
        failed = by_kind.ravel()
        rows = np.arange(len(failed)) if keep_rejected else np.flatnonzero(failed == 0)
        pair, ki = rows // n_kinds, rows % n_kinds
        si, ri, failed = ps[pair], pr[pair], failed[rows]
        kind = kinds[ki]
        is_mc = (kinds == Kind.MANAGEMENT_CONTRACT)[ki]
        s_code, r_code = grid.supporter[pair], grid.recipient[pair]
        distance, ratio, r_size = grid.distance_km[pair], grid.size_ratio[pair], grid.recipient_income[pair]
        persistent, same_region = grid.recipient_persistent[pair], grid.same_region[pair]
        sup = self.fit_inputs.loc[sup_codes].iloc[si].reset_index(drop=True)
        rec = self.rec_fit_inputs.iloc[ri].reset_index(drop=True)
        fit = fit_breakdown(sup, rec, self.pct.loc[sup_codes].iloc[si].reset_index(drop=True),
                            self.rec_pct.iloc[ri].reset_index(drop=True), s, self.as_of)
        score_value = fit["fit"].to_numpy() - s.geography.distance_penalty_per_km * np.nan_to_num(distance)
        cross_region = ~same_region
        points = (np.round(score_value * SCORE_SCALE).astype(np.int64)
                  - np.where(cross_region, s.geography.cross_region_penalty, 0))
        failed = failed | rules.check_scored(grid, points)
        annual, term = incentive_gbp(kind, r_size, s.incentives)
        mc_units = s.capacity.mc_units * np.ceil(np.nan_to_num(ratio, nan=1.0) - 1e-9).clip(min=1)
        units = np.where(is_mc, mc_units, s.capacity.buddy_units).astype(int)
        severity = self.r_severity[ri]
        coverage = np.where(~is_mc & persistent, severity * s.weights.buddy_for_persistent, severity)
        labels = ({"supporter": s_code, "recipient": r_code, "kind": kind} if fit_terms
                  else self.labels(sup_codes, kind_list, si, ri, ki))
        out = pd.DataFrame({
            **labels, "failed": failed,
            "distance_km": np.round(distance, 1), "units": units,
            "score": points,
            "cross_region": cross_region, "load_gbp": np.round(np.nan_to_num(r_size)).astype(np.int64),
            "incentive_annual_gbp": np.round(np.nan_to_num(annual)).astype(np.int64),
            "incentive_term_gbp": np.round(np.nan_to_num(term)).astype(np.int64),
            "coverage": coverage, "size_ratio": np.round(ratio, 2),
        })
        columns = [*term_columns(s), "fit"] if fit_terms else ["fit"]
        out = pd.concat([out, fit[columns].round(3)], axis=1)
        return out if fit_terms else self.compact(out)

    def labels(self, sup_codes: list[str], kind_list: list[str], si: np.ndarray, ri: np.ndarray,
               ki: np.ndarray) -> dict[str, pd.Categorical]:
        """Each pair's supporter, recipient and kind as categories (for ``compact``), from positions, not text."""
        sup_at = {c: i for i, c in enumerate(self.all_supporters)}
        kind_at = {str(k): i for i, k in enumerate(KINDS)}
        return {
            "supporter": pd.Categorical.from_codes(np.array([sup_at.get(c, -1) for c in sup_codes], dtype=np.int64)[si],
                                                   dtype=pd.CategoricalDtype(self.all_supporters)),
            "recipient": pd.Categorical.from_codes(ri, dtype=pd.CategoricalDtype(self.rec_codes)),
            "kind": pd.Categorical.from_codes(np.array([kind_at.get(str(k), -1) for k in kind_list],
                                                       dtype=np.int64)[ki],
                                              dtype=pd.CategoricalDtype([str(k) for k in KINDS])),
        }

    def compact(self, out: pd.DataFrame) -> pd.DataFrame:
        """Small dtypes for very large arc tables (codes already categories, from ``labels``; about 40 bytes an arc)."""
        return out.astype({
            "failed": np.int32, "distance_km": np.float32,
            "units": np.int16, "score": np.int32, "cross_region": bool, "load_gbp": np.int64,
            "incentive_annual_gbp": np.int64, "incentive_term_gbp": np.int64,
            "coverage": np.float32, "size_ratio": np.float32, "fit": np.float32})


def fit_terms_for(trusts: pd.DataFrame, settings: Settings, as_of: date, supporters: list[str],
                  recipients: list[str]) -> pd.DataFrame:
    """The fit breakdown of aligned (supporter, recipient) pairs, for arcs stored without it."""
    table = trusts.set_index("code", drop=False)
    pct = metric_percentiles(table, settings)
    frame = fit_breakdown(table.loc[supporters].reset_index(drop=True), table.loc[recipients].reset_index(drop=True),
                          pct.loc[supporters].reset_index(drop=True), pct.loc[recipients].reset_index(drop=True),
                          settings, as_of)
    return frame.round(3)


def failed_rules(mask: int) -> list[str]:
    """The rule ids in a ``failed`` bit mask, in the registry's order."""
    return rules.failed_rules(mask)


def describe_failures(row: pd.Series | dict, trusts: pd.DataFrame, settings: Settings,
                      exclusions: Iterable[Exclusion] = ()) -> str:
    """Plain English for every rule a pair breaks, e.g. "212 km apart, over the 200 km limit for buddying"."""
    return rules.describe(row, rules.Words(trusts, settings, tuple(exclusions)))


def _peer_matrices(settings: Settings, kinds: list[tuple[str, ...]]) -> tuple[np.ndarray, np.ndarray]:
    """For every pair of peer-group combinations: may the first support the second, and do they share one."""
    n = len(kinds)
    pairs = [(a, b) for a in kinds for b in kinds]
    allowed, shared = compatibility(settings, [a for a, _ in pairs], [b for _, b in pairs])
    return allowed.reshape(n, n), shared.reshape(n, n)


def _group_pair_keys(table: pd.DataFrame, index: dict[str, int]) -> np.ndarray:
    """``supporter * n + recipient`` (trust positions) for every ordered pair of members of one group."""
    members: dict[str, list[int]] = {}
    for code, cell in zip(table["code"], table["groups"], strict=True):
        for name in (cell.split(" · ") if isinstance(cell, str) else ()):
            members.setdefault(name, []).append(index[code])
    n = len(index)
    return np.array(sorted({a * n + b for group in members.values() for a in group for b in group if a != b}),
                    dtype=np.int64)


def _among(keys: np.ndarray, sorted_keys: np.ndarray) -> np.ndarray:
    """Which ``keys`` are in ``sorted_keys`` (sorted, unique): ``np.isin`` without sorting the keys."""
    if not len(sorted_keys):
        return np.zeros(len(keys), dtype=bool)
    at = np.searchsorted(sorted_keys, keys).clip(max=len(sorted_keys) - 1)
    return sorted_keys[at] == keys
