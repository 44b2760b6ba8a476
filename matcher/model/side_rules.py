"""The load limit and the spread rule on very large instances, where they are kept by construction and repair.

The exact models (``core``, ``polish``) state both rules as constraints. The large path's fast
steps (greedy fill, min-cost-flow re-match) work on arcs, not on a model: the greedy fill skips an
arc that would break a rule (``fits``), and a re-matched plan is repaired (``repair``) by dropping,
supporter by supporter, the least valuable arcs until both rules hold. Fixed arcs never move.
"""
from __future__ import annotations

import numpy as np

from ..geography import haversine_km
from .problem import CoreProblem


def side_violations(problem: CoreProblem, chosen: np.ndarray) -> list[str]:
    """The load limits and spread pairs a plan breaks (empty when it keeps both)."""
    out = []
    p = problem
    if p.load is not None and p.load_limit is not None:
        load = np.bincount(p.agent[chosen], weights=p.load[chosen], minlength=len(p.capacity))
        if (load > p.load_limit + 1e-6).any():
            out.append("an agent is over its load limit")
    if len(p.conflicts(np.flatnonzero(chosen))):
        out.append("two jobs of one agent are further apart than the spread limit")
    return out


def fits(problem: CoreProblem, arc: int, load_left: np.ndarray | None, jobs_of: dict[int, list[int]]) -> bool:
    """Whether adding ``arc`` keeps its agent within its load limit and its jobs within the spread limit."""
    p = problem
    a = int(p.agent[arc])
    if load_left is not None and p.load is not None and p.load[arc] > load_left[a]:
        return False
    if p.spread is None or not jobs_of.get(a):
        return True
    s, j = p.spread, int(p.job[arc])
    others = np.array(jobs_of[a], dtype=np.int64)
    apart = haversine_km(s.job_lat[j], s.job_lon[j], s.job_lat[others], s.job_lon[others])
    return bool((apart <= s.limit_km).all())


def repair(problem: CoreProblem, chosen: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The plan with the fewest, least valuable arcs dropped so that every load limit and spread pair holds."""
    p = problem
    fixed = p.fixed if p.fixed is not None else np.zeros(p.n_arcs, dtype=bool)
    out = chosen.copy()
    if p.load is not None and p.load_limit is not None:
        load = np.bincount(p.agent[out], weights=p.load[out], minlength=len(p.capacity))
        for a in np.flatnonzero(load > p.load_limit + 1e-6).tolist():
            arcs = np.flatnonzero(out & (p.agent == a) & ~fixed)
            for i in arcs[np.argsort(weights[arcs], kind="stable")].tolist():
                if load[a] <= p.load_limit[a]:
                    break
                out[i] = False
                load[a] -= p.load[i]
    while True:
        pairs = p.conflicts(np.flatnonzero(out))
        if not len(pairs):
            return out
        a, b = (int(v) for v in pairs[0])
        drop = b if fixed[a] or (not fixed[b] and weights[b] < weights[a]) else a
        if fixed[drop]:
            return out  # two fixed arcs conflict: only the caller's rule check can say so
        out[drop] = False
