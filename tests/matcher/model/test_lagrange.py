"""Lagrangian bounds: any prices of the right sign bound every plan, and better prices bound it more tightly."""
from __future__ import annotations

import numpy as np
import pytest

from matcher.model import lagrange, master
from matcher.model.core import SolverOptions, solve_core

from .problems import random_problem

# A limit, not a target: proofs take a moment on a busy machine.
OPTIONS = SolverOptions(time_limit_s=120.0, workers=1, seed=0)


def first_stage_optimum(problem) -> float:
    solution = solve_core(problem, OPTIONS)
    assert solution.stages[0].status == "OPTIMAL"
    return solution.stages[0].objective


@pytest.mark.parametrize("seed, must, fixed_arcs", [(1, 0.0, 0), (2, 0.2, 3), (3, 0.0, 2)])
def test_any_prices_bound_the_optimum(seed, must, fixed_arcs):
    problem = random_problem(30, 20, 5, seed, must, fixed_arcs)
    optimum = first_stage_optimum(problem)
    weights = problem.stages[0].coefficients
    index, rows = lagrange.JobIndex.of(problem), lagrange.side_rows(problem)
    rng = np.random.default_rng(seed)
    for _ in range(20):
        prices = lagrange.Prices(rng.random(len(problem.capacity)) * 400, (rng.random() * 1e-3,))
        rc = lagrange.reduced_costs(problem, weights, rows, prices)
        assert lagrange.bound(problem, index, rows, prices, rc) >= optimum - 1e-6


def test_searched_prices_bound_the_optimum_and_beat_zero_prices():
    problem = random_problem(60, 30, 6, seed=4)
    optimum = first_stage_optimum(problem)
    weights = problem.stages[0].coefficients
    index, rows = lagrange.JobIndex.of(problem), lagrange.side_rows(problem)
    zero = lagrange.Prices(np.zeros(len(problem.capacity)), (0.0,))
    at_zero = lagrange.bound(problem, index, rows, zero, lagrange.reduced_costs(problem, weights, rows, zero))
    searched, _ = lagrange.improve_side_prices(problem, index, weights, rows, zero)
    assert at_zero > searched >= optimum - 1e-6  # agents' prices too: test_descent.py


def test_a_bound_is_floored_to_the_weights_common_step():
    weights = np.array([100, 300, 50, 0])
    assert lagrange.integral_bound(120628.17, weights) == 120600
    assert lagrange.integral_bound(-7.5, np.array([1, 2])) == -8


def test_top_per_job_keeps_each_jobs_best_arcs_and_breaks_ties_by_preference():
    job = np.array([0, 0, 0, 1, 1, 2])
    rc = np.array([5.0, 7.0, 7.0, 1.0, -np.inf, 3.0])
    prefer = np.array([0.0, 1.0, 2.0, 0.0, 0.0, 0.0])
    assert lagrange.top_per_job(job, rc, prefer, 1).tolist() == [False, False, True, True, False, True]
    assert lagrange.top_per_job(job, rc, prefer, 2).tolist() == [False, True, True, True, False, True]


def test_the_lp_bound_holds_and_an_infeasible_first_restricted_lp_is_repaired():
    # Three must-cover jobs all prefer agent 0 (one unit); starting from those arcs alone the
    # restricted LP is infeasible and phase 1 must price in the arcs to agents 1 and 2.
    from matcher.model.core import CoreProblem, Stage
    job, agent = np.array([0, 0, 1, 1, 2, 2]), np.array([0, 1, 0, 2, 0, 1])
    weights = np.array([9, 1, 9, 2, 9, 3])
    problem = CoreProblem(agent=agent, job=job, use=np.ones(6, np.int64), capacity=np.array([1, 1, 1]),
                          must_cover=np.ones(3, bool), stages=(Stage("score", weights, "max"),))
    lp = master.solve_stage_lp(problem, lagrange.JobIndex.of(problem), weights, [], agent == 0, 0.0)
    assert lp.feasible
    assert lp.bound == pytest.approx(14.0)  # agent 0 takes job 0, 1 or 2: best 9 + 2 + 3
