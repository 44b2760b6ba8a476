"""The first patterns of column generation: each job's best arcs, and greedy plans' patterns that keep every rule."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from matcher.model import pattern_pool, patterns
from matcher.model.core import SolverOptions
from matcher.model.pattern_master import MasterLp
from matcher.model.pattern_pricing import AgentArcs, fits
from matcher.model.pattern_start import START_PER_JOB, greedy_plans, start_arcs, start_patterns
from matcher.model.side_rules import side_violations

from .problems import broken_rules
from .test_patterns import v2_problem


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_every_greedy_plan_keeps_every_rule_and_covers_someone(seed):
    problem = v2_problem(seed, n_jobs=40, n_agents=16)
    plans = greedy_plans(problem, problem.stages)
    assert len(plans) == 2  # by weight, and by weight less the budget's price
    for plan in plans:
        assert plan.any()
        assert broken_rules(problem, plan) == [] and side_violations(problem, plan) == []


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_start_pattern_fits_its_agent_and_the_first_lp_is_worth_the_best_greedy_plan(seed):
    problem = v2_problem(seed, n_jobs=40, n_agents=16)
    index = AgentArcs.of(problem)
    first = list(start_patterns(problem, problem.stages[0], greedy_plans(problem, problem.stages)))
    assert any(len(arcs) > 1 for _, arcs in first)  # the plans bring pairs or triples, not only single arcs
    for agent, arcs in first:
        assert all(int(problem.agent[a]) == agent for a in arcs)
        assert fits(problem, list(arcs))
    coverage = problem.stages[0]
    lp = MasterLp(problem, index, patterns._side_rows(problem), coverage.coefficients.astype(np.float64), 0.0)
    for agent, arcs in dict.fromkeys(first):
        lp.add(agent, arcs)
    assert lp.solve()
    best = max(int(coverage.coefficients[plan].sum()) for plan in greedy_plans(problem, problem.stages))
    assert lp.solver.Objective().Value() >= best - 1e-6


def test_each_job_starts_with_its_few_best_arcs_that_fit_alone():
    problem = v2_problem(6, n_jobs=40, n_agents=16, bonus=False)
    picked = set(start_arcs(problem, problem.stages[0]).tolist())
    weight = problem.stages[0].coefficients
    alone = (problem.use <= problem.capacity[problem.agent]) & (problem.load <= problem.load_limit[problem.agent])
    assert picked and all(alone[a] for a in picked)
    for job in range(len(problem.must_cover)):
        mine = np.flatnonzero(problem.job == job).tolist()
        taken = [a for a in mine if a in picked]
        assert len(taken) <= START_PER_JOB
        few = sorted(weight[mine].tolist(), reverse=True)[:START_PER_JOB]
        assert all(weight[a] <= few[-1] for a in mine if a not in taken)  # none left out beats the few
        assert all(a in taken for a in mine if alone[a] and weight[a] > few[-1])


def test_a_locked_arc_is_in_every_greedy_plan():
    problem = v2_problem(3, bonus=False)
    fixed = np.zeros(problem.n_arcs, dtype=bool)
    fixed[7] = True
    for plan in greedy_plans(replace(problem, fixed=fixed), problem.stages):
        assert plan[7]



def test_when_cp_sat_finds_no_plan_in_its_time_a_plan_worth_the_greedy_one_stands_and_nothing_is_listed(monkeypatch):
    problem = v2_problem(2, n_jobs=40, n_agents=16)
    for module in (patterns, pattern_pool):  # as at 20,000 providers: CP-SAT's presolve took all its time
        monkeypatch.setattr(module, "solve_pool", lambda *args, **kwargs: None)
    settled = []
    monkeypatch.setattr(patterns, "settle", lambda *args, **kwargs: settled.append(args))
    solution = patterns.solve_patterns(problem, SolverOptions(time_limit_s=5.0, workers=1, seed=0))
    assert solution.feasible and solution.status == "FEASIBLE"
    assert broken_rules(problem, solution.chosen) == [] and side_violations(problem, solution.chosen) == []
    best = max(int(problem.stages[0].coefficients[plan].sum()) for plan in greedy_plans(problem, problem.stages))
    coverage = solution.stages[0]
    # the greedy plan, or the LP's own where it is worth more (``pattern_round``)
    assert coverage.bound >= coverage.objective >= best
    assert (coverage.status == "OPTIMAL") == (coverage.bound == coverage.objective)
    # later stages keep the plan they were given: it meets every hold
    assert [s.objective for s in solution.stages] == [problem.value(s, solution.chosen) for s in problem.stages]
    assert settled == []  # no listing for a CP-SAT that found no plan over fewer patterns
