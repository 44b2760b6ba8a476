"""The engine against OR-Library's published optima, and what a result promises.

The 60 gap1..gap12 problems must each be proven optimal at OR-Library's published maximum;
minimising must give the published minimum too. The files are vendored in bench/instances/orlib-gap.
"""
from __future__ import annotations

import numpy as np
import pytest

from matcher.gap import read_gap, solve_gap, to_core
from matcher.gap.solve import WORK_PER_SECOND

from .orlib import GAP_1_TO_12, OPTIMA, TIME_LIMIT_S, TINY, generated, instance, write

WORK_OF_10_S = WORK_PER_SECOND * 10


# --- Published optima ----------------------------------------------------------------------

def test_there_are_sixty_gap1_to_12_problems_with_a_published_maximum():
    assert len(GAP_1_TO_12) == 60


@pytest.mark.parametrize("name", GAP_1_TO_12)
def test_each_gap1_to_12_problem_is_proven_optimal_at_the_published_maximum(name):
    problem = instance(name)
    result = solve_gap(problem, "max", TIME_LIMIT_S)
    assert (result.status, result.objective) == ("OPTIMAL", OPTIMA[(name, "max")])
    plan = np.array(result.assignment)
    assert problem.fits(plan) and problem.value(plan) == result.objective


@pytest.mark.parametrize("name", ["gap1-1", "gap1-2", "gap1-3"])
def test_minimising_gives_the_published_minimum(name):
    result = solve_gap(instance(name), "min", TIME_LIMIT_S)
    assert (result.status, result.objective) == ("OPTIMAL", OPTIMA[(name, "min")])


def test_a_tiny_problem_by_hand_in_both_senses(tmp_path):
    (tiny,) = read_gap(write(tmp_path, TINY, "tiny.txt"))
    best = solve_gap(tiny, "max", TIME_LIMIT_S)
    cheapest = solve_gap(tiny, "min", TIME_LIMIT_S)
    assert (best.objective, best.assignment, best.status) == (21, (0, 1, 0), "OPTIMAL")
    assert (cheapest.objective, cheapest.assignment) == (17, (1, 0, 0))


def test_an_impossible_problem_is_reported_without_a_plan(tmp_path):
    (stuck,) = read_gap(write(tmp_path, "1\n1 2\n1 1\n5 5\n9\n", "stuck.txt"))
    result = solve_gap(stuck, "min", TIME_LIMIT_S)
    assert (result.status, result.objective, result.assignment) == ("INFEASIBLE", None, None)


def test_the_core_problem_has_one_arc_per_pair_and_covers_every_job(tmp_path):
    (tiny,) = read_gap(write(tmp_path, TINY, "tiny.txt"))
    core = to_core(tiny, "max")
    assert list(zip(core.agent, core.job, strict=True)) == [(0, 0), (1, 0), (0, 1), (1, 1), (0, 2), (1, 2)]
    assert core.use.tolist() == [3, 3, 3, 3, 1, 3] and core.capacity.tolist() == [5, 5]
    assert core.must_cover.all()
    (stage,) = core.stages
    assert (stage.sense, stage.coefficients.tolist()) == ("max", [9, 4, 8, 7, 5, 6])


def test_a_maximised_problem_reports_its_bound_in_its_own_sense():
    result = solve_gap(instance("gap1-1"), "max", TIME_LIMIT_S)
    assert result.bound == result.objective == OPTIMA[("gap1-1", "max")]


# --- Proven bounds and repeatable runs ---------------------------------------------------------

@pytest.mark.parametrize("name", ["b10200", "c10200", "c20200"])
def test_the_hardest_b_and_c_problems_are_proven_optimal_with_the_work_of_a_10_s_run(name):
    result = solve_gap(instance(name), "min", 600.0, work=WORK_OF_10_S)   # the clock never binds: no flakiness
    assert (result.status, result.objective, result.bound) == ("OPTIMAL", OPTIMA[(name, "min")],
                                                               OPTIMA[(name, "min")])


@pytest.mark.parametrize("family, seed", [("d", 3), ("e", 3)])
def test_a_run_with_the_same_work_repeats_itself_and_its_bound_is_below_its_plan(family, seed):
    problem = generated(family, 10, 60, seed)
    first, second = (solve_gap(problem, "min", 600.0, work=0.6) for _ in range(2))
    assert first.assignment == second.assignment and first.bound == second.bound
    assert problem.fits(np.array(first.assignment)) and first.bound <= first.objective
    assert first.seconds < 600
