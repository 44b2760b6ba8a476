"""Plans from prices: a greedy fill in reduced-cost order that keeps every row, and the rule check.

With good Lagrangian prices each job's best arc by reduced cost is nearly always in a best plan;
what the prices cannot say is how to share a supporter between jobs that want it, or which job
takes the last of the budget. The fill takes arcs best reduced cost first (ties: the later
stages' preference, so a plan that is good now is also a good start for the next stage) and
skips any arc that would break a row.
"""
from __future__ import annotations

import numpy as np

from .core import CoreProblem
from .lagrange import JobIndex, SideRow
from .side_rules import fits as keeps_side_rules
from .side_rules import side_violations


def greedy_fill(problem: CoreProblem, index: JobIndex, weights: np.ndarray, rows: list[SideRow], rc: np.ndarray,
                prefer: np.ndarray, start: np.ndarray) -> np.ndarray | None:
    """``start`` (a partial plan that keeps every row but perhaps a ``>=`` one) filled greedily.

    Jobs are taken must-cover first, then best reduced cost first; each takes its best arc (reduced cost, then
    ``prefer``) whose agent has room and that keeps every side row within its limit, if the arc
    is useful: a positive weight or reduced cost, a must-cover job, or a ``>=`` row still short.
    Returns None if the result still breaks a rule (a must-cover job or a hold it could not meet).
    """
    p = problem
    chosen = start.copy()
    count = np.bincount(p.job[chosen], minlength=len(p.must_cover))
    left = p.capacity - np.bincount(p.agent[chosen], weights=p.use[chosen], minlength=len(p.capacity)).astype(np.int64)
    if (count > 1).any() or (left < 0).any():
        return None
    load_left = None if p.load is None or p.load_limit is None else \
        p.load_limit - np.bincount(p.agent[chosen], weights=p.load[chosen], minlength=len(p.capacity))
    jobs_of: dict[int, list[int]] = {}
    for i in np.flatnonzero(chosen).tolist():
        jobs_of.setdefault(int(p.agent[i]), []).append(int(p.job[i]))
    lhs = np.array([float(r.coef[chosen].sum()) for r in rows])
    low = np.array([r.low for r in rows])
    high = np.array([r.high for r in rows])
    coef = np.stack([r.coef for r in rows]) if rows else np.zeros((0, p.n_arcs))
    ends = np.r_[index.starts[1:], p.n_arcs]
    best = np.maximum.reduceat(rc if index.order is None else rc[index.order], index.starts)
    # Must-cover jobs first, then best job first; ties by job number, for determinism.
    runs = np.lexsort((index.jobs, -best, ~p.must_cover[index.jobs]))
    for r in runs.tolist():
        j = int(index.jobs[r])
        if count[j] or not np.isfinite(best[r]):
            continue
        arcs = np.arange(index.starts[r], ends[r])
        if index.order is not None:
            arcs = index.order[arcs]
        arcs = arcs[np.isfinite(rc[arcs]) & (p.use[arcs] <= left[p.agent[arcs]])]
        if not len(arcs):
            continue
        after = lhs[:, None] + coef[:, arcs]
        fits = ((after <= high[:, None]) & ((after >= low[:, None]) | (coef[:, arcs] >= 0))).all(axis=0)
        short = ((lhs < low)[:, None] & (coef[:, arcs] > 0)).any(axis=0)
        useful = (weights[arcs] > 0) | (rc[arcs] > 0) | p.must_cover[j] | short
        arcs = arcs[fits & useful]
        if not len(arcs):
            continue
        ranked = arcs[np.lexsort((-prefer[arcs], -rc[arcs]))]
        pick = next((int(a) for a in ranked if keeps_side_rules(p, int(a), load_left, jobs_of)), None)
        if pick is None:
            continue
        i = pick
        chosen[i] = True
        count[j] = 1
        left[p.agent[i]] -= p.use[i]
        if load_left is not None and p.load is not None:
            load_left[p.agent[i]] -= p.load[i]
        jobs_of.setdefault(int(p.agent[i]), []).append(j)
        lhs += coef[:, i]
    return chosen if not violations(problem, chosen, rows) else None


def violations(problem: CoreProblem, chosen: np.ndarray, rows: list[SideRow]) -> list[str]:
    """Every constraint of ``problem`` (and of the side rows) that the plan ``chosen`` breaks."""
    p = problem
    out = []
    count = np.bincount(p.job[chosen], minlength=len(p.must_cover))
    if (count > 1).any():
        out.append("a job has two arcs")
    if (count[p.must_cover] < 1).any():
        out.append("a must-cover job is not covered")
    used = np.bincount(p.agent[chosen], weights=p.use[chosen], minlength=len(p.capacity))
    if (used > p.capacity).any():
        out.append("an agent is over capacity")
    if p.fixed is not None and not chosen[p.fixed].all():
        out.append("a fixed arc is not chosen")
    for r in rows:
        value = int(r.coef[chosen].sum())
        if not r.low <= value <= r.high:
            out.append(f"a row is broken: {r.low} <= {value} <= {r.high}")
    return out + side_violations(problem, chosen)
