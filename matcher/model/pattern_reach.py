"""Every pattern that could still be in a better plan: reduced-cost enumeration, which turns a gap into a proof.

Column generation leaves a plan over the generated patterns and a Lagrangian bound ``L`` over all
of them. At the prices that gave ``L`` (job prices ``pi``, side prices ``y``), any plan ``x`` that
takes pattern ``q`` for agent ``a`` is worth at most

    z(x) <= L - (top[a] - r(q)),

where ``r(q)`` is the pattern's reduced value (its value less its jobs' and side rows' prices) and
``top[a]`` the agent's best reduced value (``r`` of the empty pattern is 0). So a plan worth more
than ``L - reach`` takes, for every agent, a pattern within ``reach`` of that agent's best. Listing
every such pattern (supporters take one to three recipients, so they are few once ``reach`` is
small) and solving the integer master over them settles the stage down to ``L - reach``: the best
plan over them is optimal if it is worth at least ``L - reach``, and otherwise the stage's bound
is ``L - reach`` instead of ``L``.

The listing is exact for agents whose patterns have at most three free arcs; an agent with room
for more, or a listing beyond ``MAX_PATTERNS``, makes it incomplete, and then no bound is claimed
from it (the patterns still help the plan).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .pattern_master import pattern_bonus
from .pattern_pricing import AgentArcs, compatible
from .problem import CoreProblem

#: Most patterns one listing may add; beyond it the reach is halved (or nothing is claimed).
MAX_PATTERNS = 60_000
#: Most pairs and triples one listing may build (``work``); beyond it the reach is halved first.
MAX_WORK = 1e9   # at 2,000 providers a listing builds about 1e8 (seeds 1 and 4)
#: Most times the reach is halved before the listing gives up on being complete.
HALVINGS = 4
#: Patterns per agent in a partial listing (best reduced value first): on the 2,000-provider set, seed 1,
#: 20 a supporter found the coverage plan that meets the bound among 3 million tied patterns.
PARTIAL = 20
#: Arcs per agent a partial listing draws its patterns from (its best by reduced value and most bonus).
PARTIAL_ARCS = 60
EPS = 1e-6


@dataclass(frozen=True)
class Prices:
    """The prices of one column generation round and what they give: reduced arc values, bonus weight, tops."""

    bound: float            # the Lagrangian bound L at these prices
    value: np.ndarray       # per arc: its weight less its job's and the side rows' prices
    index: AgentArcs        # the arcs by agent, bonuses scaled by the round's bonus weight
    with_bonus: bool        # whether bonus pairs count at these prices
    top: np.ndarray         # per agent: an upper bound on its best pattern's reduced value

    def of(self, arcs: tuple[int, ...] | list[int]) -> float:
        """A pattern's reduced value at these prices: its arcs' values and, where bonuses count, its bonus."""
        return float(self.value[list(arcs)].sum()) + (pattern_bonus(self.index, list(arcs)) if self.with_bonus else 0.0)


@dataclass(frozen=True)
class Reach:
    """The patterns within ``reach`` of their agent's best, and whether they are all of them."""

    patterns: list[tuple[int, tuple[int, ...]]]   # (agent, arcs)
    reach: float
    complete: bool


def within_reach(p: CoreProblem, prices: Prices, reach: float, prefer: np.ndarray | None = None) -> Reach:
    """Every pattern whose reduced value is within ``reach`` of its agent's best (see the module text).

    If the listing would pass ``MAX_PATTERNS``, the reach is halved until it fits (at most
    ``HALVINGS`` times); the result says the reach it used. If even then too many tie (degenerate
    prices: every arc of a fully priced job is worth 0), each agent's ``PARTIAL`` best patterns
    within the first reach are listed instead, ties broken by ``prefer`` (per arc, larger first:
    the next stage's weights), and the listing says it is incomplete: it may still hold a plan that
    meets the bound, but proves nothing.
    """
    agents = range(len(p.capacity))
    prefer = np.zeros(p.n_arcs) if prefer is None else prefer
    tried = reach
    for _ in range(HALVINGS + 1):
        if work(p, prices, tried) > MAX_WORK:  # too many candidate arcs to list in time: they would not fit either
            tried /= 2
            continue
        patterns: list[tuple[int, tuple[int, ...]]] = []
        complete = True
        for agent in agents:
            found = _agent(p, prices, agent, float(prices.top[agent]) - tried, prefer, None)
            if found is None:
                complete = False
                continue
            patterns += [(agent, arcs) for arcs in found]
            if len(patterns) > MAX_PATTERNS:
                break
        if len(patterns) <= MAX_PATTERNS:
            return Reach(patterns, tried, complete)
        tried /= 2
    patterns = []
    for agent in agents:
        found = _agent(p, prices, agent, float(prices.top[agent]) - reach, prefer, PARTIAL)
        patterns += [(agent, arcs) for arcs in found or []]
    return Reach(patterns, reach, False)


def work(p: CoreProblem, prices: Prices, reach: float) -> float:
    """About how many pairs and triples a listing at ``reach`` builds.

    Per agent, of its arcs that could be in a pattern within ``reach`` of its best (``n``): ``n``
    choose 3 if it has room for three arcs, ``n`` choose 2 if for two, else ``n``.
    """
    most_bonus = prices.index.bonus_of_arc if prices.with_bonus else 0.0
    kept = (prices.value + most_bonus >= -reach - EPS) & (p.use <= p.capacity[p.agent])
    n = np.bincount(p.agent[kept], minlength=len(p.capacity)).astype(np.float64)
    slots = p.capacity // max(1, int(p.use.min(initial=1)))
    return float(np.where(slots >= 3, n * (n - 1) * (n - 2) / 6, np.where(slots == 2, n * (n - 1) / 2, n)).sum())


def _agent(p: CoreProblem, prices: Prices, agent: int, floor: float, prefer: np.ndarray,
           most: int | None) -> list[tuple[int, ...]] | None:
    """One agent's patterns worth at least ``floor`` at the prices, or its ``most`` best of them.

    None if they cannot all be listed (room for more than three arcs). Patterns are built as
    index arrays (singles, pairs, triples of the candidate arcs) and only the kept ones become tuples.
    """
    index = prices.index
    fixed = list(index.fixed.get(agent, ()))
    mine = index.arcs_of(agent)
    if fixed:
        mine = mine[~np.isin(mine, fixed)]
    bonus = index.bonus if prices.with_bonus else {}
    v = prices.value[mine].astype(np.float64)
    if bonus and fixed:
        v = v + np.array([sum(bonus.get((min(a, f), max(a, f)), 0.0) for f in fixed) for a in mine.tolist()])
    base = float(prices.value[fixed].sum()) + _pairs(bonus, fixed)
    cap = int(p.capacity[agent]) - (int(p.use[fixed].sum()) if fixed else 0)
    if p.load is not None and p.load_limit is not None:
        room = float(p.load_limit[agent]) - (float(p.load[fixed].sum()) if fixed else 0.0)
        load = p.load[mine].astype(np.float64)
    else:
        room, load = np.inf, np.zeros(len(mine))
    use = p.use[mine].astype(np.int64)
    # An arc in a pattern worth at least floor: the rest of that pattern is a pattern (worth at most top),
    # so the arc with its bonuses brings at least floor - top.
    most_bonus = index.bonus_of_arc[mine] if prices.with_bonus else 0.0
    idx = np.flatnonzero((v + most_bonus >= floor - float(prices.top[agent]) - EPS) & (use <= cap)
                         & (load <= room + 1e-9))
    if most is not None and len(idx) > PARTIAL_ARCS:  # a partial listing: its best patterns are of its best arcs
        gain = (v + most_bonus)[idx] if prices.with_bonus else v[idx]
        idx = np.sort(idx[np.lexsort((-prefer[mine[idx]], -gain))[:PARTIAL_ARCS]])
    nf = len(fixed)
    ok = compatible(p, np.concatenate([np.asarray(fixed, dtype=np.int64), mine[idx]]))  # only the arcs kept
    if nf:
        with_fixed = ok[:nf, nf:].all(axis=0)
        idx, ok = idx[with_fixed], ok[nf:, nf:][np.ix_(with_fixed, with_fixed)]
    free, v, use, load = mine[idx], v[idx], use[idx], load[idx]
    smallest = max(1, int(p.use.min())) if p.n_arcs else 1
    if cap // smallest > 3 and len(free) > 3:
        return None
    pair_bonus = np.zeros((len(free), len(free)))
    if bonus:
        where = {a: i for i, a in enumerate(free.tolist())}
        for (a, b), value in bonus.items():
            if a in where and b in where:
                pair_bonus[where[a], where[b]] = pair_bonus[where[b], where[a]] = value
    n = len(free)
    sets, worth = [], []  # rows of up to three candidate positions (-1: none), and their values
    one = np.flatnonzero(base + v >= floor - EPS)
    sets.append(np.column_stack([one, np.full((len(one), 2), -1)]))
    worth.append(base + v[one])
    if cap >= 2 and n >= 2:
        both = np.triu(ok & (use[:, None] + use[None, :] <= cap) & (load[:, None] + load[None, :] <= room + 1e-9), 1)
        pair = base + v[:, None] + v[None, :] + pair_bonus
        first, second = np.nonzero(both & (pair >= floor - EPS))
        sets.append(np.column_stack([first, second, np.full(len(first), -1)]))
        worth.append(pair[first, second])
        if cap >= 3:
            for i in range(n):
                js = np.flatnonzero(both[i])
                if len(js) < 2:
                    continue
                sub = np.triu(both[np.ix_(js, js)], 1) & (use[i] + use[js][:, None] + use[js][None, :] <= cap) \
                    & (load[i] + load[js][:, None] + load[js][None, :] <= room + 1e-9)
                total = base + v[i] + v[js][:, None] + v[js][None, :] + pair_bonus[i, js][:, None] \
                    + pair_bonus[i, js][None, :] + pair_bonus[np.ix_(js, js)]
                j, k = np.nonzero(sub & (total >= floor - EPS))
                sets.append(np.column_stack([np.full(len(j), i), js[j], js[k]]))
                worth.append(total[j, k])
    rows, values = np.concatenate(sets).astype(np.int64), np.concatenate(worth)
    if most is not None and len(rows) > most:
        taste = np.where(rows >= 0, prefer[free][rows], 0.0).sum(axis=1)
        rows = rows[np.lexsort((-taste, -values))[:most]]
    return [(*fixed, *(int(free[t]) for t in row if t >= 0)) for row in rows.tolist()]


def _pairs(bonus: dict[tuple[int, int], float], arcs: list[int]) -> float:
    return float(sum(bonus.get((min(a, b), max(a, b)), 0.0) for i, a in enumerate(arcs) for b in arcs[i + 1:]))
