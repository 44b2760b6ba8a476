"""The searches: restricted CP-SAT solves, the neighbourhood search, the tabu search, repair and branch and bound."""
from __future__ import annotations

import time

import numpy as np

from matcher.gap import GapInstance, read_gap, start_assignment
from matcher.gap.branch import plan_within
from matcher.gap.lagrangian import arc_bounds, lagrangian_dual, prices_from_lp
from matcher.gap.lagrangian import useful_arcs as lagrangian_useful_arcs
from matcher.gap.neighbourhoods import improve_by_neighbourhoods
from matcher.gap.relaxation import arcs_within, lp_relaxation, useful_arcs
from matcher.gap.repair import repair
from matcher.gap.subproblem import solve_on_arcs
from matcher.gap.tabu import tabu_search

from .orlib import OPTIMA, TIME_LIMIT_S, TINY, generated, instance, instances, write


def test_a_subproblem_moves_only_the_freed_jobs(tmp_path):
    (tiny,) = read_gap(write(tmp_path, TINY, "tiny.txt"))
    plan = np.array([1, 0, 0])                      # cost 4 + 8 + 5 = 17, the minimum
    every = np.ones((2, 3), dtype=bool)
    freed = np.array([1, 2])                        # job 0 stays with agent 1 and uses 3 of its 5
    outcome = solve_on_arcs(tiny, tiny.cost, every, freed, np.array([5, 2]), plan, 1.0, TIME_LIMIT_S, 0)
    assert outcome.status == "OPTIMAL" and outcome.plan.tolist() == [1, 0, 0] and outcome.bound == 13


def search(problem: GapInstance, start: np.ndarray, lower: int, work: float,
           others: tuple[np.ndarray, ...] = ()) -> tuple[np.ndarray, float]:
    """The neighbourhood search on LP-reduced arcs, guided by the LP alone."""
    relaxation = lp_relaxation(problem, problem.cost)
    far = time.perf_counter() + 3600
    return improve_by_neighbourhoods(problem, problem.cost, relaxation.x, relaxation.x, start, lower, work, far, 0,
                                     lambda plan: useful_arcs(relaxation, problem.cost, plan), others)


def test_the_local_search_keeps_a_fitting_plan_never_worsens_it_and_repeats_itself():
    problem = instances("gapc.txt")["c05100"]
    start = start_assignment(problem, "min")
    other = start_assignment(problem, "max")              # a fitting plan that differs almost everywhere
    lower = lp_relaxation(problem, problem.cost).whole_bound
    (plan, used), (again, _) = (search(problem, start, lower, 0.5, (other,)) for _ in range(2))
    assert problem.fits(plan) and problem.value(plan) <= problem.value(start)
    assert problem.value(plan) >= OPTIMA[("c05100", "min")]
    assert 0 < used <= 0.5 + 0.1 and np.array_equal(plan, again)


def test_the_tabu_search_keeps_a_fitting_plan_never_worsens_it_and_repeats_itself():
    problem = instances("gapc.txt")["c20100"]
    start = start_assignment(problem, "min")
    relaxation = lp_relaxation(problem, problem.cost)
    arcs = useful_arcs(relaxation, problem.cost, start)
    far = time.perf_counter() + 3600
    plans = [tabu_search(problem, problem.cost, arcs, start, relaxation.whole_bound, 300, far) for _ in range(2)]
    assert problem.fits(plans[0]) and problem.value(plans[0]) <= problem.value(start)
    assert problem.value(plans[0]) >= OPTIMA[("c20100", "min")]
    assert np.array_equal(plans[0], plans[1])


def test_the_local_search_stops_at_once_when_the_plan_meets_the_bound():
    problem = instances("gapc.txt")["c05100"]
    start = start_assignment(problem, "min")
    assert search(problem, start, problem.value(start), 1.0) == (start, 0.0)


# --- Lagrangian repair and branch and bound ------------------------------------------------------

def lagrangian(problem: GapInstance, target: int):
    """The LP relaxation, the Lagrangian relaxation from its prices, and each arc's proven bound."""
    relaxation = lp_relaxation(problem, problem.cost)
    start = prices_from_lp(relaxation.reduced_cost, problem.cost, problem.use)
    dual = lagrangian_dual(problem, problem.cost, start, target, 150, 45, 15)
    return relaxation, dual, arc_bounds(dual, problem, problem.cost)


def test_a_repaired_knapsack_solution_is_a_fitting_plan_that_keeps_the_jobs_taken_once_and_repeats_itself():
    problem = generated("d", 10, 60, 3)
    relaxation, dual, _ = lagrangian(problem, 10 ** 6)
    chosen = dual.snapshots[-1]
    every = np.ones(problem.cost.shape, dtype=bool)
    (plan, work), (again, _) = (repair(problem, problem.cost, chosen, every, 0.2, 60, 0) for _ in range(2))
    once = chosen.sum(axis=0) == 1
    assert problem.fits(plan) and np.array_equal(plan, again)
    assert 0 <= work <= 0.21                                   # CP-SAT checks its limit only now and then
    assert (plan[once] == chosen[:, once].argmax(axis=0)).all()
    assert problem.value(plan) >= relaxation.whole_bound


def test_branch_and_bound_finds_the_optimum_and_proves_nothing_is_cheaper():
    problem = instance("c10100")
    optimum = OPTIMA[("c10100", "min")]
    relaxation, dual, bounds = lagrangian(problem, optimum + 5)

    def search(target):
        arcs = arcs_within(relaxation, target) & lagrangian_useful_arcs(bounds, target + 1)
        return plan_within(problem, problem.cost, arcs, target, dual.prices, 5.0)

    found, below = search(optimum), search(optimum - 1)
    assert found.plan is not None and problem.fits(found.plan) and problem.value(found.plan) == optimum
    assert (below.plan, below.exhausted) == (None, True) and 0 < below.work < 5.0
    assert np.array_equal(search(optimum).plan, found.plan)


def test_branch_and_bound_on_a_tiny_problem_by_hand(tmp_path):
    (tiny,) = read_gap(write(tmp_path, TINY, "tiny.txt"))      # the cheapest plan is (1, 0, 0) at 17
    every = np.ones((2, 3), dtype=bool)
    prices = np.zeros(3, dtype=np.int64)
    assert plan_within(tiny, tiny.cost, every, 17, prices, 1.0).plan.tolist() == [1, 0, 0]
    assert plan_within(tiny, tiny.cost, every, 16, prices, 1.0).exhausted


def test_branch_and_bound_stops_when_its_work_is_used():
    problem = generated("d", 20, 100, 1)
    relaxation, dual, bounds = lagrangian(problem, 7000)
    target = dual.whole_bound + 20                             # far too many plans to rule out in a little work
    arcs = arcs_within(relaxation, target) & lagrangian_useful_arcs(bounds, target + 1)
    search = plan_within(problem, problem.cost, arcs, target, dual.prices, 0.05)
    assert not search.exhausted and search.work <= 0.05 + problem.agents * 10 / 20_000
