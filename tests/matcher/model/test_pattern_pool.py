"""The integer master over a large pool: CP-SAT sees the patterns closest to their agent's best, and claims no more."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from matcher.model import pattern_lns, pattern_pool, patterns
from matcher.model.core import SolverOptions, solve_core
from matcher.model.pattern_pool import Picked, Pool, closest
from matcher.model.pattern_pricing import AgentArcs
from matcher.model.pattern_reach import Prices
from matcher.model.pattern_round import lp_start
from matcher.model.pattern_start import greedy_plans
from matcher.model.side_rules import side_violations

from .problems import broken_rules
from .test_pattern_round import _chosen, _first_lp
from .test_patterns import EXACT, v2_problem

OPTIONS = SolverOptions(time_limit_s=5.0, workers=1, seed=0)


def _pool_and_prices():
    problem = v2_problem(1, bonus=False)
    index = AgentArcs.of(problem)
    pool = Pool()
    for arc in range(problem.n_arcs):  # every single-arc pattern
        pool.add(int(problem.agent[arc]), (arc,))
    value = np.arange(problem.n_arcs, dtype=np.float64)  # arc k is worth k: higher arcs are closer to the top
    top = np.zeros(len(problem.capacity))
    np.maximum.at(top, problem.agent, value)
    return problem, index, pool, Prices(0.0, value, index, False, top)


def test_a_pool_cp_sat_can_take_is_given_whole():
    _, index, pool, prices = _pool_and_prices()
    assert closest(index, pool, prices, [], most=len(pool.arcs)) == list(range(len(pool.arcs)))


def test_a_large_pool_gives_cp_sat_the_hint_then_the_patterns_closest_to_their_agents_best():
    problem, index, pool, prices = _pool_and_prices()
    distance = np.array([prices.top[a] - prices.value[arcs[0]] for a, arcs in zip(pool.agent, pool.arcs, strict=True)])
    given = closest(index, pool, prices, [0, 1], most=10)
    assert len(given) == 10 and {0, 1} <= set(given)
    rest = sorted(set(given) - {0, 1})
    assert max(distance[rest]) <= min(np.delete(distance, [0, 1, *rest]))
    # an agent with a locked arc keeps its patterns, so a plan that holds the lock is still there
    locked = replace(problem, fixed=np.isin(np.arange(problem.n_arcs), [2]))
    locked_index = AgentArcs.of(locked)
    mine = {k for k, a in enumerate(pool.agent) if a == int(problem.agent[2])}
    assert mine <= set(closest(locked_index, pool, prices, [], most=10))


def test_past_the_limit_regions_are_replanned_and_every_rule_and_every_bound_still_holds(monkeypatch):
    monkeypatch.setattr(pattern_pool, "MAX_CP_SAT", 40)  # so small that no pool is given to CP-SAT whole
    whole, regions = [], []
    monkeypatch.setattr(patterns, "solve_pool", lambda *args, **kwargs: whole.append(1))
    original = pattern_lns.pack

    def recorded(*args, **kwargs):
        packed = original(*args, **kwargs)
        regions.append(len(set(args[2])))
        return packed
    monkeypatch.setattr(pattern_lns, "pack", recorded)
    for seed in (1, 2, 3):
        problem = v2_problem(seed)
        solution = patterns.solve_patterns(problem, OPTIONS)
        optimum = solve_core(problem, EXACT).stages[0].objective
        assert solution.feasible
        assert broken_rules(problem, solution.chosen) == [] and side_violations(problem, solution.chosen) == []
        assert solution.stages[0].bound >= optimum >= solution.stages[0].objective
    assert not whole  # a greedy plan stood each time, so CP-SAT never took part of the pool
    assert regions and min(regions) <= pattern_lns.REGION  # CP-SAT re-planned regions, the first of REGION agents


def test_a_plan_worth_at_least_the_greedy_one_stands_when_cp_sat_finds_a_worse_one(monkeypatch):
    problem = v2_problem(2, n_jobs=40, n_agents=16)
    coverage = replace(problem, stages=problem.stages[:1])  # an empty plan breaks the holds of later stages
    nothing = Picked([], 0.0, 0.0, optimal=True)  # an empty plan: worth less than any greedy plan
    monkeypatch.setattr(patterns, "solve_pool", lambda *args, **kwargs: nothing)
    solution = patterns.solve_patterns(coverage, OPTIONS)
    best = max(int(problem.stages[0].coefficients[plan].sum()) for plan in greedy_plans(problem, problem.stages))
    assert solution.stages[0].objective == problem.value(problem.stages[0], solution.chosen) >= best > 0
    assert broken_rules(problem, solution.chosen) == [] and side_violations(problem, solution.chosen) == []


def test_the_lps_support_is_given_most_taken_first_only_as_far_as_the_limit(monkeypatch):
    # at 20,000 providers PDLP's support in the spend stage held 67,000 patterns: CP-SAT got them all
    problem, index, pool, prices = _pool_and_prices()
    monkeypatch.setattr(pattern_pool, "MAX_CP_SAT", 12)
    kept = []
    original = pattern_pool.closest

    def recorded(index, pool, prices, keep, most):
        kept.append(list(keep))
        return original(index, pool, prices, keep, most)
    monkeypatch.setattr(pattern_pool, "closest", recorded)
    support = list(range(len(pool.arcs) - 1, -1, -1))
    pattern_pool.solve_pool(problem, index, pool, problem.stages[0].coefficients.astype(np.float64), 0.0, [],
                            [0, 1], OPTIONS, prices, support=support)
    assert kept == [[0, 1, *support[:10]]]


def test_past_the_limit_with_no_other_plan_cp_sat_takes_part_of_the_pool_and_claims_nothing_over_the_rest(
        monkeypatch):
    monkeypatch.setattr(pattern_pool, "MAX_CP_SAT", 40)
    monkeypatch.setattr(patterns, "greedy_plans", lambda *args, **kwargs: [])  # no greedy plan stands
    monkeypatch.setattr(patterns, "lp_plan", lambda *args, **kwargs: None)  # nor the LP's own
    seen = []
    original = pattern_pool.solve_pool

    def recorded(*args, **kwargs):
        picked = original(*args, **kwargs)
        seen.append(picked)
        return picked
    monkeypatch.setattr(patterns, "solve_pool", recorded)
    problem = v2_problem(1)
    coverage = replace(problem, stages=problem.stages[:1])
    solution = patterns.solve_patterns(coverage, OPTIONS)
    optimum = solve_core(coverage, EXACT).stages[0].objective
    assert len(seen) == 1 and seen[0] is not None and seen[0].restricted
    assert solution.feasible and broken_rules(problem, solution.chosen) == []
    assert side_violations(problem, solution.chosen) == []
    assert solution.stages[0].bound >= optimum >= solution.stages[0].objective


def test_a_plan_cp_sat_proved_best_over_part_of_the_pool_only_is_still_replanned_region_by_region(monkeypatch):
    monkeypatch.setattr(pattern_pool, "MAX_CP_SAT", 40)
    monkeypatch.setattr(patterns, "greedy_plans", lambda *args, **kwargs: [])
    monkeypatch.setattr(patterns, "lp_plan", lambda *args, **kwargs: None)
    original = pattern_pool.solve_pool

    def proven(*args, **kwargs):  # as if CP-SAT had proved its plan best over the part it saw
        picked = original(*args, **kwargs)
        return None if picked is None else replace(picked, optimal=True)
    monkeypatch.setattr(patterns, "solve_pool", proven)
    improved = []
    monkeypatch.setattr(patterns, "improve", lambda *args: improved.append(1) or args[6])
    problem = v2_problem(1)
    solution = patterns.solve_patterns(replace(problem, stages=problem.stages[:1]), OPTIONS)
    assert solution.feasible and improved == [1]


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_cp_sat_over_the_lps_patterns_and_the_plans_takes_only_those_and_keeps_every_rule(seed):
    problem, index, pool, rows, weights, generated = _first_lp(seed)
    start = patterns._best(problem, pool, greedy_plans(problem, problem.stages), weights)
    hint = lp_start(problem, index, pool, rows, generated.support, weights, generated.side_prices)
    picked = pattern_pool.solve_support(problem, index, pool, weights, 0.0, rows, start, generated.support, hint,
                                        OPTIONS)
    assert picked is not None and picked.restricted  # its bound is over those patterns only
    assert set(picked.chosen) <= set(start) | set(generated.support)
    chosen = _chosen(problem, pool, picked.chosen)
    assert broken_rules(problem, chosen) == [] and side_violations(problem, chosen) == []
    assert float(problem.budget_cost[chosen].sum()) <= problem.budget_limit
    assert picked.value == float(weights[chosen].sum())
    # proven the best over those patterns here, so worth at least the plan among them
    assert picked.optimal and picked.value >= float(weights[_chosen(problem, pool, start)].sum())


def test_past_the_limit_cp_sat_re_plans_the_best_plan_over_the_lps_patterns_before_the_regions(monkeypatch):
    monkeypatch.setattr(pattern_pool, "MAX_CP_SAT", 40)
    calls, improved = [], []
    original = pattern_pool.solve_support

    def recorded(*args):
        picked = original(*args)
        given = pattern_pool.standing(args[1], args[2], args[3], args[4], args[6]).value
        calls.append((list(args[6]), given, args[7], args[8], picked))
        return picked
    monkeypatch.setattr(patterns, "solve_support", recorded)
    monkeypatch.setattr(patterns, "improve", lambda *args: improved.append(list(args[6])) or args[6])
    gained = 0
    for seed in (1, 2, 3, 4):
        calls.clear()
        improved.clear()
        problem = v2_problem(seed)
        solution = patterns.solve_patterns(problem, OPTIONS)
        assert solution.feasible and broken_rules(problem, solution.chosen) == []
        assert len(calls) == len(problem.stages) == len(improved)  # once a stage, before the regions
        for (plan, given, support, hint, picked), start in zip(calls, improved, strict=True):
            assert support and hint and set(hint) <= set(support)  # hinted with the LP's own patterns
            assert picked is not None
            # the regions start from CP-SAT's plan where it is worth more than the best plan it was given
            assert start == (picked.chosen if picked.value > given else plan)
            gained += picked.value > given
    assert gained  # CP-SAT's plan was better at least once


def test_cp_sat_is_not_given_an_lp_support_too_large_for_it(monkeypatch):
    problem, index, pool, rows, weights, generated = _first_lp(1)
    start = patterns._best(problem, pool, greedy_plans(problem, problem.stages), weights)
    monkeypatch.setattr(pattern_pool, "SUPPORT_MOST", len(generated.support) - 1)
    monkeypatch.setattr(pattern_pool, "pack", lambda *args, **kwargs: pytest.fail("CP-SAT was called"))
    assert pattern_pool.solve_support(problem, index, pool, weights, 0.0, rows, start, generated.support, [],
                                      OPTIONS) is None
