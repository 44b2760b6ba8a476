"""CP-SAT on a small part of a large instance: around the LP, then on every arc that may still pay.

1. A relaxation-induced neighbourhood: the arcs that both the LP (taken whole) and the plan use
   are kept; CP-SAT re-plans everything else among a few good arcs per job, from the plan.
2. Exact reduced-cost fixing: for prices with Lagrangian value ``L``, a plan that uses an arc
   with reduced cost ``rc < -(L - incumbent)`` is worse than the incumbent (``lagrange``), so if
   the arcs with ``rc >= -(L - incumbent)`` are few, CP-SAT on them alone proves its bound for
   the whole instance.
"""
from __future__ import annotations

import logging
import math

import numpy as np
from ortools.sat.python import cp_model

from . import constraints
from .core import CoreProblem, SolverOptions
from .lagrange import SideRow, top_per_job
from .master import StageLp
from .rounding import violations

LOG = logging.getLogger(__name__)

NEIGHBOURS_PER_JOB = 4  # free arcs per job in the neighbourhood, best reduced cost first
NEIGHBOURHOOD_CAP = 30_000  # most free arcs in the neighbourhood
CORE_CAP = 40_000  # most arcs in the exact core


def polish(problem: CoreProblem, weights: np.ndarray, rows: list[SideRow], lp: StageLp, rc: np.ndarray,
           prefer: np.ndarray, plan: np.ndarray, bound: int, seconds: float,
           options: SolverOptions) -> tuple[np.ndarray, int]:
    """A plan at least as good as ``plan`` and the bound, perhaps lowered by the exact core (see the module text).

    Two neighbourhoods are tried, each for a third of ``seconds``: the LP's whole arcs kept (the
    LP is nearly integral, so little is left to decide), then the arcs the LP and the plan agree
    on kept; the last third goes to the exact core.
    """
    p = problem
    fixed = p.fixed if p.fixed is not None else np.zeros(p.n_arcs, dtype=bool)
    value = int(weights[plan].sum())
    whole = np.zeros(p.n_arcs, dtype=bool)
    whole[lp.whole()] = True
    support = np.zeros(p.n_arcs, dtype=bool)
    support[lp.support()] = True
    for base in (whole | fixed, (whole & plan) | fixed):
        if value >= bound:
            break
        free = _free_arcs(p, base, plan | support, rc, prefer)
        found = neighbourhood(p, weights, rows, base, free, plan, seconds / 3, options)
        if found is not None and found[1] > value:
            plan, value = found[0], found[1]
    slack = (bound - value) + 1e-6 * max(1.0, abs(bound)) + 1e-6
    core = ((rc >= -slack) | plan) & ~fixed
    if value < bound and int(core.sum()) <= CORE_CAP:
        found = neighbourhood(p, weights, rows, fixed, core, plan, seconds / 3, options)
        if found is not None:
            # Outside the core no plan beats the incumbent, so the core's bound holds for all plans.
            plan, value, bound = found[0], max(value, found[1]), min(bound, max(value, found[2]))
    return plan, bound


def _free_arcs(problem: CoreProblem, base: np.ndarray, wanted: np.ndarray, rc: np.ndarray,
               prefer: np.ndarray) -> np.ndarray:
    """The arcs CP-SAT may choose around ``base``: the ``wanted`` ones and each open job's best few."""
    p = problem
    taken = np.bincount(p.job[base], minlength=len(p.must_cover)) > 0
    left = p.capacity - np.bincount(p.agent[base], weights=p.use[base], minlength=len(p.capacity)).astype(np.int64)
    open_ = ~base & ~taken[p.job] & (p.use <= left[p.agent])
    keep = wanted & open_
    free = keep | top_per_job(p.job, rc, prefer, NEIGHBOURS_PER_JOB, open_)
    if int(free.sum()) > NEIGHBOURHOOD_CAP:
        free = keep | top_per_job(p.job, rc, prefer, 1, open_)
    return free


def neighbourhood(problem: CoreProblem, weights: np.ndarray, rows: list[SideRow], base: np.ndarray,
                  free: np.ndarray, hint: np.ndarray, seconds: float,
                  options: SolverOptions) -> tuple[np.ndarray, int, int] | None:
    """CP-SAT with the ``base`` arcs taken and a choice among the ``free`` ones: (plan, value, bound)."""
    p = problem
    idx = np.flatnonzero(free & ~base)
    offset = int(weights[base].sum())
    model = cp_model.CpModel()
    x = [model.new_bool_var("") for _ in range(len(idx))]
    job, agent, use = p.job[idx], p.agent[idx], p.use[idx]
    taken = np.bincount(p.job[base], minlength=len(p.must_cover)) > 0
    if (p.must_cover & ~taken & ~np.isin(np.arange(len(p.must_cover)), job)).any():
        return None
    n_jobs = len(p.must_cover)
    constraints.one_partnership_per_recipient(model, x, job, n_jobs, p.must_cover, closed=taken)
    left = p.capacity - np.bincount(p.agent[base], weights=p.use[base], minlength=len(p.capacity)).astype(np.int64)
    constraints.supporter_capacity(model, x, agent, use, left)
    for r in rows:
        done = int(r.coef[base].sum())
        constraints.bounded_sum(model, x, r.coef[idx], r.low - done, r.high - done)
    model.maximize(cp_model.LinearExpr.weighted_sum(x, weights[idx].tolist()))
    for var, h in zip(x, hint[idx].tolist(), strict=True):
        model.add_hint(var, h)
    solver = cp_model.CpSolver()
    # Deterministic time keeps the plan reproducible; the wall-clock limit is only a safety net.
    solver.parameters.max_deterministic_time = max(0.1, seconds)
    solver.parameters.max_time_in_seconds = max(5.0, 10 * seconds)
    solver.parameters.num_workers = max(1, options.workers)
    solver.parameters.random_seed = options.seed
    status = solver.solve(model)
    LOG.debug("CP-SAT on %d arcs: %s, %.1f (bound %.1f) in %.2fs", len(idx), solver.status_name(status),
              solver.objective_value + offset, solver.best_objective_bound + offset, solver.wall_time)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    found = base.copy()
    found[idx[np.array([solver.boolean_value(v) for v in x], dtype=bool)]] = True
    if violations(problem, found, rows):
        return None
    return found, int(weights[found].sum()), math.floor(solver.best_objective_bound + 1e-6) + offset

