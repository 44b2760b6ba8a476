"""Column generation on patterns: the LP's prices are all in its rows, and smoothing never costs a proven bound."""
from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

import numpy as np
import pytest

from matcher.model import pattern_columns, pattern_master
from matcher.model.core import solve_core
from matcher.model.pattern_columns import Duals, generate
from matcher.model.pattern_master import MasterLp, meets, pattern_bonus
from matcher.model.pattern_pool import Pool, patterns_of
from matcher.model.pattern_pricing import AgentArcs
from matcher.model.pattern_start import greedy_plans, start_patterns
from matcher.model.patterns import _side_rows, solve_patterns
from matcher.model.side_rules import side_violations

from .problems import broken_rules
from .test_patterns import EXACT, OPTIONS, v2_problem


class _Recorded(MasterLp):
    """The master LP, recording after every solve the most any column gains at its rows' prices."""

    gains: ClassVar[list[float]] = []

    def solve(self):
        solved = super().solve()
        if solved:
            _Recorded.gains.append(self._most_a_column_gains())
        return solved

    def _most_a_column_gains(self) -> float:
        """The largest reduced value of any column at the LP's row prices (its value less its rows' prices)."""
        job = np.array([c.dual_value() for c in self.job_rows])
        agent = np.array([c.dual_value() for c in self.agent_rows])
        side = [c.dual_value() / k for c, k in zip(self.side_rows, self.scale, strict=True)]
        most = -np.inf
        for a, pattern in self.patterns:
            arcs = list(pattern)
            bonus = pattern_bonus(self.index, arcs)
            priced = float(job[self.p.job[arcs]].sum()) + agent[a] + sum(
                y * (float(r.coef[arcs].sum()) + r.bonus * bonus) for r, y in zip(self.rows, side, strict=True))
            value = self.value(arcs)
            most = max(most, (value - priced) / max(1.0, abs(value)))
        return most


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_at_the_lps_optimum_no_pattern_is_worth_more_than_its_rows_prices(monkeypatch, seed):
    # Pricing reads only the rows' prices: a column held at an upper bound of its own, with a positive reduced value,
    # would look worth adding for ever and keep the bound above the LP (at 2,000 providers the spend stage's did)
    monkeypatch.setattr(pattern_columns, "MasterLp", _Recorded)
    _Recorded.gains = []
    solve_patterns(v2_problem(seed), OPTIONS)
    assert _Recorded.gains and max(_Recorded.gains) <= 1e-6


def _first_stage(seed: int, smoothing: float, monkeypatch):
    problem = v2_problem(seed)
    monkeypatch.setattr(pattern_columns, "SMOOTHING", smoothing)
    stage = problem.stages[0]
    pool = Pool()
    for agent, arcs in start_patterns(problem, stage, greedy_plans(problem, problem.stages)):
        pool.add(agent, arcs)
    weights = stage.coefficients.astype(np.float64)
    return problem, generate(problem, AgentArcs.of(problem), pool, weights, 0.0, _side_rows(problem))


@pytest.mark.parametrize("smoothing", [0.0, 0.5, 0.9])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_whatever_the_smoothing_the_bound_is_proven_and_meets_the_lp_when_it_converges(monkeypatch, seed, smoothing):
    problem, generated = _first_stage(seed, smoothing, monkeypatch)
    optimum = solve_core(problem, EXACT).stages[0].objective
    assert generated is not None
    assert generated.prices.bound >= generated.lp_value - 1e-6 >= optimum - 1e-6
    assert generated.prices.bound - generated.lp_value <= pattern_columns.LP_TOLERANCE * generated.lp_value


def test_smoothing_reaches_the_same_lp_optimum_as_pricing_at_the_lps_own_prices(monkeypatch):
    plain = _first_stage(1, 0.0, monkeypatch)[1]
    smoothed = _first_stage(1, 0.9, monkeypatch)[1]
    assert plain is not None and smoothed is not None
    assert smoothed.lp_value == pytest.approx(plain.lp_value, rel=pattern_columns.LP_TOLERANCE)


def test_a_point_between_two_sets_of_prices_keeps_their_signs():
    centre = Duals(np.array([0.0, 4.0, -2.0]), np.array([1.0, 0.0]))
    lp = Duals(np.array([2.0, 0.0, -4.0]), np.array([0.0, 3.0]))
    mixed = centre.towards(lp, 0.75)
    assert mixed.job.tolist() == [0.5, 3.0, -2.5] and mixed.side.tolist() == [0.75, 0.75]
    assert centre.towards(lp, 0.0).job.tolist() == lp.job.tolist()


def _built(monkeypatch, what: str) -> list:
    """``what`` (a MasterLp attribute: ``method``, ``elastic``) of every master built from here on, in order."""
    built: list = []
    original = MasterLp._build

    def recorded(self):
        built.append(getattr(self, what))
        original(self)
    monkeypatch.setattr(MasterLp, "_build", recorded)
    return built


def _methods_built(monkeypatch) -> list[str]:
    """The solver of every master built from here on (GLOP or PDLP), in order."""
    return _built(monkeypatch, "method")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_master_solved_by_pdlp_keeps_every_rule_and_every_bound(monkeypatch, seed):
    monkeypatch.setattr(pattern_columns, "PDLP_ABOVE", 0)  # every master by PDLP, as at 20,000 providers
    methods = _methods_built(monkeypatch)
    problem = v2_problem(seed)
    solution = solve_patterns(problem, OPTIONS)
    optimum = solve_core(problem, EXACT).stages[0].objective
    assert set(methods) == {"PDLP"}
    assert broken_rules(problem, solution.chosen) == [] and side_violations(problem, solution.chosen) == []
    assert solution.stages[0].bound >= optimum >= solution.stages[0].objective


def test_when_pdlp_finds_no_optimum_glop_solves_the_same_master(monkeypatch):
    monkeypatch.setattr(pattern_columns, "PDLP_ABOVE", 0)
    monkeypatch.setattr(pattern_master, "PDLP_PARAMETERS", "termination_criteria { iteration_limit: 1 }")
    built = _methods_built(monkeypatch)
    problem = v2_problem(2)
    glop_first = solve_patterns(problem, OPTIONS)
    assert built[:2] == ["PDLP", "GLOP"]  # one PDLP attempt per master, then GLOP for good
    assert built.count("PDLP") == len(problem.stages)
    monkeypatch.setattr(pattern_columns, "PDLP_ABOVE", 10**9)
    plain = solve_patterns(problem, OPTIONS)
    assert [(s.status, s.objective, s.bound) for s in glop_first.stages] \
        == [(s.status, s.objective, s.bound) for s in plain.stages]


@pytest.mark.parametrize("pdlp", [True, False])
def test_a_pdlp_master_stops_within_its_own_tolerance_and_a_glop_master_within_the_lps(monkeypatch, pdlp):
    """PDLP's LP value is itself only within PDLP_EPS, so its column generation stops at PDLP_TOLERANCE."""
    monkeypatch.setattr(pattern_columns, "PDLP_ABOVE", 0 if pdlp else 10**9)
    monkeypatch.setattr(pattern_columns, "PDLP_TOLERANCE", 1.0)  # so loose that one round is enough for PDLP
    solved = []
    original = MasterLp.solve

    def counted(self):
        solved.append(self.method)
        return original(self)
    monkeypatch.setattr(MasterLp, "solve", counted)
    problem = v2_problem(2)
    pool = Pool()  # only the patterns of one greedy plan: the first LP is far from done
    for agent, arcs in patterns_of(problem.agent, greedy_plans(problem, problem.stages)[0]):
        pool.add(agent, arcs)
    generated = generate(problem, AgentArcs.of(problem), pool, problem.stages[0].coefficients.astype(np.float64),
                         0.0, _side_rows(problem))
    assert generated is not None
    assert set(solved) == {"PDLP" if pdlp else "GLOP"}
    # one round, and the LP solved once more for the patterns that round added; GLOP goes on to LP_TOLERANCE
    assert (len(solved) <= 2) == pdlp
    if not pdlp:
        assert generated.prices.bound - generated.lp_value <= pattern_columns.LP_TOLERANCE * generated.lp_value


def _elastic_built(monkeypatch) -> list[bool]:
    """Whether every master built from here on has elastic columns, in order."""
    return _built(monkeypatch, "elastic")


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_from_the_second_stage_on_a_pdlp_master_has_no_elastic_columns_and_the_plan_is_the_same(monkeypatch, seed):
    # The previous stage's plan meets every row, holds included: the LP has a solution without them, and PDLP's
    # stopping rule, relative to the objective's size, is no longer set by their large price
    problem = v2_problem(seed)
    built = _elastic_built(monkeypatch)
    solve_patterns(problem, OPTIONS)
    assert built == [True] * len(problem.stages)  # a GLOP master keeps them (pattern_columns.generate)
    monkeypatch.setattr(pattern_columns, "PDLP_ABOVE", 0)
    built.clear()
    lean = solve_patterns(problem, OPTIONS)
    assert len(built) == len(problem.stages) and not any(built[1:])
    monkeypatch.setattr(pattern_columns, "meets", lambda *args: False)
    built.clear()
    elastic = solve_patterns(problem, OPTIONS)
    assert built == [True] * len(problem.stages)
    # the same plan; PDLP's approximate prices may prove a bound in one run and not the other
    assert [s.objective for s in lean.stages] == [s.objective for s in elastic.stages]
    assert broken_rules(problem, lean.chosen) == [] and side_violations(problem, lean.chosen) == []


def test_a_master_without_elastic_columns_prices_exactly_from_its_first_round(monkeypatch):
    # A later stage at scale starts from the earlier stages' pool: the quick search's loose bound only cost rounds
    from matcher.model import patterns
    monkeypatch.setattr(pattern_columns, "PDLP_ABOVE", 0)
    built = _elastic_built(monkeypatch)
    searches: list[list[bool]] = []  # per stage, whether each pricing was quick
    original_generate, original_priced = pattern_columns.generate, pattern_columns._priced

    def generate_stage(*args, **kwargs):
        searches.append([])
        return original_generate(*args, **kwargs)

    def priced(p, at, quick):
        searches[-1].append(quick)
        return original_priced(p, at, quick)
    monkeypatch.setattr(patterns, "generate", generate_stage)
    monkeypatch.setattr(pattern_columns, "_priced", priced)
    problem = v2_problem(1)
    solve_patterns(problem, OPTIONS)
    assert len(searches) == len(built) == len(problem.stages) and False in built
    assert all(any(quick) == elastic for quick, elastic in zip(searches, built, strict=True))


def _one_plan(problem) -> list[tuple[int, tuple[int, ...]]]:
    pool = Pool()
    for agent, arcs in patterns_of(problem.agent, greedy_plans(problem, problem.stages)[0]):
        pool.add(agent, arcs)
    return list(zip(pool.agent, pool.arcs, strict=True))


def test_a_plan_meets_the_master_only_with_every_row_within_its_limit_and_each_agent_and_job_once():
    problem = v2_problem(2)
    index, rows = AgentArcs.of(problem), _side_rows(problem)
    plan = _one_plan(problem)
    assert rows and meets(problem, index, rows, plan)
    used = sum(rows[0].of(arcs, pattern_bonus(index, list(arcs))) for _, arcs in plan)
    assert meets(problem, index, [replace(rows[0], limit=used), *rows[1:]], plan)
    assert not meets(problem, index, [replace(rows[0], limit=0.999 * used), *rows[1:]], plan)
    assert not meets(problem, index, rows, plan + plan[:1])  # one agent twice, and its jobs
    covered = [int(j) for _, arcs in plan for j in problem.job[list(arcs)]]
    must = np.zeros(len(problem.must_cover), dtype=bool)
    must[covered[0]] = True
    assert meets(problem, index, rows, plan) == meets(replace(problem, must_cover=must), index, rows, plan)
    must[next(j for j in range(len(must)) if j not in covered)] = True
    assert not meets(replace(problem, must_cover=must), index, rows, plan)


def test_a_master_without_elastic_columns_that_has_no_solution_gets_them():
    problem = v2_problem(2)
    plan = _one_plan(problem)
    problem = replace(problem, must_cover=np.ones(len(problem.must_cover), dtype=bool))  # every job: the plan cannot
    index, rows = AgentArcs.of(problem), _side_rows(problem)
    assert not meets(problem, index, rows, plan)
    lp = MasterLp(problem, index, rows, problem.stages[0].coefficients.astype(np.float64), 0.0, elastic=False)
    for agent, arcs in plan:
        lp.add(agent, arcs)
    assert lp.solve() and lp.elastic
