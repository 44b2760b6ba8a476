"""Plans from prices keep every rule; re-matching by min-cost flow keeps every side row and never loses value."""
from __future__ import annotations

import numpy as np
import pytest

from matcher.model import lagrange, rounding
from matcher.model import reassign as reassign_module
from matcher.model.core import CoreProblem, Stage
from matcher.model.reassign import reassign

from .problems import broken_rules, random_problem


@pytest.mark.parametrize("seed, must, fixed_arcs", [(1, 0.0, 0), (2, 0.1, 3), (3, 0.0, 2)])
def test_the_greedy_fill_keeps_every_rule(seed, must, fixed_arcs):
    problem = random_problem(40, 25, 6, seed, must, fixed_arcs)
    weights = problem.stages[0].coefficients
    index, rows = lagrange.JobIndex.of(problem), lagrange.side_rows(problem)
    _, prices = lagrange.improve_side_prices(problem, index, weights, rows,
                                             lagrange.Prices(np.zeros(len(problem.capacity)), (0.0,)))
    rc = lagrange.reduced_costs(problem, weights, rows, prices)
    plan = rounding.greedy_fill(problem, index, weights, rows, rc, problem.stages[1].coefficients, problem.fixed)
    assert plan is not None and broken_rules(problem, plan) == []
    assert rounding.violations(problem, plan, rows) == []


def test_reassign_keeps_every_side_row_and_never_loses_value():
    problem = random_problem(50, 30, 6, seed=5)
    index, rows = lagrange.JobIndex.of(problem), lagrange.side_rows(problem)
    coverage, score = problem.stages[0].coefficients, problem.stages[1].coefficients
    rows = [*rows, lagrange.hold_row(coverage, 0, "max")]
    zero = lagrange.Prices(np.zeros(len(problem.capacity)), (0.0, 0.0))
    plan = rounding.greedy_fill(problem, index, coverage, rows, lagrange.reduced_costs(problem, coverage, rows, zero),
                                np.zeros(problem.n_arcs), problem.fixed)
    better = reassign(problem, score, rows, plan, np.zeros(problem.n_arcs))
    assert broken_rules(problem, better) == []
    assert [int(r.coef[better].sum()) for r in rows] == [int(r.coef[plan].sum()) for r in rows]
    assert int(score[better].sum()) >= int(score[plan].sum())


def test_reassign_finds_the_best_matching_of_interchangeable_arcs():
    # Two jobs, two one-unit agents; each job can go to either at the same incentive. The greedy
    # start pairs them crosswise (1 + 1); the flow swaps them (5 + 5).
    job, agent = np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1])
    score, cost = np.array([5, 1, 1, 5]), np.array([10, 10, 20, 20])
    problem = CoreProblem(agent=agent, job=job, use=np.ones(4, np.int64), capacity=np.array([1, 1]),
                          must_cover=np.zeros(2, bool), stages=(Stage("score", score, "max"),),
                          budget_cost=cost, budget_limit=30)
    rows = lagrange.side_rows(problem)
    crosswise = np.array([False, True, True, False])
    assert reassign(problem, score, rows, crosswise, np.zeros(4)).tolist() == [True, False, False, True]


def test_reassign_swaps_management_contracts_and_keeps_buddyings_room():
    # Agents 0 and 1 have two units each. Jobs 0 and 1 are management contracts (two units) set
    # crosswise (1 + 1); job 2 is a buddying (one unit) on agent 2. The flow swaps the contracts
    # (4 + 4), which a flow over one-unit arcs alone cannot do, and moves nothing onto a full agent.
    job, agent = np.array([0, 0, 1, 1, 2, 2]), np.array([0, 1, 0, 1, 2, 0])
    use = np.array([2, 2, 2, 2, 1, 1])
    score, cost = np.array([4, 1, 1, 4, 3, 9]), np.array([10, 10, 20, 20, 5, 5])
    problem = CoreProblem(agent=agent, job=job, use=use, capacity=np.array([2, 2, 1]),
                          must_cover=np.zeros(3, bool), stages=(Stage("score", score, "max"),),
                          budget_cost=cost, budget_limit=35)
    rows = lagrange.side_rows(problem)
    crosswise = np.array([False, True, True, False, True, False])
    better = reassign(problem, score, rows, crosswise, np.zeros(6))
    assert better.tolist() == [True, False, False, True, True, False]
    assert broken_rules(problem, better) == []


def test_reassign_offers_arcs_by_reduced_cost_when_given(monkeypatch):
    # One arc offered per job (besides its own). Job 0 sits on agent 1 (1) and wants agent 0 (9),
    # where job 1 sits (8); job 1 could move to agent 1 (7). Ranked by weight, job 1 is offered
    # only agent 0 again, so nothing moves (9). Ranked by reduced cost (agent 0 priced at 7.5),
    # job 0 is still offered agent 0 and job 1 is offered agent 1, so both move (16).
    monkeypatch.setattr(reassign_module, "CHOICES_PER_JOB", 1)
    job, agent = np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1])
    score, cost = np.array([9, 1, 8, 7]), np.ones(4, np.int64)
    problem = CoreProblem(agent=agent, job=job, use=np.ones(4, np.int64), capacity=np.array([1, 1]),
                          must_cover=np.zeros(2, bool), stages=(Stage("score", score, "max"),),
                          budget_cost=cost, budget_limit=2)
    rows = lagrange.side_rows(problem)
    plan = np.array([False, True, True, False])
    by_weight = reassign(problem, score, rows, plan, np.zeros(4))
    rank = score - np.array([7.5, 0.0])[agent]
    by_reduced_cost = reassign(problem, score, rows, plan, np.zeros(4), rank)
    assert int(score[by_weight].sum()) == 9
    assert by_reduced_cost.tolist() == [True, False, False, True]
