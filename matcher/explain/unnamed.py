"""The eligible supporters an explanation does not name: what stops each, counted over arrays.

An uncovered recipient names its ``NAMED`` most relevant supporters one by one (``uncovered``);
at 20,000 providers it may have hundreds more, and writing each would be a book per recipient.
The rest are counted by the reason that stops them, with the same checks as the named ones but
run over numpy arrays of their options and the plan's pairs, so no sentence and no row is built
for them. ``check_all`` does this for every uncovered recipient in one pass, and also finds, over
every eligible supporter, the one fewest raised limits would let take the recipient ("what would
change it").
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..geography import EARTH_RADIUS_KM
from .options import pairwise_km
from .plan_arrays import Supporters, run_starts, runs
from .uncovered import CAUSES

#: The limits "what would change it" can raise (``Narrator._limits_in_the_way``).
LIMITS = ("capacity", "load", "spread", "budget")

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


@dataclass(frozen=True)
class Crowd:
    """One uncovered recipient's eligible supporters, as ``check_all`` reads them."""

    recipient: str
    ordered: np.ndarray      # its arcs, best score first
    best: np.ndarray         # each supporter's best-scoring arc, in the order of ``ordered``


@dataclass(frozen=True)
class Found:
    """What the checks over arrays found for one recipient."""

    unnamed: Unnamed | None  # the supporters after the first ``named``, counted by reason (None: no others)
    fewest: int | None       # the arc "what would change it" names (None: no limit stops any supporter)


def check_all(sp: Supporters, crowds: list[Crowd], named: int) -> list[Found]:
    """For many recipients at once: the unnamed supporters counted by reason, and the fewest limits in the way.

    The same checks as ``SwapCheck`` over arrays. A supporter has room when one of its options fits
    its spare units; the first of those (by coverage, then score) is checked for load, spread and
    budget. A supporter without room is checked swap by swap (each option against each recipient it
    keeps) and counted under the first failed check of the swap that comes nearest to being allowed.
    "What would change it" checks every supporter's best-scoring option against its capacity,
    overstretch limit, spread and the budget (``Narrator._limits_in_the_way``), and names the first of
    those stopped needing the fewest changes. Each (recipient, supporter) is one entry ``j`` below.
    """
    n = len(crowds)
    if not n:
        return []
    best = np.concatenate([c.best for c in crowds])
    ids = sp.arc_id[best]
    per_recipient = np.array([len(c.best) for c in crowds], dtype=np.int64)
    j_recipient = np.repeat(np.arange(n), per_recipient)
    j_order = np.arange(len(ids)) - np.repeat(np.cumsum(per_recipient) - per_recipient, per_recipient)
    far, n_far, e_start, e_pair, e_j = _beyond_spread(sp, crowds, ids, j_recipient)
    fewest = _fewest_limits(sp, best, ids, j_recipient, j_order, n_far, n)
    crowded = np.flatnonzero(per_recipient > named)
    counts = _count_unnamed(sp, crowds, crowded, ids, j_recipient, j_order, named,
                            far, n_far, e_start, e_pair, e_j) if len(crowded) else {}
    return [Found(counts.get(i), fewest[i]) for i in range(n)]


def _beyond_spread(sp: Supporters, crowds: list[Crowd], ids: np.ndarray, j_recipient: np.ndarray):
    """Which pair of each entry's supporter is beyond the spread limit from the entry's recipient.

    Entries ``e`` are every (recipient, supporter, pair it keeps), in entry order; returns whether
    each is far, how many far pairs each ``j`` has, where each ``j``'s pairs start among the entries,
    and each entry's pair and ``j``. Measured over arrays, then again pair by pair (``pairwise_km``,
    bit for bit) where within a millimetre of the limit: the two ways of squaring differ by a bit.
    """
    where = [sp.ix.where.get(c.recipient, (np.nan, np.nan)) for c in crowds]
    lat = np.array([w[0] for w in where], dtype=np.float64)
    lon = np.array([w[1] for w in where], dtype=np.float64)
    per = sp.count[ids]
    e_pair = runs(sp.start[ids], per)
    e_j = np.repeat(np.arange(len(ids)), per)
    e_start = np.cumsum(per) - per
    e_recipient = j_recipient[e_j]
    p1, p2 = np.radians(lat), np.radians(sp.lat[e_pair])
    dlmb = np.radians(sp.lon[e_pair] - lon[e_recipient])
    a = np.sin((p2 - p1[e_recipient]) / 2) ** 2 + np.cos(p1)[e_recipient] * sp.cos_lat[e_pair] * np.sin(dlmb / 2) ** 2
    km = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    limit = sp.ix.settings.geography.max_corecipient_km
    far = km > limit
    for e in np.flatnonzero(np.abs(km - limit) <= 1e-6).tolist():
        r, pair = e_recipient[e], e_pair[e]
        far[e] = bool(pairwise_km(lat[r], lon[r], sp.lat[pair:pair + 1], sp.lon[pair:pair + 1])[0] > limit)
    return far, np.bincount(e_j[far], minlength=len(ids)), e_start, e_pair, e_j


def _fewest_limits(sp: Supporters, best: np.ndarray, ids: np.ndarray, j_recipient: np.ndarray,
                   j_order: np.ndarray, n_far: np.ndarray, n: int) -> list[int | None]:
    """Each recipient's supporter option that the fewest raised limits allow (None where none is stopped)."""
    ix = sp.ix
    left = ix.instance.budget_annual_gbp - ix.spend
    needs = ((sp.used[ids] + ix.column("units")[best] > sp.capacity[ids]).astype(np.int64)
             + (sp.load[ids] + ix.column("load_gbp")[best] > sp.limit[ids])
             + (n_far > 0) + (ix.column("incentive_annual_gbp")[best] > left))
    unstopped = len(LIMITS) + 1
    needs[needs == 0] = unstopped
    by_needs = np.lexsort((j_order, needs, j_recipient))
    first = by_needs[run_starts(j_recipient[by_needs])]
    out: list[int | None] = [None] * n
    for r, j in zip(j_recipient[first].tolist(), first.tolist(), strict=True):
        if needs[j] != unstopped:
            out[r] = int(best[j])
    return out


def _count_unnamed(sp: Supporters, crowds: list[Crowd], crowded: np.ndarray, ids: np.ndarray,
                   j_recipient: np.ndarray, j_order: np.ndarray, named: int, far: np.ndarray, n_far: np.ndarray,
                   e_start: np.ndarray, e_pair: np.ndarray, e_j: np.ndarray) -> dict[int, Unnamed]:
    """The supporters after the first ``named`` of each ``crowded`` recipient, counted by reason."""
    ix, n, n_codes = sp.ix, len(crowds), len(sp.codes)
    rows = np.concatenate([crowds[i].ordered for i in crowded.tolist()])
    row_recipient = np.repeat(crowded, [len(crowds[i].ordered) for i in crowded.tolist()])
    sid = sp.arc_id[rows]
    # Each row's entry j: its (recipient, supporter), found by sorted keys.
    key = j_recipient * n_codes + ids
    by_key = np.argsort(key, kind="stable")
    row_j = by_key[np.searchsorted(key[by_key], row_recipient * n_codes + sid)]
    unnamed = j_order[row_j] >= named
    rows, row_recipient, sid, row_j = rows[unnamed], row_recipient[unnamed], sid[unnamed], row_j[unnamed]
    fits = ix.column("units")[rows] <= sp.capacity[sid] - sp.used[sid]
    has_room = np.zeros(len(ids), dtype=bool)
    has_room[row_j[fits]] = True
    # Supporters with room: each one's first fitting option by coverage (unknown last), then score.
    by_fit = np.lexsort((sp.arc_less_score[rows], sp.arc_less_coverage[rows], sp.arc_no_coverage[rows], row_j))
    by_fit = by_fit[fits[by_fit]]
    first = by_fit[run_starts(row_j[by_fit])]
    k, s = rows[first], sid[first]
    checks = np.stack([sp.load[s] + ix.column("load_gbp")[k] > sp.limit[s], n_far[row_j[first]] > 0,
                       ix.spend + ix.column("incentive_annual_gbp")[k] > ix.instance.budget_annual_gbp])
    reason = np.where(checks.any(axis=0), checks.argmax(axis=0), len(ROOM) - 1)
    room = np.bincount(row_recipient[first] * len(ROOM) + reason, minlength=n * len(ROOM)).reshape(n, len(ROOM))
    full = _full_counts(sp, crowds, rows[~has_room[row_j]], row_j[~has_room[row_j]], j_recipient,
                        far, n_far, e_start, e_pair, e_j)
    return {i: Unnamed(full={CAUSES[c]: int(m) for c, m in enumerate(full[i]) if m},
                       room={ROOM[c]: int(m) for c, m in enumerate(room[i]) if m}) for i in crowded.tolist()}


def _full_counts(sp: Supporters, crowds: list[Crowd], positions: np.ndarray, row_j: np.ndarray,
                 j_recipient: np.ndarray, far: np.ndarray, n_far: np.ndarray, e_start: np.ndarray,
                 e_pair: np.ndarray, e_j: np.ndarray) -> np.ndarray:
    """Full supporters (``positions``: their options, ``row_j``: their entries), counted by recipient and cause.

    Each is counted under the first failed check of its nearest swap (``CAUSES`` order).
    """
    ix, n = sp.ix, len(crowds)
    sid = sp.arc_id[positions]
    # Every swap: one option of a supporter (k) against one recipient it keeps (pair), entry e.
    per = sp.count[sid]
    k, j = np.repeat(positions, per), np.repeat(row_j, per)
    pair = runs(sp.start[sid], per)
    s = sp.owner[pair]
    e = e_start[j] + (pair - sp.start[s])
    coverage = sp.arc_coverage[k]
    failed = np.stack([
        sp.held_coverage[pair] > coverage,
        sp.held_locked[pair],
        sp.used[s] - sp.held_units[pair] + ix.column("units")[k] > sp.capacity[s],
        sp.load[s] - sp.held_load[pair] + ix.column("load_gbp")[k] > sp.limit[s],
        n_far[j] - far[e] > 0,
        ix.spend - sp.held_cost[pair] + ix.column("incentive_annual_gbp")[k] > ix.instance.budget_annual_gbp,
    ])
    # A swap failing no check loses on the objective: a better match when it counts as much and scores no
    # more, group bonus included (beside the supporter's other recipients); otherwise another limit keeps it.
    take = -sp.arc_less_score[k]
    if sp.bonus:
        shares = np.zeros(len(e_pair), dtype=bool)
        e_recipient = j_recipient[e_j]
        bounds = np.searchsorted(e_recipient, np.arange(n + 1))
        for i, crowd in enumerate(crowds):
            members = sp.sharing(crowd.recipient)
            if len(members):
                shares[bounds[i]:bounds[i + 1]] = np.isin(e_pair[bounds[i]:bounds[i + 1]], members)
        n_share = np.bincount(e_j[shares], minlength=len(j_recipient))
        take = take + sp.bonus * (n_share[j] - shares[e])
    match = (sp.held_coverage[pair] == coverage) & (sp.held_keep[pair] >= take)
    rank = np.where(failed.any(axis=0), failed.argmax(axis=0),
                    np.where(match, CAUSES.index("match"), CAUSES.index("kept")))
    nearest = np.full(len(j_recipient), -1, dtype=np.int64)
    np.maximum.at(nearest, j, rank)
    is_full = np.zeros(len(j_recipient), dtype=bool)
    is_full[row_j] = True
    full_j = np.flatnonzero(is_full)
    # A full supporter keeping nothing (no capacity at all) is stopped by its capacity.
    cause = np.where(nearest[full_j] < 0, CAUSES.index("units"), nearest[full_j])
    return np.bincount(j_recipient[full_j] * len(CAUSES) + cause, minlength=n * len(CAUSES)).reshape(n, len(CAUSES))
