"""The relaxations: the LP bound and its reduced-cost fixing, exact knapsacks, and the Lagrangian bound."""
from __future__ import annotations

import itertools

import numpy as np
import pytest

from matcher.gap import GapInstance, solve_gap, start_assignment
from matcher.gap.knapsack import NEVER, SCALE, forced_in_increase, margin_profiles, solve_knapsacks
from matcher.gap.lagrangian import LagrangianDual, arc_bounds, lagrangian_dual, prices_from_lp
from matcher.gap.lagrangian import useful_arcs as lagrangian_useful_arcs
from matcher.gap.relaxation import lp_relaxation, useful_arcs

from .orlib import OPTIMA, TIME_LIMIT_S, generated, instance

# --- The LP bound and its reduced-cost fixing -----------------------------------------------

def cheapest(name: str) -> tuple[GapInstance, np.ndarray]:
    """A published minimisation problem and the engine's optimal plan for it."""
    problem = instance(name)
    result = solve_gap(problem, "min", TIME_LIMIT_S)
    assert (result.status, result.objective) == ("OPTIMAL", OPTIMA[(name, "min")])
    return problem, np.array(result.assignment)


@pytest.mark.parametrize("name", ["gap1-1", "gap5-3", "gap12-2"])
def test_the_lp_bound_rounded_up_is_at_most_the_published_minimum(name):
    problem = instance(name)
    relaxation = lp_relaxation(problem, problem.cost)
    assert relaxation.feasible
    assert relaxation.bound <= relaxation.whole_bound <= OPTIMA[(name, "min")]
    unused = relaxation.x < 1e-9                    # an arc the LP leaves out can only add to the cost
    assert (relaxation.reduced_cost[unused] >= -1e-6).all()


@pytest.mark.parametrize("name", ["gap1-1", "gap5-3", "gap12-2"])
def test_reduced_cost_fixing_keeps_every_arc_of_a_cheaper_plan(name):
    problem, best = cheapest(name)
    costly = start_assignment(problem, "max")       # a fitting plan that is far from the cheapest
    assert problem.value(costly) > problem.value(best)
    keep = useful_arcs(lp_relaxation(problem, problem.cost), problem.cost, costly)
    jobs = np.arange(problem.jobs)
    assert keep[best, jobs].all() and keep[costly, jobs].all()


@pytest.mark.parametrize("name", ["gap1-1", "gap5-3", "gap12-2"])
def test_against_an_optimal_plan_reduced_cost_fixing_drops_arcs_but_keeps_the_plan(name):
    problem, best = cheapest(name)
    keep = useful_arcs(lp_relaxation(problem, problem.cost), problem.cost, best)
    assert keep[best, np.arange(problem.jobs)].all() and keep.sum() < keep.size


# --- Exact knapsacks ---------------------------------------------------------------------------

def random_knapsacks(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Costs, uses, capacities and scaled prices of 3 agents x 9 jobs, small enough to enumerate."""
    rng = np.random.default_rng(seed)
    cost, use = rng.integers(1, 30, size=(3, 9)), rng.integers(1, 12, size=(3, 9))
    return cost, use, rng.integers(5, 30, size=3), rng.integers(0, 30 * SCALE, size=9)


def best_margins(cost, use, capacity, prices) -> np.ndarray:
    """Each agent's best margin at every capacity 0..max, by trying every subset of jobs."""
    agents, jobs = cost.shape
    margin = prices[None, :] - SCALE * cost
    best = np.zeros((agents, capacity.max() + 1), dtype=np.int64)
    for subset in itertools.product((0, 1), repeat=jobs):
        taken = np.array(subset, dtype=bool)
        weight, value = use[:, taken].sum(axis=1), margin[:, taken].sum(axis=1)
        for agent in range(agents):
            if weight[agent] <= capacity.max():
                best[agent, weight[agent]:] = np.maximum(best[agent, weight[agent]:], value[agent])
    return best


@pytest.mark.parametrize("seed", range(4))
def test_the_knapsacks_and_their_profiles_are_exact(seed):
    cost, use, capacity, prices = random_knapsacks(seed)
    expected = best_margins(cost, use, capacity, prices)
    total, chosen = solve_knapsacks(cost, use, capacity, prices)
    agents = np.arange(3)
    assert total == expected[agents, capacity].sum()
    assert ((use * chosen).sum(axis=1) <= capacity).all()
    assert ((prices[None, :] - SCALE * cost) * chosen).sum() == total
    profiles = margin_profiles(cost, use, capacity, prices)
    for agent in agents:
        assert profiles[agent, :capacity[agent] + 1].tolist() == expected[agent, :capacity[agent] + 1].tolist()


@pytest.mark.parametrize("seed", range(4))
def test_the_forced_in_loss_never_overstates_what_forcing_a_job_costs(seed):
    cost, use, capacity, prices = random_knapsacks(seed)
    _, chosen = solve_knapsacks(cost, use, capacity, prices)
    loss = forced_in_increase(cost, use, capacity, prices, chosen)
    best = best_margins(cost, use, capacity, prices)[np.arange(3), capacity]
    for agent, job in itertools.product(range(3), range(9)):
        if use[agent, job] > capacity[agent]:
            assert loss[agent, job] == NEVER
            continue
        others = cost.copy()
        others[agent, job] = 10 ** 6                # the others' best without the forced job ...
        rest = best_margins(others[agent:agent + 1], use[agent:agent + 1], capacity[agent:agent + 1] - use[agent, job],
                            prices)[0, capacity[agent] - use[agent, job]]
        forced = prices[job] - SCALE * cost[agent, job] + rest       # ... plus the forced job itself
        assert 0 <= loss[agent, job] <= best[agent] - forced


# --- The Lagrangian bound --------------------------------------------------------------------

def dual_of(problem: GapInstance, target: int, iterations: int = 60) -> LagrangianDual:
    """The Lagrangian relaxation from the LP's prices, keeping knapsack solutions from iteration 20, every 10."""
    relaxation = lp_relaxation(problem, problem.cost)
    start = prices_from_lp(relaxation.reduced_cost, problem.cost, problem.use)
    return lagrangian_dual(problem, problem.cost, start, target, iterations, 20, 10)


@pytest.mark.parametrize("name", ["gap5-3", "c05100", "c10100"])
def test_the_lagrangian_bound_is_at_least_the_lp_bound_and_at_most_the_optimum(name):
    problem = instance(name)
    optimum = OPTIMA[(name, "min")]
    dual = dual_of(problem, optimum + 20)
    assert lp_relaxation(problem, problem.cost).bound - 1e-6 <= dual.bound <= dual.whole_bound <= optimum
    assert dual.whole_bound == -(-dual.scaled_bound // SCALE) and dual.whole_bound - 1 < dual.bound
    assert 1 <= len(dual.snapshots) <= 5
    assert dual.frequency.shape == problem.cost.shape
    assert ((dual.frequency >= 0) & (dual.frequency <= 1)).all()


def test_the_lagrangian_bound_is_much_tighter_than_the_lp_bound_on_c20200():
    problem = instance("c20200")
    dual = dual_of(problem, 2400, iterations=150)             # as many steps as the solver takes
    assert lp_relaxation(problem, problem.cost).bound < 2377 < 2389 <= dual.bound <= 2391


def test_the_lagrangian_relaxation_repeats_itself():
    problem = generated("d", 10, 60, 7)
    first, second = dual_of(problem, 4000), dual_of(problem, 4000)
    assert first.scaled_bound == second.scaled_bound and np.array_equal(first.prices, second.prices)
    assert all(np.array_equal(a, b) for a, b in zip(first.snapshots, second.snapshots, strict=True))


@pytest.mark.parametrize("name", ["c05100", "c10100"])
def test_lagrangian_fixing_keeps_every_arc_of_an_optimal_plan_and_drops_most_others(name):
    problem, best = cheapest(name)
    dual = dual_of(problem, problem.value(best))
    bounds = arc_bounds(dual, problem, problem.cost)
    jobs = np.arange(problem.jobs)
    assert (bounds[best, jobs] <= problem.value(best) * SCALE).all()       # the optimum uses only arcs within it
    keep = lagrangian_useful_arcs(bounds, problem.value(best) + 1)
    assert keep[best, jobs].all() and keep.sum() < keep.size / 2


def test_a_knapsack_solution_that_is_a_plan_is_returned_as_optimal():
    problem = GapInstance("free", np.array([[1, 5], [5, 1]]), np.ones((2, 2), dtype=np.int64), np.array([1, 1]))
    dual = lagrangian_dual(problem, problem.cost, np.array([3.0, 3.0]), 10, 50, 0, 1)
    assert dual.plan is not None and dual.plan.tolist() == [0, 1] and dual.whole_bound == 2
