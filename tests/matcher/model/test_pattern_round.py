"""The LP's own plan: its patterns most taken first, no agent or job twice, within every row, filled greedily."""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from matcher.model import patterns
from matcher.model.pattern_columns import generate
from matcher.model.pattern_master import Row
from matcher.model.pattern_pool import Pool
from matcher.model.pattern_pricing import AgentArcs
from matcher.model.pattern_round import _disjoint, lp_plan
from matcher.model.pattern_start import greedy_plans, start_patterns
from matcher.model.problem import held_value, next_preference
from matcher.model.side_rules import side_violations

from .problems import broken_rules
from .test_patterns import OPTIONS, v2_problem


def _first_lp(seed: int):
    problem = v2_problem(seed)
    index = AgentArcs.of(problem)
    pool = Pool()
    for agent, arcs in start_patterns(problem, problem.stages[0], greedy_plans(problem, problem.stages)):
        pool.add(agent, arcs)
    rows = patterns._side_rows(problem)
    weights = problem.stages[0].coefficients.astype(np.float64)
    generated = generate(problem, index, pool, weights, 0.0, rows)
    assert generated is not None
    return problem, index, pool, rows, weights, generated


def _chosen(problem, pool, plan):
    chosen = np.zeros(problem.n_arcs, dtype=bool)
    for k in plan:
        chosen[list(pool.arcs[k])] = True
    return chosen


def test_the_lps_plan_keeps_every_rule_and_row_and_all_its_disjoint_patterns_unless_the_budget_breaks():
    within, over = 0, 0
    for seed in (1, 2, 3, 4):
        problem, index, pool, rows, weights, generated = _first_lp(seed)
        plan = lp_plan(problem, index, pool, rows, generated.support, weights, generated.side_prices,
                       next_preference(problem.stages[1:], problem.n_arcs))
        assert plan is not None
        chosen = _chosen(problem, pool, plan)
        assert broken_rules(problem, chosen) == [] and side_violations(problem, chosen) == []
        assert float(problem.budget_cost[chosen].sum()) <= problem.budget_limit
        kept = _chosen(problem, pool, _disjoint(problem, pool, generated.support))
        if float(problem.budget_cost[kept].sum()) <= problem.budget_limit:  # nothing to drop: all are in the plan
            within += 1
            assert chosen[kept].all() and float(weights[chosen].sum()) >= float(weights[kept].sum())
        else:
            over += 1
    assert within and over  # both cases were met


def test_patterns_are_taken_in_order_with_no_agent_or_job_twice():
    problem = v2_problem(1, bonus=False)
    x = 0
    y = next(a for a in range(problem.n_arcs)
             if problem.job[a] == problem.job[x] and problem.agent[a] != problem.agent[x])
    z = next(a for a in range(problem.n_arcs) if problem.job[a] != problem.job[x]
             and problem.agent[a] not in (problem.agent[x], problem.agent[y]))
    w = next(a for a in range(problem.n_arcs) if problem.agent[a] == problem.agent[z] and a != z
             and problem.job[a] != problem.job[x])
    pool = Pool()
    for arc in (x, y, z, w):
        pool.add(int(problem.agent[arc]), (arc,))
    assert _disjoint(problem, pool, [0, 1, 2, 3]) == [0, 2]   # y covers x's job again, w is z's agent again
    assert _disjoint(problem, pool, [1, 0, 3, 2]) == [1, 3]


def test_a_broken_budget_drops_the_patterns_worth_least_per_pound_first():
    problem, index, pool, rows, weights, generated = _first_lp(2)
    support = _disjoint(problem, pool, generated.support)
    spent = sum(float(problem.budget_cost[list(pool.arcs[k])].sum()) for k in support)
    tight = [Row(rows[0].coef, 0.5 * spent), *rows[1:]]  # half the LP plan's spend
    plan = lp_plan(replace(problem, budget_limit=int(0.5 * spent)), index, pool, tight, generated.support, weights,
                   generated.side_prices, np.zeros(problem.n_arcs))
    assert plan is not None
    chosen = _chosen(problem, pool, plan)
    assert float(problem.budget_cost[chosen].sum()) <= 0.5 * spent
    assert broken_rules(replace(problem, budget_limit=int(0.5 * spent)), chosen) == []


def test_the_lps_plan_stands_when_cp_sat_finds_none_and_there_is_no_greedy_plan(monkeypatch):
    problem = v2_problem(3, n_jobs=40, n_agents=16)
    monkeypatch.setattr(patterns, "solve_pool", lambda *args, **kwargs: None)
    monkeypatch.setattr(patterns, "greedy_plans", lambda *args: [])
    solution = patterns.solve_patterns(problem, OPTIONS)
    assert solution.feasible and solution.stages[0].objective > 0
    assert broken_rules(problem, solution.chosen) == [] and side_violations(problem, solution.chosen) == []
    # each later stage's plan, the LP's, kept the holds of the earlier ones
    for earlier in solution.stages[:-1]:
        stage = next(s for s in problem.stages if s.name == earlier.name)
        final = problem.value(stage, solution.chosen)
        kept = held_value(int(earlier.objective), stage.sense, OPTIONS.hold_tolerance)
        assert final >= kept if stage.sense == "max" else final <= kept
