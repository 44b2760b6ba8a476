"""Every supporter's plan facts and chosen pairs as arrays, for checks over many supporters at once.

The swap checks of ``uncovered`` read one supporter at a time, as dicts; at 20,000 providers an
uncovered recipient has hundreds of eligible supporters, and ``unnamed`` checks them all at once
over these arrays (built once per plan): capacity, use, load and limit by supporter number, and
each supporter's chosen pairs as one run of the pair arrays, in plan order.
"""
from __future__ import annotations

import numpy as np

from .uncovered import SwapCheck

_NONE = np.zeros(0, dtype=np.int64)
_START = np.zeros(1, dtype=np.int64)


class Supporters:
    """Each supporter's plan facts and its chosen pairs as arrays, for checks over many supporters at once."""

    def __init__(self, swaps: SwapCheck):
        self.swaps = swaps
        self.ix = index = swaps.ix
        instance = index.instance
        codes = list(dict.fromkeys([*map(str, instance.supporters["code"]), *index.supporter_names]))
        self.codes = np.asarray(codes, dtype=object)
        number = {c: k for k, c in enumerate(codes)}
        self.arc_id = np.array([number[c] for c in index.supporter_names], dtype=np.int64)[index.arc_supporter_code] \
            if len(index.arc_supporter) else np.zeros(0, dtype=np.int64)
        self.capacity = np.array([index.capacity.get(c, 0) for c in codes], dtype=np.float64)
        self.used = np.array([index.used.get(c, 0) for c in codes], dtype=np.float64)
        self.load = np.array([index.load.get(c, 0) for c in codes], dtype=np.float64)
        self.limit = np.array([float(index.load_limit.get(c, np.inf)) for c in codes], dtype=np.float64)
        # Each supporter's chosen pairs, in plan order, as one run of the pair arrays.
        pairs = [p for c in codes for p in index.pairs_of.get(c, [])]
        counts = np.array([len(index.pairs_of.get(c, [])) for c in codes], dtype=np.int64)
        self.count, self.start = counts, np.r_[0, np.cumsum(counts)[:-1]].astype(np.int64)
        self.pairs = pairs
        arcs = [index.arc(p) for p in pairs]
        self.held_units = np.array([int(a["units"]) for a in arcs], dtype=np.float64)
        self.held_load = np.array([int(a["load_gbp"]) for a in arcs], dtype=np.float64)
        self.held_cost = np.array([int(a["incentive_annual_gbp"]) for a in arcs], dtype=np.float64)
        self.held_coverage = np.array([float(a["coverage"]) for a in arcs], dtype=np.float64)
        self.held_score = np.array([int(a["score"]) for a in arcs], dtype=np.float64)
        self.held_locked = np.array([bool(a.get("locked", False)) for a in arcs], dtype=bool)
        where = [index.where.get(p.recipient, (np.nan, np.nan)) for p in pairs]
        self.lat = np.array([w[0] for w in where], dtype=np.float64)
        self.lon = np.array([w[1] for w in where], dtype=np.float64)
        self.cos_lat = np.cos(np.radians(self.lat))
        # The arc columns the counts read, as floats once (unknown coverage sorts last, as ``SwapCheck`` sorts).
        self.arc_coverage = index.column("coverage").astype(np.float64)
        self.arc_less_score = -index.column("score").astype(np.float64)
        self.arc_less_coverage = -np.nan_to_num(self.arc_coverage, nan=-np.inf)
        self.arc_no_coverage = np.isnan(self.arc_coverage)
        self.owner = np.repeat(np.arange(len(codes)), counts)
        self._index_groups(pairs)

    def _index_groups(self, pairs: list) -> None:
        """Each pair's score with its group bonus, and the pairs in each group (for the bonus a swap would earn)."""
        swaps = self.swaps
        self.bonus = swaps.settings.groups.same_supporter_bonus
        self.held_keep = np.array([swaps._held(p).keep for p in pairs], dtype=np.float64)
        members: dict[str, list[int]] = {}
        for k, p in enumerate(pairs):
            for group in dict.fromkeys(swaps.groups_of(p.recipient)):
                members.setdefault(group, []).append(k)
        self.group_pairs = {g: np.array(ks, dtype=np.int64) for g, ks in members.items()}

    def sharing(self, recipient: str) -> np.ndarray:
        """The pairs whose recipient shares a group with ``recipient`` (their positions)."""
        groups = self.swaps.groups_of(recipient)
        found = [self.group_pairs[g] for g in groups if g in self.group_pairs]
        return np.concatenate(found) if found else _NONE

    def best_options(self, positions: np.ndarray) -> np.ndarray:
        """Each supporter's first arc of ``positions`` (a recipient's arcs, best first), in that order."""
        ids = self.arc_id[positions]
        by_id = np.argsort(ids, kind="stable")
        return positions[np.sort(by_id[run_starts(ids[by_id])])]


def run_starts(keys: np.ndarray) -> np.ndarray:
    """Where each run of equal keys starts."""
    if not len(keys):
        return _NONE
    starts = np.flatnonzero(keys[1:] != keys[:-1])
    starts += 1
    return np.concatenate((_START, starts))


def runs(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The positions ``start, start+1, ..., start+count-1`` of each run, one after another."""
    total = int(counts.sum())
    if not total:
        return _NONE
    offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    return np.repeat(starts, counts) + offsets
