"""Pricing one supporter's whole set of recipients: the best pattern under its capacity, load limit and spread.

A *pattern* is what one agent (supporter) could take on together: arcs to distinct jobs whose
units fit its capacity, whose loads fit its load limit, whose jobs are pairwise within the spread
limit, and which include every fixed arc of the agent. Given a value per arc (a stage's weight
less its prices) and the bonus of pairs of arcs taken together, ``best_patterns`` finds an
agent's most valuable patterns by a depth-first search over its arcs, best first, pruned by
what the remaining slots could still add. With capacities of a few units (1 to 3 by size) a
pattern has at most a few arcs and the search is exact; if it stops on its node limit, the
agent's value is bounded from above instead (the best arcs' values summed, ignoring load and
spread), so the bound built from it stays a proven bound.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..geography import haversine_km
from .problem import CoreProblem

#: Most search nodes for one agent in one pricing call; beyond it the agent's value is bounded, not exact.
NODE_LIMIT = 20_000
#: Most candidate arcs per agent and call, best first; beyond them the agent's value is bounded, not searched
#: (early in column generation, when prices are low and nearly every arc looks worth taking).
CANDIDATES = 400
#: Most patterns returned per agent and call (its best ones).
PER_AGENT = 3
EPS = 1e-7


@dataclass(frozen=True)
class AgentArcs:
    """Arcs grouped by agent once, with what the search needs: units, loads, fixed arcs and bonuses."""

    order: np.ndarray     # arc positions sorted by agent
    starts: np.ndarray    # where each agent's run starts in ``order`` (length agents + 1)
    fixed: dict[int, tuple[int, ...]]   # agent -> its fixed arcs
    bonus: dict[tuple[int, int], float]  # (arc, arc), smaller first -> bonus value
    bonus_of_arc: np.ndarray             # per arc: the most bonus it could bring
    bonus_ptr: np.ndarray                # the same bonuses as compressed rows: arc a's partners are
    bonus_other: np.ndarray              # bonus_other[bonus_ptr[a]:bonus_ptr[a + 1]], worth bonus_worth there
    bonus_worth: np.ndarray              # (for the compiled pricing, ``pattern_batch``)

    @classmethod
    def of(cls, p: CoreProblem) -> AgentArcs:
        """Group the problem's arcs by agent (a stable sort), with its fixed arcs and bonus pairs."""
        order = np.argsort(p.agent, kind="stable")
        starts = np.searchsorted(p.agent[order], np.arange(len(p.capacity) + 1))
        fixed: dict[int, tuple[int, ...]] = {}
        if p.fixed is not None:
            for arc in np.flatnonzero(p.fixed).tolist():
                fixed[int(p.agent[arc])] = (*fixed.get(int(p.agent[arc]), ()), arc)
        bonus: dict[tuple[int, int], float] = {}
        bonus_of_arc = np.zeros(p.n_arcs)
        if p.bonus_pairs is not None and p.bonus_values is not None:
            for (a, b), v in zip(p.bonus_pairs.tolist(), p.bonus_values.tolist(), strict=True):
                bonus[(min(a, b), max(a, b))] = bonus.get((min(a, b), max(a, b)), 0) + int(v)
            np.add.at(bonus_of_arc, p.bonus_pairs[:, 0], p.bonus_values)
            np.add.at(bonus_of_arc, p.bonus_pairs[:, 1], p.bonus_values)
        return cls(order, starts, fixed, bonus, bonus_of_arc, *_bonus_rows(bonus, p.n_arcs))

    def arcs_of(self, agent: int) -> np.ndarray:
        """The agent's arcs, in the problem's order."""
        return self.order[self.starts[agent]:self.starts[agent + 1]]


def _bonus_rows(bonus: dict[tuple[int, int], float], n_arcs: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each arc's bonus partners and values as compressed rows (both directions of every pair)."""
    pairs = np.array(list(bonus), dtype=np.int64).reshape(-1, 2)
    values = np.array(list(bonus.values()), dtype=np.float64)
    a, b = np.concatenate([pairs[:, 0], pairs[:, 1]]), np.concatenate([pairs[:, 1], pairs[:, 0]])
    order = np.argsort(a, kind="stable")
    ptr = np.searchsorted(a[order], np.arange(n_arcs + 1)).astype(np.int64)
    return ptr, b[order], np.concatenate([values, values])[order]


def fits(p: CoreProblem, arcs: list[int]) -> bool:
    """Whether arcs of one agent form a pattern: distinct jobs, capacity, load limit and spread."""
    if not arcs:
        return True
    a = int(p.agent[arcs[0]])
    jobs = p.job[arcs]
    if len(set(jobs.tolist())) < len(arcs) or int(p.use[arcs].sum()) > int(p.capacity[a]):
        return False
    if p.load is not None and p.load_limit is not None and int(p.load[arcs].sum()) > int(p.load_limit[a]):
        return False
    if p.spread is not None and len(arcs) > 1:
        s = p.spread
        km = haversine_km(s.job_lat[jobs][:, None], s.job_lon[jobs][:, None], s.job_lat[jobs][None, :],
                          s.job_lon[jobs][None, :])
        if not (np.asarray(km) <= s.limit_km + 1e-9).all():
            return False
    return True


def best_patterns(p: CoreProblem, index: AgentArcs, agent: int, value: np.ndarray,
                  with_bonus: bool) -> tuple[float, list[tuple[float, tuple[int, ...]]]]:
    """An upper bound on the agent's best pattern value, and its best patterns found (value, arcs), best first.

    The bound equals the best pattern's value when the search was exact; the empty pattern (value
    0) is allowed unless the agent has fixed arcs. The agent's candidate arcs (those that could
    add value) are checked against each other once, with numpy; the search then only looks up.
    """
    fixed = list(index.fixed.get(agent, ()))
    mine = index.arcs_of(agent)
    extra = index.bonus_of_arc[mine] if with_bonus else 0.0
    gain = value[mine] + extra
    keep = gain > EPS
    if fixed:
        keep &= ~np.isin(mine, fixed)
    free = mine[keep]
    optimistic = gain[keep]
    order = np.argsort(-optimistic, kind="stable")
    free, optimistic = free[order], optimistic[order]
    cap = int(p.capacity[agent])
    smallest = max(1, int(p.use.min())) if p.n_arcs else 1
    base_use = int(p.use[fixed].sum()) if fixed else 0
    slots = (cap - base_use) // smallest
    base_value = float(value[fixed].sum()) + (_bonus(index, fixed) if with_bonus and fixed else 0.0)
    base_ok = fits(p, fixed)
    found: list[tuple[float, tuple[int, ...]]] = [(base_value, tuple(fixed))] if base_ok else []
    if not base_ok and not len(free):
        return -np.inf, []
    if not len(free) or slots <= 0:
        best = found[0][0] if found else -np.inf
        return (max(best, 0.0) if not fixed else best), found
    relaxed = base_value + float(optimistic[:slots].sum())
    outside = -np.inf  # the most a pattern with an arc beyond the candidates could be worth
    if len(free) > CANDIDATES:
        outside = base_value + float(optimistic[:slots - 1].sum()) + float(optimistic[CANDIDATES])
        free, optimistic = free[:CANDIDATES], optimistic[:CANDIDATES]
    every = np.concatenate([np.asarray(fixed, dtype=np.int64), free])
    ok = compatible(p, every)   # ok[i, k]: arcs i and k may be taken together
    nf = len(fixed)
    if nf and not ok[:nf, :nf].all():
        return -np.inf, []
    if slots <= 3:
        best_small = _small(p, index, agent, fixed, free, value, ok, slots, base_value, with_bonus)
        found = sorted([*found, *best_small], key=lambda f: -f[0])[:PER_AGENT]
        best = found[0][0] if found else -np.inf
        return max(max(best, 0.0) if not fixed else best, outside), found
    use = p.use[free].tolist()
    load = p.load[free].tolist() if p.load is not None and p.load_limit is not None else None
    limit = int(p.load_limit[agent]) if load is not None and p.load_limit is not None else 0
    vals = value[free].tolist()
    opt = optimistic.tolist()
    between = ok[nf:, nf:]
    first = np.flatnonzero(ok[:nf, nf:].all(axis=0)) if nf else np.arange(len(free))
    arcs = free.tolist()
    bonus = index.bonus if with_bonus else {}
    nodes = 0
    base_load = int(p.load[fixed].sum()) if p.load is not None and load is not None and fixed else 0

    def search(cands: np.ndarray, chosen: list[int], total: float, used: int, carried: int) -> None:
        nonlocal nodes
        order = cands.tolist()
        for pos, k in enumerate(order):
            nodes += 1
            if nodes > NODE_LIMIT:
                return
            ceiling = total + sum(opt[c] for c in order[pos:pos + slots - len(chosen)])
            if len(found) >= PER_AGENT and ceiling <= found[-1][0] + EPS:
                return  # best first: no later candidate does better
            if used + use[k] > cap or (load is not None and carried + load[k] > limit):
                continue
            arc = arcs[k]
            gained = vals[k] + (sum(bonus.get((min(arc, a), max(arc, a)), 0)
                                    for a in [*fixed, *(arcs[c] for c in chosen)]) if bonus else 0.0)
            trial = [*chosen, k]
            found.append((total + gained, (*fixed, *(arcs[c] for c in trial))))
            found.sort(key=lambda f: -f[0])
            del found[PER_AGENT:]
            if len(trial) < slots:
                rest = cands[pos + 1:]
                rest = rest[between[k, rest]]
                if len(rest):
                    search(rest, trial, total + gained, used + use[k], carried + (load[k] if load is not None else 0))

    search(first, [], base_value, base_use, base_load)
    best = found[0][0] if found else -np.inf
    if not fixed:
        best = max(best, 0.0)
    return max(best if nodes <= NODE_LIMIT else max(best, relaxed), outside), found


def _small(p: CoreProblem, index: AgentArcs, agent: int, fixed: list[int], free: np.ndarray, value: np.ndarray,
           ok: np.ndarray, slots: int, base_value: float, with_bonus: bool) -> list[tuple[float, tuple[int, ...]]]:
    """The best pattern adding one, two and three of ``free`` to the fixed arcs: exact, by numpy over all of them."""
    nf, n = len(fixed), len(free)
    cap = int(p.capacity[agent]) - (int(p.use[fixed].sum()) if fixed else 0)
    use = p.use[free].astype(np.int64)
    if p.load is not None and p.load_limit is not None:
        room = float(p.load_limit[agent]) - (float(p.load[fixed].sum()) if fixed else 0.0)
        load = p.load[free].astype(np.float64)
    else:
        room, load = np.inf, np.zeros(n)
    v = value[free].astype(np.float64)
    pair_bonus = np.zeros((n, n))
    if with_bonus and index.bonus:
        where = {a: i for i, a in enumerate(free.tolist())}
        for f in fixed:
            for i, a in enumerate(free.tolist()):
                v[i] += index.bonus.get((min(a, f), max(a, f)), 0)
        for (a, b), bonus in index.bonus.items():
            if a in where and b in where:
                pair_bonus[where[a], where[b]] += bonus
                pair_bonus[where[b], where[a]] += bonus
    alone = (use <= cap) & (load <= room + 1e-9) & (ok[:nf, nf:].all(axis=0) if nf else True)
    out: list[tuple[float, tuple[int, ...]]] = []
    if not alone.any():
        return out
    v = np.where(alone, v, -np.inf)
    i = int(np.argmax(v))
    out.append((base_value + float(v[i]), (*fixed, int(free[i]))))
    if slots < 2 or n < 2:
        return out
    both = ok[nf:, nf:] & alone[:, None] & alone[None, :] & ((use[:, None] + use[None, :]) <= cap) \
        & ((load[:, None] + load[None, :]) <= room + 1e-9)
    both = np.triu(both, 1)
    if both.any():
        pair = np.where(both, v[:, None] + v[None, :] + pair_bonus, -np.inf)
        one, two = (int(t) for t in np.unravel_index(int(np.argmax(pair)), pair.shape))
        out.append((base_value + float(pair[one, two]), (*fixed, int(free[one]), int(free[two]))))
    if slots < 3:
        return out
    best3, where3 = -np.inf, None
    for i in range(n):
        js = np.flatnonzero(both[i])
        if len(js) < 2:
            continue
        sub = both[np.ix_(js, js)] & ((use[i] + use[js][:, None] + use[js][None, :]) <= cap) \
            & ((load[i] + load[js][:, None] + load[js][None, :]) <= room + 1e-9)
        if not sub.any():
            continue
        total = v[i] + v[js][:, None] + v[js][None, :] + pair_bonus[i, js][:, None] + pair_bonus[i, js][None, :] \
            + pair_bonus[np.ix_(js, js)]
        total = np.where(sub, total, -np.inf)
        k = int(np.argmax(total))
        if total.flat[k] > best3:
            second, third = (int(t) for t in np.unravel_index(k, total.shape))
            best3, where3 = float(total.flat[k]), (i, int(js[second]), int(js[third]))
    if where3 is not None:
        out.append((base_value + best3, (*fixed, *(int(free[t]) for t in where3))))
    return out


def compatible(p: CoreProblem, arcs: np.ndarray) -> np.ndarray:
    """Which pairs of one agent's arcs may be taken together: different jobs within the spread limit."""
    jobs = p.job[arcs]
    ok = jobs[:, None] != jobs[None, :]
    np.fill_diagonal(ok, True)  # an arc goes with itself (only pairs of different arcs are checked)
    if p.spread is not None:
        s = p.spread
        km = np.asarray(haversine_km(s.job_lat[jobs][:, None], s.job_lon[jobs][:, None], s.job_lat[jobs][None, :],
                                     s.job_lon[jobs][None, :]))
        ok &= (km <= s.limit_km + 1e-9) | np.eye(len(arcs), dtype=bool)
    return ok


def _bonus(index: AgentArcs, arcs: list[int]) -> float:
    return float(sum(index.bonus.get((min(a, b), max(a, b)), 0) for i, a in enumerate(arcs) for b in arcs[i + 1:]))
