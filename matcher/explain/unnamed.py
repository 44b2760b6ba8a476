"""The eligible supporters an explanation does not name: what stops each, counted over arrays.

An uncovered recipient names its ``NAMED`` most relevant supporters one by one (``uncovered``);
at 20,000 providers it may have hundreds more, and writing each would be a book per recipient.
The rest are counted by the reason that stops them, with the same checks as the named ones but
run over numpy arrays of their options and the plan's pairs, so no sentence and no row is built
for them. ``Supporters`` also finds, over every eligible supporter, the one fewest raised limits
would let take the recipient ("what would change it").
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..geography import EARTH_RADIUS_KM
from .options import pairwise_km
from .uncovered import CAUSES, SwapCheck

_NONE = np.zeros(0, dtype=np.int64)
_START = np.zeros(1, dtype=np.int64)

#: The reasons a supporter with room is stopped, in the order they are checked (``SwapCheck._blocked``).
ROOM = ("load", "spread", "budget", "other")


@dataclass(frozen=True)
class Unnamed:
    """How many of a recipient's unnamed eligible supporters each reason stops (every supporter counted once).

    ``full``: supporters without room, by the first check that fails on the swap coming nearest to being
    allowed (a cause of ``uncovered.CAUSES``); ``room``: supporters with room, by the first check that stops
    them (``ROOM``). Reasons that stop none are left out.
    """

    full: dict[str, int] = field(default_factory=dict)
    room: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """The number of supporters counted."""
        return sum(self.full.values()) + sum(self.room.values())


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

    def around(self, recipient: str, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Which pairs of supporters ``ids`` are beyond the spread limit from ``recipient``, and how many each has.

        Arrays over all pairs and all supporters; a distance unknown (NaN) is not beyond the limit.
        """
        at = _runs(self.start[ids], self.count[ids])
        lat, lon = self.ix.where.get(recipient, (np.nan, np.nan))
        limit = self.ix.settings.geography.max_corecipient_km
        # Measured over arrays, then again pair by pair (``pairwise_km``, bit for bit) where within a
        # millimetre of the limit: the two ways of squaring differ by a bit, a billionth of that.
        p1, p2 = np.radians(lat), np.radians(self.lat[at])
        a = (np.sin((p2 - p1) / 2) ** 2
             + np.cos(p1) * self.cos_lat[at] * np.sin(np.radians(self.lon[at] - lon) / 2) ** 2)
        km = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
        far = km > limit
        near = np.flatnonzero(np.abs(km - limit) <= 1e-6)
        if len(near):
            far[near] = pairwise_km(lat, lon, self.lat[at[near]], self.lon[at[near]]) > limit
        is_far = np.zeros(len(self.pairs), dtype=bool)
        is_far[at] = far
        return is_far, np.bincount(self.owner[is_far], minlength=len(self.codes))

    def sharing(self, recipient: str) -> np.ndarray:
        """Whether each pair's recipient shares a group with ``recipient``."""
        shares = np.zeros(len(self.pairs), dtype=bool)
        for group in self.swaps.groups_of(recipient):
            shares[self.group_pairs.get(group, _NONE)] = True
        return shares

    def among(self, positions: np.ndarray, ids: np.ndarray) -> np.ndarray:
        """Whether the supporter of each arc of ``positions`` is one of ``ids``."""
        mark = np.zeros(len(self.codes), dtype=bool)
        mark[ids] = True
        return mark[self.arc_id[positions]]

    def best_options(self, positions: np.ndarray) -> np.ndarray:
        """Each supporter's first arc of ``positions`` (a recipient's arcs, best first), in that order."""
        ids = self.arc_id[positions]
        by_id = np.argsort(ids, kind="stable")
        return positions[np.sort(by_id[_run_starts(ids[by_id])])]

    def fewest_limits(self, best: np.ndarray, n_far: np.ndarray) -> int | None:
        """The position of the option, of the supporters' best-scoring ones, that the fewest raised limits allow.

        ``best``: each supporter's best-scoring option (``best_options``); ``n_far``: each supporter's
        recipients beyond the spread limit from the recipient (``around``). Each option is checked against
        its supporter's capacity, overstretch limit, spread and the budget (the checks of
        ``Narrator._limits_in_the_way``); of those stopped by at least one, the first needing the fewest.
        None when no limit stops any.
        """
        ix = self.ix
        rows, sid = best, self.arc_id[best]
        left = ix.instance.budget_annual_gbp - ix.spend
        needs = ((self.used[sid] + ix.column("units")[rows] > self.capacity[sid]).astype(np.int64)
                 + (self.load[sid] + ix.column("load_gbp")[rows] > self.limit[sid])
                 + (n_far[sid] > 0) + (ix.column("incentive_annual_gbp")[rows] > left))
        stopped = np.flatnonzero(needs > 0)
        if not len(stopped):
            return None
        return int(rows[stopped[np.argmin(needs[stopped])]])


def count_unnamed(sp: Supporters, recipient: str, positions: np.ndarray, ids: np.ndarray, is_far: np.ndarray,
                  n_far: np.ndarray) -> Unnamed:
    """What stops each supporter of ``positions`` (a recipient's arcs, best score first), counted by reason.

    The same checks as ``SwapCheck`` over arrays: a supporter has room when one of its options fits its
    spare units; the first of those (by coverage, then score) is checked for load, spread and budget. A
    supporter without room is checked swap by swap (each option against each recipient it keeps), and
    counted under the first failed check of the swap that comes nearest to being allowed. ``ids``: the
    supporters of ``positions``; ``is_far``, ``n_far``: the pairs, and how many of each supporter's, beyond
    the spread limit (``Supporters.around``).
    """
    ix = sp.ix
    if not len(positions):
        return Unnamed()
    sid = sp.arc_id[positions]
    units, load = ix.column("units")[positions], ix.column("load_gbp")[positions]
    cost = ix.column("incentive_annual_gbp")[positions]
    fits = units <= sp.capacity[sid] - sp.used[sid]
    has_room = np.zeros(len(sp.codes), dtype=bool)
    has_room[sid[fits]] = True
    room: dict[str, int] = {}
    # Supporters with room: each one's first fitting option by coverage (unknown last), then score.
    by_fit = np.lexsort((sp.arc_less_score[positions], sp.arc_less_coverage[positions],
                         sp.arc_no_coverage[positions], sid))
    by_fit = by_fit[fits[by_fit]]
    if len(by_fit):
        first = by_fit[_run_starts(sid[by_fit])]
        k, s = first, sid[first]
        checks = np.stack([sp.load[s] + load[k] > sp.limit[s], n_far[s] > 0,
                           ix.spend + cost[k] > ix.instance.budget_annual_gbp])
        reason = np.where(checks.any(axis=0), checks.argmax(axis=0), len(ROOM) - 1)
        room = {ROOM[r]: int(n) for r, n in enumerate(np.bincount(reason, minlength=len(ROOM))) if n}
    full = _full_counts(sp, recipient, positions[~has_room[sid]], ids[~has_room[ids]], is_far, n_far)
    return Unnamed(full=full, room=room)


def _full_counts(sp: Supporters, recipient: str, positions: np.ndarray, ids: np.ndarray, is_far: np.ndarray,
                 n_far: np.ndarray) -> dict[str, int]:
    """Full supporters (``ids``), counted by the first failed check of their nearest swap.

    ``positions``: their options of the recipient.
    """
    ix = sp.ix
    if not len(positions):
        return {}
    sid = sp.arc_id[positions]
    # Every swap: one option of a supporter (k) against one recipient it keeps (pair).
    per = sp.count[sid]
    k = np.repeat(positions, per)
    pair = _runs(sp.start[sid], per)
    s = sp.owner[pair]
    coverage = sp.arc_coverage[k]
    failed = np.stack([
        sp.held_coverage[pair] > coverage,
        sp.held_locked[pair],
        sp.used[s] - sp.held_units[pair] + ix.column("units")[k] > sp.capacity[s],
        sp.load[s] - sp.held_load[pair] + ix.column("load_gbp")[k] > sp.limit[s],
        n_far[s] - is_far[pair] > 0,
        ix.spend - sp.held_cost[pair] + ix.column("incentive_annual_gbp")[k] > ix.instance.budget_annual_gbp,
    ])
    # A swap failing no check loses on the objective: a better match when it counts as much and scores no
    # more, group bonus included (beside the supporter's other recipients); otherwise another limit keeps it.
    take = -sp.arc_less_score[k]
    if sp.bonus:
        shares = sp.sharing(recipient)
        take = take + sp.bonus * (np.bincount(sp.owner[shares], minlength=len(sp.codes))[s] - shares[pair])
    match = (sp.held_coverage[pair] == coverage) & (sp.held_keep[pair] >= take)
    rank = np.where(failed.any(axis=0), failed.argmax(axis=0),
                    np.where(match, CAUSES.index("match"), CAUSES.index("kept")))
    nearest = np.full(len(sp.codes), -1, dtype=np.int64)
    np.maximum.at(nearest, s, rank)
    # A full supporter keeping nothing (no capacity at all) is stopped by its capacity.
    cause = np.where(nearest[ids] < 0, CAUSES.index("units"), nearest[ids])
    return {CAUSES[c]: int(n) for c, n in enumerate(np.bincount(cause, minlength=len(CAUSES))) if n}


def _run_starts(keys: np.ndarray) -> np.ndarray:
    """Where each run of equal keys starts."""
    if not len(keys):
        return _NONE
    starts = np.flatnonzero(keys[1:] != keys[:-1])
    starts += 1
    return np.concatenate((_START, starts))


def _runs(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The positions ``start, start+1, ..., start+count-1`` of each run, one after another."""
    total = int(counts.sum())
    if not total:
        return _NONE
    offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    return np.repeat(starts, counts) + offsets
