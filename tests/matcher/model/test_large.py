"""The large-instance solver: every plan keeps every rule, and every reported bound is a real bound."""
from __future__ import annotations

import pytest

from matcher.model.core import CoreProblem, SolverOptions, Stage, solve_core
from matcher.model.large import solve_large

from .problems import broken_rules, random_problem, stage_values

OPTIONS = SolverOptions(time_limit_s=5.0, workers=1, seed=0)
EXACT = SolverOptions(time_limit_s=120.0, workers=1, seed=0)  # a limit, not a target: proofs on a busy machine


@pytest.mark.parametrize("seed, must, fixed_arcs, limit", [(1, 0.0, 0, False), (2, 0.1, 3, False),
                                                            (3, 0.0, 2, True), (4, 0.2, 0, True)])
def test_the_plan_keeps_every_rule_and_its_bounds_hold(seed, must, fixed_arcs, limit):
    problem = random_problem(40, 25, 6, seed, must, fixed_arcs, limit)
    large = solve_large(problem, OPTIONS)
    exact = solve_core(problem, EXACT)
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
    exact = solve_core(held, EXACT)
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
    assert all(stage.gap <= 0.01 for stage in solution.stages), solution.stages


def test_the_same_inputs_and_seed_give_the_same_plan():
    # Every limit inside the large solver counts work, never the clock.
    problem = random_problem(300, 150, 12, seed=13)
    first = solve_large(problem, SolverOptions(time_limit_s=2.0, workers=1, seed=3))
    second = solve_large(problem, SolverOptions(time_limit_s=2.0, workers=1, seed=3))
    assert (first.chosen == second.chosen).all()
    assert [(s.objective, s.bound) for s in first.stages] == [(s.objective, s.bound) for s in second.stages]
