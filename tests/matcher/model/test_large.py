"""The large-instance solver: every plan keeps every rule, and every reported bound is a real bound."""
from __future__ import annotations

import numpy as np
import pytest

from matcher.model.core import CoreProblem, SolverOptions, Stage, solve_core
from matcher.model.large import solve_large

OPTIONS = SolverOptions(time_limit_s=5.0, workers=1, seed=0)


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


@pytest.mark.parametrize("seed, must, fixed_arcs, limit", [(1, 0.0, 0, False), (2, 0.1, 3, False),
                                                            (3, 0.0, 2, True), (4, 0.2, 0, True)])
def test_the_plan_keeps_every_rule_and_its_bounds_hold(seed, must, fixed_arcs, limit):
    problem = random_problem(40, 25, 6, seed, must, fixed_arcs, limit)
    large = solve_large(problem, OPTIONS)
    exact = solve_core(problem, OPTIONS)
    assert exact.feasible and large.feasible
    assert broken_rules(problem, large.chosen) == []
    assert [s.objective for s in large.stages] == stage_values(problem, large.chosen)
    # The first stage has the same feasible set in both solvers: its bound must hold against the optimum.
    first, optimum = large.stages[0], exact.stages[0]
    assert optimum.status == "OPTIMAL"
    assert first.bound >= optimum.objective >= first.objective
    for stage in large.stages:
        assert stage.gap >= 0 and (stage.status == "OPTIMAL") == (stage.gap == 0)
        assert (stage.bound >= stage.objective) if stage.name != "spend" else (stage.bound <= stage.objective)


def test_later_stages_hold_the_earlier_ones():
    problem = random_problem(60, 30, 6, seed=7)
    solution = solve_large(problem, OPTIONS)
    coverage, score, spend = solution.stages
    values = stage_values(problem, solution.chosen)
    assert values[0] >= coverage.objective and values[1] >= score.objective and values[2] == spend.objective
    # Each later stage's bound holds against the exact optimum with the earlier stages held.
    held = CoreProblem(**{**problem.__dict__, "stages": problem.stages[1:],
                          "limits": ((-problem.stages[0].coefficients, -int(coverage.objective)),)})
    exact = solve_core(held, OPTIONS)
    assert exact.stages[0].status == "OPTIMAL"
    assert score.bound >= exact.stages[0].objective >= score.objective


def test_no_plan_when_a_must_cover_job_has_no_arc():
    problem = random_problem(20, 10, 4, seed=5)
    keep = problem.job != 0
    must = problem.must_cover.copy()
    must[0] = True
    problem = CoreProblem(agent=problem.agent[keep], job=problem.job[keep], use=problem.use[keep],
                          capacity=problem.capacity, must_cover=must,
                          stages=tuple(Stage(s.name, s.coefficients[keep], s.sense) for s in problem.stages),
                          budget_cost=problem.budget_cost[keep], budget_limit=problem.budget_limit)
    solution = solve_large(problem, OPTIONS)
    assert not solution.feasible and not solution.chosen.any()


def test_a_structured_instance_closes_to_a_small_gap():
    problem = random_problem(300, 150, 12, seed=11)
    solution = solve_large(problem, SolverOptions(time_limit_s=4.0, workers=1, seed=0))
    assert broken_rules(problem, solution.chosen) == []
    assert all(stage.gap <= 0.01 for stage in solution.stages), [s.to_dict() for s in solution.stages]


def test_an_infeasible_first_restricted_lp_is_repaired_by_phase_one(monkeypatch):
    # Three must-cover jobs all prefer agent 0 (one unit); with one start arc per job the first
    # restricted LP is infeasible and phase 1 must price in the arcs to agents 1 and 2.
    import matcher.model.large as large
    monkeypatch.setattr(large, "START_PER_JOB", 1)
    job, agent = np.array([0, 0, 1, 1, 2, 2]), np.array([0, 1, 0, 2, 0, 1])
    problem = CoreProblem(agent=agent, job=job, use=np.ones(6, np.int64), capacity=np.array([1, 1, 1]),
                          must_cover=np.ones(3, bool),
                          stages=(Stage("score", np.array([9, 1, 9, 2, 9, 3]), "max"),))
    solution = solve_large(problem, OPTIONS)
    assert solution.feasible and broken_rules_no_budget(problem, solution.chosen) == []
    assert solution.stages[0].objective == 14  # agent 0 takes job 0, 1 or 2: best 9 + 2 + 3
    assert solution.stages[0].status == "OPTIMAL"


def broken_rules_no_budget(problem: CoreProblem, chosen: np.ndarray) -> list[str]:
    return broken_rules(CoreProblem(**{**problem.__dict__, "budget_cost": np.zeros(problem.n_arcs, np.int64),
                                       "budget_limit": 0}), chosen)
