"""The GAP as the engine's ``CoreProblem``: whole (``to_core``), or restricted and solved with CP-SAT.

The exact phase passes every job and the arcs that survive reduced-cost fixing; the repair and
the local search pass a few freed jobs, with each agent's capacity reduced by the jobs that
stay. Either way a plan is the hint, so CP-SAT starts from it. The model is the core's own
(``matcher.model.core.build_model``: one job per agent, capacities); only the solver call is
made here, because each call is limited in CP-SAT's *deterministic* time (a count of work,
the same on a busy machine as on a quiet one, so a run repeats itself), with a wall-clock
limit only as a safety net. CP-SAT runs on one worker: on gap1..gap12 that was measured about
five times faster than two interleaved workers (9 s against 51 s in all).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .instance import GapInstance

if TYPE_CHECKING:  # the solver is imported only when solving, so reading a file never loads OR-Tools
    from ..model.core import CoreProblem


@dataclass(frozen=True, eq=False)
class Outcome:
    """How a restricted solve ended.

    Its status, the full plan after it (None without one), its lower bound, and the deterministic
    time it used.
    """

    status: str
    plan: np.ndarray | None
    bound: float
    work: float = 0.0


def solve_on_arcs(instance: GapInstance, cost: np.ndarray, arcs: np.ndarray, jobs: np.ndarray,
                  capacity: np.ndarray, plan: np.ndarray | None, work: float, seconds: float, seed: int,
                  full_lp: bool = True) -> Outcome:
    """Minimise ``cost`` of the ``jobs`` over the allowed ``arcs`` (agents x jobs) within ``capacity``.

    Jobs not in ``jobs`` keep their agent in ``plan`` (for freed jobs, ``plan`` is only a hint;
    -1 hints nothing). ``work`` limits CP-SAT's deterministic time, ``seconds`` its wall-clock
    time. ``bound`` bounds the cost of the freed jobs only (the whole problem's when every job
    is freed). ``full_lp`` adds CP-SAT's full LP relaxation (linearization level 2), which
    closes proofs faster; small repairs are quicker without it.
    """
    from ortools.sat.python import cp_model

    from ..model.core import STATUS, CoreProblem, build_model

    allowed = arcs[:, jobs]
    job_index, agent = np.nonzero(allowed.T)
    job = jobs[job_index]
    problem = CoreProblem(agent=agent, job=job_index, use=instance.use[agent, job], capacity=capacity,
                          must_cover=np.ones(len(jobs), dtype=bool), stages=())
    model, x = build_model(problem)
    model.minimize(cp_model.LinearExpr.weighted_sum(x, cost[agent, job].tolist()))
    if plan is not None:
        for arc in np.flatnonzero(plan[job] >= 0):
            model.add_hint(x[arc], bool(plan[job[arc]] == agent[arc]))
    solver = cp_model.CpSolver()
    solver.parameters.max_deterministic_time = max(work, 1e-3)
    solver.parameters.max_time_in_seconds = max(seconds, 0.01)
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.linearization_level = 2 if full_lp else 1
    status = STATUS[solver.solve(model)]
    spent = solver.deterministic_time
    if status not in ("OPTIMAL", "FEASIBLE"):
        bound = solver.best_objective_bound if status == "UNKNOWN" else float("inf")
        return Outcome(status, None, bound, spent)
    new_plan = np.full(instance.jobs, -1) if plan is None else plan.copy()
    picked = np.array([solver.boolean_value(v) for v in x], dtype=bool)
    new_plan[job[picked]] = agent[picked]
    return Outcome(status, new_plan, solver.best_objective_bound, spent)


def to_core(instance: GapInstance, sense: str) -> CoreProblem:
    """The instance as a ``CoreProblem``: one arc per (agent, job), every job covered, one stage.

    Arcs are ordered job by job: arc ``j * m + i`` gives job j to agent i.
    """
    from ..model.core import CoreProblem, Stage

    m, n = instance.agents, instance.jobs
    job, agent = np.divmod(np.arange(m * n), m)
    return CoreProblem(agent=agent, job=job, use=instance.use.T.ravel(), capacity=instance.capacity,
                       must_cover=np.ones(n, dtype=bool), stages=(Stage("objective", instance.cost.T.ravel(), sense),))
