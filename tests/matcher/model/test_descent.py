"""Subgradient descent on every price: its value always bounds the optimum, and comes close to the LP."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from matcher.model import lagrange, master
from matcher.model.core import SolverOptions, solve_core
from matcher.model.descent import descend

from .problems import random_problem

OPTIONS = SolverOptions(time_limit_s=120.0, workers=1, seed=0)  # a limit, not a target


def searched_start(problem, weights, rows):
    index = lagrange.JobIndex.of(problem)
    zero = lagrange.Prices(np.zeros(len(problem.capacity)), (0.0,) * len(rows))
    value, prices = lagrange.improve_side_prices(problem, index, weights, rows, zero)
    return index, value, prices


def lp_value(problem, index, weights, rows) -> float:
    """The stage's LP relaxation, by column generation run to convergence on a small problem."""
    lp = master.solve_stage_lp(problem, index, weights, rows, np.ones(problem.n_arcs, dtype=bool), 1e-9)
    return lp.value


@pytest.mark.parametrize("seed, must, fixed_arcs, limit", [(1, 0.0, 0, False), (2, 0.2, 3, False),
                                                           (3, 0.0, 2, True), (5, 0.0, 0, False)])
def test_descent_bounds_the_optimum_beats_the_side_search_and_reaches_the_lp(seed, must, fixed_arcs, limit):
    # The score stage on its own: supporters are scarce, so the agents' prices matter.
    problem = random_problem(60, 30, 6, seed, must, fixed_arcs, limit)
    problem = replace(problem, stages=problem.stages[1:2])
    solution = solve_core(problem, OPTIONS)
    assert solution.stages[0].status == "OPTIMAL"
    optimum = solution.stages[0].objective
    weights = problem.stages[0].coefficients
    rows = lagrange.side_rows(problem)
    index, searched, prices = searched_start(problem, weights, rows)
    value, better = descend(problem, index, weights, rows, prices, optimum)
    exact = lagrange.bound(problem, index, rows, better, lagrange.reduced_costs(problem, weights, rows, better))
    assert value == pytest.approx(exact)  # the value reported is the exact Lagrangian of the prices returned
    assert searched > value >= optimum - 1e-6
    assert value == pytest.approx(lp_value(problem, index, weights, rows), rel=1e-3)


def test_descent_bounds_a_later_stage_that_holds_the_first():
    problem = random_problem(60, 30, 6, seed=4)
    solution = solve_core(problem, OPTIONS)
    assert [s.status for s in solution.stages[:2]] == ["OPTIMAL", "OPTIMAL"]
    coverage, score = problem.stages[0].coefficients, problem.stages[1].coefficients
    rows = [*lagrange.side_rows(problem), lagrange.hold_row(coverage, int(solution.stages[0].objective), "max")]
    index, searched, prices = searched_start(problem, score, rows)
    value, _ = descend(problem, index, score, rows, prices, solution.stages[1].objective)
    assert searched > value >= solution.stages[1].objective - 1e-6
