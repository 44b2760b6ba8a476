"""Pricing every supporter at once: each one's best patterns at a round's prices, exactly, in compiled code.

``pattern_pricing.best_patterns`` prices one agent at a time in Python over at most 400 of its
arcs; at 20,000 providers (3,123 supporters, 2.3 million arcs, up to 4,000 arcs a supporter) that
was 24 of a round's 33 seconds, and its bound beyond the 400 was loose. Here one compiled loop
(numba) prices every agent over *all* its arcs that could add value and fit alone, sorted best
first by their optimistic gain (value plus the most bonus each could bring):

    for each first arc i, second arc j > i, third arc k > j (as capacity allows):
        stop as soon as the optimistic gains of i, j, k cannot beat the best pattern found

checking distinct jobs, units, the load limit, the spread and each pair's bonus on the way, and
passing over the third arc of a pair whose units or load leave no room for any agent's arc (at
20,000 providers nearly all of 6.7 billion triples tried in one pricing failed on units). It
is exact unless it stops on its work limit (``NODE_LIMIT`` combinations per agent; a *quick*
call, which column generation makes first in every round, stops at ``QUICK_LIMIT``), and then
the agent's top is the bound where it stopped: every pattern not yet tried starts at an arc no
better, so it is still a proven upper bound, only a looser one. The spread test is a hair
generous (``SLACK_KM``), so the search covers every pattern the rules allow, and each pattern it
returns is checked again with the exact arithmetic of ``haversine_km`` before it becomes a
column. Agents with locked arcs, or room for more than three arcs, are priced by
``best_patterns``.
"""
from __future__ import annotations

from itertools import combinations

import numpy as np
from numba import njit

from ..geography import EARTH_RADIUS_KM, haversine_km
from .pattern_pricing import EPS, AgentArcs, best_patterns
from .problem import CoreProblem

NODE_LIMIT = 50_000_000  # most arc combinations tried for one agent in one exact call
QUICK_LIMIT = 200_000    # the same in a quick call: enough for good patterns, its bound may be loose
SLACK_KM = 1e-6          # the search's spread test is this generous; returned patterns are checked exactly
DEPTH = 3                # most arcs in a pattern priced here

Found = list[tuple[float, tuple[int, ...]]]


def price_all(p: CoreProblem, index: AgentArcs, value: np.ndarray, with_bonus: bool,
              quick: bool = False) -> tuple[np.ndarray, list[Found]]:
    """Per agent an upper bound on its best pattern's value (its value, unless a work limit was hit) and its patterns.

    The empty pattern (value 0) counts for an agent without locked arcs, so no top is below 0 for
    those; an agent's patterns are its best single, pair and triple found, best first. A ``quick``
    call stops each agent's search sooner (``QUICK_LIMIT``): the same patterns where prices are
    high, a looser bound where an agent's arcs tie, as early in column generation.
    """
    agents = len(p.capacity)
    gain = value + (index.bonus_of_arc if with_bonus else 0.0)
    alone = p.use <= p.capacity[p.agent]
    if p.load is not None and p.load_limit is not None:
        alone &= p.load <= p.load_limit[p.agent]
    smallest = max(1, int(p.use.min(initial=1)))
    slots = p.capacity.astype(np.int64) // smallest
    elsewhere = np.zeros(agents, dtype=bool)  # priced by best_patterns
    elsewhere[list(index.fixed)] = True
    elsewhere |= slots > DEPTH
    cand = np.flatnonzero((gain > EPS) & alone & ~elsewhere[p.agent])
    order = cand[np.lexsort((-gain[cand], p.agent[cand]))]
    starts = np.searchsorted(p.agent[order], np.arange(agents + 1))
    load = p.load[order].astype(np.float64) if p.load is not None else np.zeros(len(order))
    room = p.load_limit.astype(np.float64) if p.load_limit is not None else np.full(agents, np.inf)
    jobs = p.job[order]
    if p.spread is not None:
        lat, lon, limit = np.radians(p.spread.job_lat[jobs]), np.radians(p.spread.job_lon[jobs]), p.spread.limit_km
    else:
        lat, lon, limit = np.zeros(len(order)), np.zeros(len(order)), np.inf
    ptr, other, worth = (index.bonus_ptr, index.bonus_other, index.bonus_worth) if with_bonus \
        else _no_bonus(len(p.agent))
    tops, best, at = _search(starts, order, gain[order], value[order].astype(np.float64), p.use[order].astype(np.int64),
                             load, jobs.astype(np.int64), lat, lon, p.capacity.astype(np.int64), room,
                             np.minimum(slots, DEPTH), limit + SLACK_KM, ptr, other, worth,
                             QUICK_LIMIT if quick else NODE_LIMIT)
    found = _patterns(p, order, best, at)
    for agent in np.flatnonzero(elsewhere).tolist():
        tops[agent], found[agent] = best_patterns(p, index, agent, value, with_bonus)
    return tops, found


def _patterns(p: CoreProblem, order: np.ndarray, best: np.ndarray, at: np.ndarray) -> list[Found]:
    """Each agent's single, pair and triple as arcs, best first; a pair or triple off the exact spread is dropped."""
    agents = best.shape[0]
    keep = best > -np.inf
    if p.spread is not None:
        s = p.spread
        for size in (1, 2):  # pairs, then triples: every two of their arcs within the limit
            have = keep[:, size]
            slots = at[:, size, :size + 1]
            for x, y in combinations(range(size + 1), 2):
                jx, jy = p.job[order[slots[have, x]]], p.job[order[slots[have, y]]]
                km = haversine_km(s.job_lat[jx], s.job_lon[jx], s.job_lat[jy], s.job_lon[jy])
                ok = np.ones(agents, dtype=bool)
                ok[have] = np.asarray(km) <= s.limit_km + 1e-9
                keep[:, size] &= ok
    found: list[Found] = [[] for _ in range(agents)]
    for agent, size in zip(*np.nonzero(keep), strict=True):
        arcs = tuple(int(order[k]) for k in at[agent, size, :size + 1])
        found[agent].append((float(best[agent, size]), arcs))
    for patterns in found:
        patterns.sort(key=lambda f: -f[0])
    return found


def _no_bonus(n_arcs: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return np.zeros(n_arcs + 1, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)


@njit(cache=True)
def _pair_bonus(ptr, other, worth, a, b):  # pragma: no cover - compiled
    total = 0.0
    for t in range(ptr[a], ptr[a + 1]):
        if other[t] == b:
            total += worth[t]
    return total


@njit(cache=True)
def _near(lat, lon, x, y, limit):  # pragma: no cover - compiled
    if limit == np.inf:
        return True
    a = np.sin((lat[y] - lat[x]) / 2) ** 2 + np.cos(lat[x]) * np.cos(lat[y]) * np.sin((lon[y] - lon[x]) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(min(max(a, 0.0), 1.0))) <= limit


@njit(cache=True)
def _search(starts, arcs, gain, value, use, load, job, lat, lon, cap, room, slots, limit, ptr, other, worth,
            node_limit):  # pragma: no cover - compiled; tested through price_all
    """Per agent: the top, the best single/pair/triple values, and their positions in ``arcs``.

    For each first arc ``i``, its *neighbours* (later arcs that fit with it: another job, units,
    load, spread) are listed once, and the second and third arcs are taken from that list only.
    """
    agents = len(cap)
    tops = np.zeros(agents)
    best = np.full((agents, 3), -np.inf)
    at = np.zeros((agents, 3, 3), dtype=np.int64)
    near = np.zeros(int((starts[1:] - starts[:-1]).max()) if agents else 0, dtype=np.int64)
    for a in range(agents):
        lo, hi = starts[a], starts[a + 1]
        top, nodes, depth = 0.0, 0, slots[a]
        if hi > lo:  # the fewest units and the least load any third arc could add
            least_use, least_load = use[lo:hi].min(), load[lo:hi].min()
        for i in range(lo, hi):
            g2 = gain[i + 1] if depth >= 2 and i + 1 < hi else 0.0
            g3i = gain[i + 2] if depth >= 3 and i + 2 < hi else 0.0
            if gain[i] + g2 + g3i <= top + EPS:
                break
            nodes += 1
            if nodes > node_limit:
                top = max(top, gain[i] + g2 + g3i)
                break
            if value[i] > best[a, 0]:
                best[a, 0] = value[i]
                at[a, 0, 0] = i
                top = max(top, value[i])
            if depth < 2:
                continue
            count = 0
            for j in range(i + 1, hi):  # the neighbours of i worth a look: best gain first
                # with j as second arc a pattern is worth at most gain[i] + gain[j] + gain[j + 1]; as third, at
                # most gain[i] + gain[first neighbour] + gain[j]
                g3 = 0.0 if depth < 3 else gain[near[0]] if count else gain[j + 1] if j + 1 < hi else 0.0
                if gain[i] + gain[j] + g3 <= top + EPS:
                    break
                nodes += 1
                if nodes > node_limit:
                    break
                if use[i] + use[j] <= cap[a] and load[i] + load[j] <= room[a] + 1e-9 and job[i] != job[j] \
                        and _near(lat, lon, i, j, limit):
                    near[count] = j
                    count += 1
            for jj in range(count):
                j = near[jj]
                g3 = gain[near[jj + 1]] if depth >= 3 and jj + 1 < count else 0.0
                if gain[i] + gain[j] + g3 <= top + EPS:
                    break
                pair = value[i] + value[j] + _pair_bonus(ptr, other, worth, arcs[i], arcs[j])
                if pair > best[a, 1]:
                    best[a, 1] = pair
                    at[a, 1, 0], at[a, 1, 1] = i, j
                    top = max(top, pair)
                if depth < 3 or use[i] + use[j] + least_use > cap[a] or load[i] + load[j] + least_load > room[a] + 1e-9:
                    continue  # no room for a third arc
                for kk in range(jj + 1, count):
                    k = near[kk]
                    if gain[i] + gain[j] + gain[k] <= top + EPS:
                        break
                    nodes += 1
                    if nodes > node_limit:
                        break
                    if use[i] + use[j] + use[k] > cap[a] or load[i] + load[j] + load[k] > room[a] + 1e-9 \
                            or job[k] == job[j] or not _near(lat, lon, j, k, limit):
                        continue
                    triple = pair + value[k] + _pair_bonus(ptr, other, worth, arcs[i], arcs[k]) \
                        + _pair_bonus(ptr, other, worth, arcs[j], arcs[k])
                    if triple > best[a, 2]:
                        best[a, 2] = triple
                        at[a, 2, 0], at[a, 2, 1], at[a, 2, 2] = i, j, k
                        top = max(top, triple)
                if nodes > node_limit:
                    break
            if nodes > node_limit:  # every pattern from arc i on is worth at most its first arcs' gains
                top = max(top, gain[i] + g2 + g3i)
                break
        tops[a] = top
    return tops, best, at
