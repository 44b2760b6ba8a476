"""``solver.hold_tolerance``: a later stage gives up at most that share of an earlier stage's value; 0 is strict."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from matcher.model.core import CoreProblem, SolverOptions, Stage, solve_core
from matcher.model.large import solve_large
from matcher.model.problem import held_value

from .problems import broken_rules, random_problem, stage_values

STRICT = SolverOptions(time_limit_s=60.0, workers=1, seed=0)  # a limit, not a target


def two_choices(coverage_given_up: int) -> CoreProblem:
    """One agent with room for one job: job 0 covers 1,000 and scores 0; job 1 covers less and scores 100."""
    return CoreProblem(agent=np.array([0, 0]), job=np.array([0, 1]), use=np.array([1, 1]), capacity=np.array([1]),
                       must_cover=np.array([False, False]),
                       stages=(Stage("coverage", np.array([1000, 1000 - coverage_given_up]), "max"),
                               Stage("score", np.array([0, 100]), "max"),
                               Stage("spend", np.array([5, 7]), "min")))


def test_the_held_value_gives_up_at_most_the_share_rounded_towards_the_earlier_stage():
    assert held_value(10_000, "max", 0.001) == 9_990 and held_value(10_000, "min", 0.001) == 10_010
    assert held_value(1_999, "max", 0.001) == 1_998  # 1.999 given up at most: 1
    assert held_value(999, "max", 0.001) == 999 and held_value(10_000, "max", 0) == 10_000
    assert held_value(-10_000, "max", 0.001) == -10_010


@pytest.mark.parametrize("solve", [solve_core, solve_large], ids=["core", "large"])
def test_zero_keeps_the_strict_order(solve):
    solution = solve(two_choices(1), STRICT)
    assert [s.objective for s in solution.stages] == [1000, 0, 5]


@pytest.mark.parametrize("solve", [solve_core, solve_large], ids=["core", "large"])
def test_a_later_stage_gives_up_at_most_the_tolerance_of_an_earlier_one(solve):
    options = replace(STRICT, hold_tolerance=0.001)
    # Giving up 1 of 1,000 coverage (0.1 %) buys 100 score points: taken.
    assert stage_values(two_choices(1), solve(two_choices(1), options).chosen) == [999, 100, 7]
    # Giving up 2 (0.2 %) is more than the tolerance: the strict plan.
    assert stage_values(two_choices(2), solve(two_choices(2), options).chosen) == [1000, 0, 5]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_on_a_random_problem_each_stage_keeps_its_share_and_every_rule(seed):
    problem = random_problem(40, 25, 6, seed)
    tolerance = 0.01
    strict = solve_core(problem, STRICT)
    loose = solve_core(problem, replace(STRICT, hold_tolerance=tolerance))
    assert broken_rules(problem, loose.chosen) == []
    coverage, score, _ = stage_values(problem, loose.chosen)
    first, second, _ = loose.stages
    assert coverage >= first.objective - tolerance * first.objective
    assert score >= second.objective - tolerance * second.objective
    # Coverage first: the loose run's coverage stage is the strict run's optimum; the score can only gain.
    assert first.objective == strict.stages[0].objective
    assert second.objective >= strict.stages[1].objective
