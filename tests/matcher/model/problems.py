"""Small random assignment-core problems shaped like the national one, and an independent rule check."""
from __future__ import annotations

import numpy as np

from matcher.model.core import CoreProblem, Stage


def random_problem(n_jobs: int, n_agents: int, per_job: int, seed: int, must: float = 0.0,
                   fixed_arcs: int = 0, limit: bool = False) -> CoreProblem:
    """Jobs and agents on a plane, each job linked to nearby agents; a budget that binds."""
    rng = np.random.default_rng(seed)
    jobs_at, agents_at = rng.random((n_jobs, 2)), rng.random((n_agents, 2))
    dist = np.hypot(*(jobs_at[:, None, :] - agents_at[None, :, :]).transpose(2, 0, 1))
    near = np.argsort(dist, axis=1)[:, :per_job]
    job = np.repeat(np.arange(n_jobs), per_job).astype(np.int64)
    agent = near.reshape(-1).astype(np.int64)
    n = len(job)
    use = np.where(rng.random(n) < 0.05, 2, 1).astype(np.int64)
    coverage = rng.choice([100, 300, 400, 800], n_jobs)[job].astype(np.int64)
    closeness = 1 - dist[job, agent] / dist.max()
    score = np.clip((closeness * 2200 + rng.normal(0, 300, n)).astype(np.int64), -200, 2500)
    cost = (rng.integers(300, 2500, n_jobs)[job] * np.where(use > 1, 1.3, 1.0)).astype(np.int64) * 1000
    capacity = rng.integers(1, 3, n_agents).astype(np.int64)
    budget = int(0.5 * min(n_jobs, capacity.sum()) * np.median(cost))
    fixed = np.zeros(n, dtype=bool)
    fixed[rng.choice(n_jobs, fixed_arcs, replace=False) * per_job] = True  # each job's nearest agent
    must_cover = rng.random(n_jobs) < must
    limits = ((-np.where(rng.random(n) < 0.3, 1, 0).astype(np.int64), -3),) if limit else ()
    stages = (Stage("coverage", coverage, "max"), Stage("score", score, "max"), Stage("spend", cost, "min"))
    return CoreProblem(agent=agent, job=job, use=use, capacity=capacity, must_cover=must_cover, stages=stages,
                       budget_cost=cost, budget_limit=budget, fixed=fixed, limits=limits)


def broken_rules(problem: CoreProblem, chosen: np.ndarray) -> list[str]:
    """Every rule the plan breaks, checked here independently of the solver."""
    out = []
    per_job = np.bincount(problem.job[chosen], minlength=len(problem.must_cover))
    if (per_job > 1).any():
        out.append("two partnerships for one job")
    if (per_job[problem.must_cover] == 0).any():
        out.append("a must-cover job is uncovered")
    used = np.bincount(problem.agent[chosen], weights=problem.use[chosen], minlength=len(problem.capacity))
    if (used > problem.capacity).any():
        out.append("an agent over capacity")
    if problem.budget_cost[chosen].sum() > problem.budget_limit:
        out.append("over budget")
    if problem.fixed is not None and not chosen[problem.fixed].all():
        out.append("a fixed arc dropped")
    for coefficients, limit in problem.limits:
        if coefficients[chosen].sum() > limit:
            out.append("a limit broken")
    return out


def stage_values(problem: CoreProblem, chosen: np.ndarray) -> list[int]:
    return [int(s.coefficients[chosen].sum()) for s in problem.stages]
