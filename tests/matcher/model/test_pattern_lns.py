"""Re-planning one region at a time: never worse, every rule and row kept, the pool's optimum when one region is all."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from matcher.model import pattern_lns, patterns
from matcher.model.pattern_lns import _Links, _region, _seeds, improve, repair
from matcher.model.pattern_master import Row
from matcher.model.pattern_pool import Pool, solve_pool
from matcher.model.pattern_reach import Prices
from matcher.model.problem import SolverOptions, held_value
from matcher.model.side_rules import side_violations

from .problems import broken_rules
from .test_pattern_round import _chosen, _first_lp
from .test_patterns import OPTIONS, v2_problem


def _start(problem, pool, weights):
    """The best greedy plan as pool positions: a poor start that keeps every rule."""
    return patterns._best(problem, pool, patterns.greedy_plans(problem, problem.stages), weights)


def _worth(pool, weights, plan):
    return sum(float(weights[list(pool.arcs[k])].sum()) for k in plan)


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_small_regions_never_lose_value_and_keep_every_rule_and_the_budget(seed, monkeypatch):
    monkeypatch.setattr(pattern_lns, "REGION", 4)
    problem, index, pool, rows, weights, generated = _first_lp(seed)
    start = _start(problem, pool, weights)
    plan = improve(problem, index, pool, weights, 0.0, rows, start, generated.prices, OPTIONS)
    chosen = _chosen(problem, pool, plan)
    assert broken_rules(problem, chosen) == [] and side_violations(problem, chosen) == []
    assert float(problem.budget_cost[chosen].sum()) <= problem.budget_limit
    assert len({pool.agent[k] for k in plan}) == len(plan)  # one pattern an agent
    assert _worth(pool, weights, plan) >= _worth(pool, weights, start)


def test_one_region_of_every_agent_finds_the_pools_optimum(monkeypatch):
    monkeypatch.setattr(pattern_lns, "REGION", 1_000)
    monkeypatch.setattr(pattern_lns, "REGION_WORK", 20.0)
    better = 0
    for seed in (1, 2, 3, 4):
        problem, index, pool, rows, weights, generated = _first_lp(seed)
        start = _start(problem, pool, weights)
        best = solve_pool(problem, index, pool, weights, 0.0, rows, None, OPTIONS, generated.prices)
        assert best is not None and best.optimal
        plan = improve(problem, index, pool, weights, 0.0, rows, start, generated.prices, OPTIONS)
        assert _worth(pool, weights, plan) == best.value
        better += _worth(pool, weights, plan) > _worth(pool, weights, start)
    assert better  # some greedy start was short of the optimum


def test_a_hold_of_the_earlier_stage_is_kept_in_every_region(monkeypatch):
    """Re-planning for score never gives up the coverage it holds, however much score that would buy."""
    monkeypatch.setattr(pattern_lns, "REGION", 3)
    changed = 0
    for seed in (1, 2, 3, 4):
        problem, index, pool, rows, weights, generated = _first_lp(seed)
        start = _start(problem, pool, weights)
        coverage = problem.value(problem.stages[0], _chosen(problem, pool, start))
        held = held_value(coverage, "max", 0.0)
        hold = Row(-problem.stages[0].coefficients.astype(np.float64), -float(held), hold=True)
        score = problem.stages[1].coefficients.astype(np.float64)
        plan = improve(problem, index, pool, score, 0.0, [*rows, hold], start, generated.prices, OPTIONS)
        chosen = _chosen(problem, pool, plan)
        assert problem.value(problem.stages[0], chosen) >= held
        assert broken_rules(problem, chosen) == [] and float(problem.budget_cost[chosen].sum()) <= problem.budget_limit
        assert float(score[chosen].sum()) >= float(score[_chosen(problem, pool, start)].sum())
        changed += plan != sorted(start)
    assert changed  # the hold did not simply freeze every plan


def test_a_region_grows_through_the_jobs_its_agents_patterns_share():
    problem = v2_problem(1, bonus=False)
    by_job: dict[int, list[int]] = {}
    for arc in range(problem.n_arcs):
        by_job.setdefault(int(problem.job[arc]), []).append(arc)
    shared = next(arcs for arcs in by_job.values() if len({int(problem.agent[a]) for a in arcs}) >= 2)
    first, second = shared[0], next(a for a in shared if problem.agent[a] != problem.agent[shared[0]])
    apart = next(a for a in range(problem.n_arcs)
                 if problem.agent[a] not in (problem.agent[first], problem.agent[second])
                 and problem.job[a] != problem.job[first])
    pool = Pool()
    for arc in (first, second, apart):
        pool.add(int(problem.agent[arc]), (arc,))
    links = _Links.of(problem, pool)
    assert _region(int(problem.agent[first]), links, 10) == {int(problem.agent[first]), int(problem.agent[second])}
    assert _region(int(problem.agent[apart]), links, 10) == {int(problem.agent[apart])}
    assert _region(int(problem.agent[first]), links, 1) == {int(problem.agent[first])}


def test_seeds_are_the_agents_whose_plan_pattern_falls_shortest_of_their_best_first():
    problem, index, pool, *_ = _first_lp(1)
    agents = len(problem.capacity)
    top = np.zeros(agents)
    top[[2, 5, 7]] = [10.0, 30.0, 20.0]
    value = np.zeros(problem.n_arcs)
    mine = next(k for k, a in enumerate(pool.agent) if a == 5)
    value[list(pool.arcs[mine])] = 25.0 / len(pool.arcs[mine])   # agent 5's plan pattern is 5 short of its best
    prices = Prices(0.0, value, index, False, top)
    assert _seeds(pool, prices, {mine}, agents)[:3] == [7, 2, 5]
    assert sorted(_seeds(pool, prices, {mine}, agents)) == list(range(agents))


def test_the_plan_is_kept_whole_when_cp_sat_finds_nothing_in_a_region(monkeypatch):
    problem, index, pool, rows, weights, generated = _first_lp(2)
    start = _start(problem, pool, weights)
    monkeypatch.setattr(pattern_lns, "pack", lambda *args, **kwargs: None)
    assert improve(problem, index, pool, weights, 0.0, rows, start, generated.prices,
                   SolverOptions(time_limit_s=1.0)) == sorted(start)


def _regions_grown(monkeypatch) -> list[tuple[int, int]]:
    """Each region grown from here on, as (seed, size), in order."""
    grown: list[tuple[int, int]] = []
    original = pattern_lns._region

    def recorded(seed, links, size):
        grown.append((seed, size))
        return original(seed, links, size)
    monkeypatch.setattr(pattern_lns, "_region", recorded)
    return grown


def _a_second_each(monkeypatch) -> None:
    """From here on, every region CP-SAT re-plans counts a whole deterministic second of work."""
    original = pattern_lns.pack

    def counted(*args, **kwargs):
        packed = original(*args, **kwargs)
        return None if packed is None else replace(packed, work=1.0)
    monkeypatch.setattr(pattern_lns, "pack", counted)


def _cycles(sizes: list[int]) -> list[list[int]]:
    """Region sizes split into cycles of passes: a cycle starts where the size falls."""
    cycles: list[list[int]] = []
    for k, size in enumerate(sizes):
        if k == 0 or size < sizes[k - 1]:
            cycles.append([])
        cycles[-1].append(size)
    return cycles


def test_each_pass_doubles_the_region_up_to_the_largest_or_one_holding_every_agent_or_the_work_spent(monkeypatch):
    problem, index, pool, rows, weights, generated = _first_lp(3)
    grown = _regions_grown(monkeypatch)
    monkeypatch.setattr(pattern_lns, "REGION", 3)
    monkeypatch.setattr(pattern_lns, "LARGEST", 100)
    improve(problem, index, pool, weights, 0.0, rows, _start(problem, pool, weights), generated.prices, OPTIONS)
    agents = len(set(pool.agent))
    cycles = _cycles([size for _, size in grown])
    assert sorted(set(cycles[0])) == [3, 6, 12, 24] and 12 < agents <= 24  # the pass of 24 holds every agent: the last
    assert all(cycle == sorted(cycle) for cycle in cycles)
    grown.clear()
    monkeypatch.setattr(pattern_lns, "LARGEST", 4)
    improve(problem, index, pool, weights, 0.0, rows, _start(problem, pool, weights), generated.prices, OPTIONS)
    cycles = _cycles([size for _, size in grown])
    assert sorted(set(cycles[0])) == [3, 6, 12] and all(cycle == sorted(cycle) for cycle in cycles)
    grown.clear()
    _a_second_each(monkeypatch)
    monkeypatch.setattr(pattern_lns, "WORK", 2.5)
    improve(problem, index, pool, weights, 0.0, rows, _start(problem, pool, weights), generated.prices, OPTIONS)
    assert [size for _, size in grown] == [3, 3, 3]


def test_the_passes_start_again_from_the_smallest_region_while_a_cycle_improves_the_plan(monkeypatch):
    problem, index, pool, rows, weights, generated = _first_lp(1)
    monkeypatch.setattr(pattern_lns, "REGION", 1)
    monkeypatch.setattr(pattern_lns, "LARGEST", 2)
    score = problem.stages[1].coefficients.astype(np.float64)  # from a plan by coverage: regions find more
    sizes: list[int] = []
    cycle_improved: list[bool] = []
    grow, replan = pattern_lns._region, pattern_lns._replan

    def grown(seed, links, size):
        if not sizes or size < sizes[-1]:
            cycle_improved.append(False)
        sizes.append(size)
        return grow(seed, links, size)

    def replanned(*args, **kwargs):
        new, work = replan(*args, **kwargs)
        cycle_improved[-1] |= new is not None
        return new, work
    monkeypatch.setattr(pattern_lns, "_region", grown)
    monkeypatch.setattr(pattern_lns, "_replan", replanned)
    start = _start(problem, pool, weights)
    plan = improve(problem, index, pool, score, 0.0, rows, start, generated.prices, OPTIONS)
    cycles = _cycles(sizes)
    assert len(cycles) >= 3 and all(sorted(set(cycle)) == [1, 2] for cycle in cycles)  # the second cycle found more
    assert cycle_improved[:-1] == [True] * (len(cycles) - 1)  # each cycle that improved is followed by another
    assert cycle_improved[-1] is False                          # and the one that found nothing is the last
    assert _worth(pool, score, plan) > _worth(pool, score, start)
    assert not side_violations(problem, _chosen(problem, pool, plan))


def test_an_agent_with_no_pattern_in_the_pool_seeds_no_region(monkeypatch):
    problem, index, pool, rows, weights, generated = _first_lp(1)
    grown = _regions_grown(monkeypatch)
    improve(problem, index, pool, weights, 0.0, rows, _start(problem, pool, weights), generated.prices, OPTIONS)
    assert grown and {seed for seed, _ in grown} <= set(pool.agent)
    assert set(range(len(problem.capacity))) - set(pool.agent)  # there was such an agent


def _short_of_a_hold(seed: int):
    """A first LP's pool, its rows with a hold of the pool's best coverage, and a start (half that plan) short of it."""
    problem, index, pool, rows, weights, generated = _first_lp(seed)
    best = solve_pool(problem, index, pool, weights, 0.0, rows, None, OPTIONS, generated.prices)
    assert best is not None
    coverage = problem.value(problem.stages[0], _chosen(problem, pool, best.chosen))
    hold = Row(-problem.stages[0].coefficients.astype(np.float64), -float(coverage), hold=True)
    start = best.chosen[::2]
    assert problem.value(problem.stages[0], _chosen(problem, pool, start)) < coverage
    return problem, index, pool, [*rows, hold], generated, start, coverage


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_repair_takes_back_what_the_start_lacks_of_a_hold_and_keeps_every_rule(seed):
    problem, index, pool, rows, generated, start, coverage = _short_of_a_hold(seed)
    score = problem.stages[1].coefficients.astype(np.float64)
    plan = repair(problem, index, pool, score, 0.0, rows, start, generated.prices, OPTIONS)
    assert plan is not None
    chosen = _chosen(problem, pool, plan)
    assert problem.value(problem.stages[0], chosen) >= coverage
    assert broken_rules(problem, chosen) == [] and side_violations(problem, chosen) == []
    assert float(problem.budget_cost[chosen].sum()) <= problem.budget_limit


def test_repair_gives_nothing_when_the_hold_is_out_of_reach_or_the_work_is_spent(monkeypatch):
    problem, index, pool, rows, generated, start, _ = _short_of_a_hold(1)
    score = problem.stages[1].coefficients.astype(np.float64)
    beyond = [*rows[:-1], replace(rows[-1], limit=rows[-1].limit - 100 * len(problem.must_cover))]
    assert repair(problem, index, pool, score, 0.0, beyond, start, generated.prices, OPTIONS) is None
    monkeypatch.setattr(pattern_lns, "REPAIR_WORK", 0.0)
    assert repair(problem, index, pool, score, 0.0, rows, start, generated.prices, OPTIONS) is None


def test_past_the_limit_a_later_stage_whose_lp_plan_misses_a_hold_is_repaired_and_keeps_every_rule(monkeypatch):
    from matcher.model import pattern_pool
    monkeypatch.setattr(pattern_pool, "MAX_CP_SAT", 40)
    monkeypatch.setattr(patterns, "lp_plan", lambda *args, **kwargs: None)
    repaired = []
    original = pattern_lns.repair

    def recorded(*args, **kwargs):
        plan = original(*args, **kwargs)
        repaired.append(plan is not None)
        return plan
    monkeypatch.setattr(patterns, "repair", recorded)
    for seed in (1, 2, 3):
        problem = v2_problem(seed)
        solution = patterns.solve_patterns(problem, OPTIONS)
        assert solution.feasible
        assert broken_rules(problem, solution.chosen) == [] and side_violations(problem, solution.chosen) == []
    assert len(repaired) == 3 * (len(v2_problem(1).stages) - 1) and any(repaired)  # every later stage, none the first


def _spend_at_a_hold(seed: int):
    """The pool's best coverage plan as a start for the spend stage, with a hold of its coverage less two recipients."""
    problem, index, pool, rows, weights, generated = _first_lp(seed)
    best = solve_pool(problem, index, pool, weights, 0.0, rows, None, OPTIONS, generated.prices)
    assert best is not None
    coverage = problem.value(problem.stages[0], _chosen(problem, pool, best.chosen))
    hold = Row(-problem.stages[0].coefficients.astype(np.float64), -float(coverage - 200), hold=True)
    spend = -problem.budget_cost.astype(np.float64)
    spent = patterns.generate(problem, index, pool, spend, 0.0, [*rows, hold], best.chosen)
    assert spent is not None and spent.side_prices[-1] > 0  # the hold binds the spend LP
    return problem, index, pool, [*rows, hold], spend, spent, best.chosen


def _weights_packed(monkeypatch) -> list[np.ndarray]:
    """The weights of every region CP-SAT re-plans from here on, in order."""
    packed: list[np.ndarray] = []
    original = pattern_lns.pack

    def recorded(p, index, agents, arcs, weights, *args, **kwargs):
        packed.append(weights)
        return original(p, index, agents, arcs, weights, *args, **kwargs)
    monkeypatch.setattr(pattern_lns, "pack", recorded)
    return packed


@pytest.mark.parametrize("seed", [1, 2])
def test_regions_that_stall_weigh_patterns_less_the_bounds_prices_then_the_stages_own_and_keep_every_row(
        seed, monkeypatch):
    problem, index, pool, rows, spend, spent, start = _spend_at_a_hold(seed)
    packed = _weights_packed(monkeypatch)
    monkeypatch.setattr(pattern_lns, "REGION", 3)
    monkeypatch.setattr(pattern_lns, "PATIENCE", 0.0)  # stalled after the first region, whatever it gains
    plan = improve(problem, index, pool, spend, 0.0, rows, start, spent.prices, OPTIONS, spent.side_prices)
    priced = spend + spent.side_prices[-1] * problem.stages[0].coefficients  # less the hold's price times its row
    kinds = ["priced" if np.allclose(w, priced) else "own" if np.array_equal(w, spend) else "other" for w in packed]
    assert "other" not in kinds and kinds[0] == "own" and kinds[-1] == "own" and "priced" in kinds
    first = kinds.index("priced")
    assert kinds[first:first + kinds[first:].index("own")] == ["priced"] * kinds[first:].index("own")  # one run
    chosen = _chosen(problem, pool, plan)
    assert problem.value(problem.stages[0], chosen) >= -rows[-1].limit
    assert broken_rules(problem, chosen) == [] and side_violations(problem, chosen) == []
    assert float(problem.budget_cost[chosen].sum()) <= problem.budget_limit
    assert _worth(pool, spend, plan) >= _worth(pool, spend, start)


def test_regions_weigh_patterns_at_the_stages_own_weights_throughout_when_no_row_has_a_price(monkeypatch):
    problem, index, pool, rows, spend, spent, start = _spend_at_a_hold(1)
    packed = _weights_packed(monkeypatch)
    monkeypatch.setattr(pattern_lns, "REGION", 3)
    monkeypatch.setattr(pattern_lns, "PATIENCE", 0.0)
    improve(problem, index, pool, spend, 0.0, rows, start, spent.prices, OPTIONS, np.zeros(len(rows)))  # no prices
    improve(problem, index, pool, spend, 0.0, rows, start, spent.prices, OPTIONS)
    assert packed and all(np.array_equal(w, spend) for w in packed)


def test_regions_that_never_stall_re_plan_at_the_prices_once_their_plain_share_of_the_work_is_spent(monkeypatch):
    problem, index, pool, rows, spend, spent, start = _spend_at_a_hold(1)
    packed = _weights_packed(monkeypatch)
    monkeypatch.setattr(pattern_lns, "REGION", 3)
    monkeypatch.setattr(pattern_lns, "PATIENCE", np.inf)  # never stalled
    _a_second_each(monkeypatch)
    monkeypatch.setattr(pattern_lns, "WORK", 10.0)
    monkeypatch.setattr(pattern_lns, "PLAIN", 0.2)
    monkeypatch.setattr(pattern_lns, "PRICED", 0.5)
    improve(problem, index, pool, spend, 0.0, rows, start, spent.prices, OPTIONS, spent.side_prices)
    priced = spend + spent.side_prices[-1] * problem.stages[0].coefficients
    kinds = ["priced" if np.allclose(w, priced) else "own" if np.array_equal(w, spend) else "other" for w in packed]
    assert kinds == ["own"] * 2 + ["priced"] * 4 + ["own"] * 4  # 2 of 10 by its own, half of the 8 left priced
