"""The GAP as the engine's ``CoreProblem``: whole (``to_core``), or restricted and solved with ``solve_core``.

The exact phase passes every job and the arcs that survive reduced-cost fixing; the local
search passes a few freed jobs, with each agent's capacity reduced by the jobs that stay.
Either way the current plan is the hint, so CP-SAT starts from it. The arcs are already
reduced here, so the core's own LP reduction for very large instances is switched off.
CP-SAT runs on one worker: on gap1..gap12 that was measured about five times faster than
two interleaved workers (9 s against 51 s in all).
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
    """Status of the restricted solve, the full plan after it (None without one), and its lower bound."""

    status: str
    plan: np.ndarray | None
    bound: float


def solve_on_arcs(instance: GapInstance, cost: np.ndarray, arcs: np.ndarray, jobs: np.ndarray,
                  capacity: np.ndarray, plan: np.ndarray | None, time_limit_s: float, seed: int) -> Outcome:
    """Minimise ``cost`` of the ``jobs`` over the allowed ``arcs`` (agents x jobs) within ``capacity``.

    Jobs not in ``jobs`` keep their agent in ``plan``. ``bound`` bounds the cost of the freed
    jobs only (it is the whole problem's bound when every job is freed). Arcs are ordered job
    by job, as in ``to_core``.
    """
    from ..model.core import CoreProblem, SolverOptions, Stage, solve_core

    allowed = arcs[:, jobs]
    job_index, agent = np.nonzero(allowed.T)
    job = jobs[job_index]
    problem = CoreProblem(agent=agent, job=job_index, use=instance.use[agent, job], capacity=capacity,
                          must_cover=np.ones(len(jobs), dtype=bool), stages=(Stage("cost", cost[agent, job], "min"),))
    hint = None if plan is None else plan[job] == agent
    options = SolverOptions(time_limit_s=time_limit_s, workers=1, seed=seed, reduce_above=problem.n_arcs)
    solution = solve_core(problem, options, hint)
    stage = solution.stages[0]
    if not solution.feasible:
        return Outcome(stage.status, None, stage.bound)
    new_plan = np.full(instance.jobs, -1) if plan is None else plan.copy()
    new_plan[job[solution.chosen]] = agent[solution.chosen]
    return Outcome(stage.status, new_plan, stage.bound)


def to_core(instance: GapInstance, sense: str) -> CoreProblem:
    """The instance as a ``CoreProblem``: one arc per (agent, job), every job covered, one stage.

    Arcs are ordered job by job: arc ``j * m + i`` gives job j to agent i.
    """
    from ..model.core import CoreProblem, Stage

    m, n = instance.agents, instance.jobs
    job, agent = np.divmod(np.arange(m * n), m)
    return CoreProblem(agent=agent, job=job, use=instance.use.T.ravel(), capacity=instance.capacity,
                       must_cover=np.ones(n, dtype=bool), stages=(Stage("objective", instance.cost.T.ravel(), sense),))
