"""The assignment core by supporter patterns: each column one agent's whole set of jobs (version 2 at scale).

Under version 2 a supporter takes one to three recipients (capacity by size), within its load
limit, pairwise within the spread limit, and earns a bonus for two recipients of one group. On
arcs, those rules are millions of conflict pairs and a weak relaxation; as *patterns* (one column
per feasible set of one agent's arcs) they hold inside every column, so the LP only has to
choose one pattern per agent and one partnership per job under the budget, the limits and the
holds of earlier stages. The first LP starts from each job's best arcs and the patterns of two
greedy plans that keep every rule (``pattern_start``). Per stage:

1. Column generation (``pattern_columns``): the master LP on the patterns so far (GLOP; PDLP
   past 15,000 patterns, ``pattern_master``); every agent's best
   patterns are priced at once (``pattern_batch``: in the first rounds a quick search, the exact
   one when that finds nothing; exactly in every later round), at prices smoothed towards those
   of the best bound so far, and added while any has a positive reduced value at the LP's duals.
   Every priced point gives a Lagrangian bound, ``sum(job prices) + sum(side prices * limits) +
   sum over agents of their best pattern's reduced value``, valid whatever the prices: the best
   is the stage's proven bound.
2. CP-SAT on the generated patterns (one per agent, one per job, side rows), from the previous
   stage's plan, to a deterministic time limit (``pattern_pool``), up to 20,000 patterns (its
   presolve over 58,000 used all its time at 20,000 providers). Two other plans compete, each
   keeping every rule and hold: the previous plan (in the first stage the best greedy one) and the
   LP's own, filled greedily (``pattern_round``). On a larger pool CP-SAT re-plans the best over
   the LP's support and its own patterns (a few thousand: ``solve_support``). The best, unless
   CP-SAT proved it best over the pool, is re-planned one region of supporters at a time
   (``pattern_lns``): on a larger pool that is the only search over the whole pool.
3. If CP-SAT's plan over the whole pool is short of the bound: every pattern a better plan could
   take is listed (``pattern_reach``) and CP-SAT solves the larger pool, which proves the plan
   optimal or lowers the bound to where the listing stopped.

Each later stage holds the earlier ones (within ``hold_tolerance``) as side rows whose pattern
coefficients include the group bonus, so a held score with bonuses is held exactly. Every limit
counts work (rounds, CP-SAT's deterministic time), never the clock.
"""
from __future__ import annotations

import logging
import math
import time
from dataclasses import replace

import numpy as np

from . import pattern_pool
from .pattern_columns import Generated, generate
from .pattern_lns import improve, repair
from .pattern_master import Row
from .pattern_pool import Picked, Pool, floor_to, settle, solve_pool, solve_support, standing
from .pattern_pricing import AgentArcs
from .pattern_round import lp_plan, lp_start
from .pattern_start import greedy_plans, start_patterns
from .problem import CoreProblem, CoreSolution, SolverOptions, Stage, StageResult, held_value, next_preference

LOG = logging.getLogger(__name__)


def solve_patterns(problem: CoreProblem, options: SolverOptions | None = None) -> CoreSolution:
    """Solve the stages in order on supporter patterns (see the module text); infeasible if no plan is found."""
    options = options or SolverOptions()
    p = problem
    n = p.n_arcs
    stages = p.stages or (Stage("feasibility", np.zeros(n, np.int64), "max"),)
    index = AgentArcs.of(p)
    rows = _side_rows(p)
    pool = Pool()
    plans = greedy_plans(p, stages)
    for agent, arcs in start_patterns(p, stages[0], plans):
        pool.add(agent, arcs)
    for agent, arcs in index.fixed.items():
        pool.add(agent, arcs)
    results: list[StageResult] = []
    chosen: list[int] | None = None  # pattern positions of the plan
    overall = "OPTIMAL"
    for k, stage in enumerate(stages):
        started = time.perf_counter()
        sign = 1 if stage.sense == "max" else -1
        weights = sign * stage.coefficients.astype(np.float64)
        bonus_sign = float(sign) if p.bonus_of_stage(stage) else 0.0
        standing_plan = chosen if chosen is not None else _best(p, pool, plans, weights)
        generated = generate(p, index, pool, weights, bonus_sign, rows, standing_plan)
        if generated is None or not math.isfinite(generated.prices.bound):  # no LP plan, or a lock no pattern can hold
            results.append(StageResult(stage.name, "INFEASIBLE", math.nan, math.nan, math.nan,
                                       time.perf_counter() - started))
            return CoreSolution(np.zeros(n, dtype=bool), tuple(results), False, "INFEASIBLE")
        prices = generated.prices
        step = float(_granularity(p, weights, bonus_sign))  # the objective's: a better plan is worth this more
        picked, whole_pool = _pick(p, index, pool, weights, bonus_sign, rows, generated, chosen, standing_plan,
                                   options, next_preference(stages[k + 1:], n))
        if picked is None:
            status = "INFEASIBLE" if chosen is None else "UNKNOWN"
            results.append(StageResult(stage.name, status, math.nan, math.nan, math.nan,
                                       time.perf_counter() - started))
            return CoreSolution(np.zeros(n, dtype=bool), tuple(results), False, status)
        bound = prices.bound
        # Settling lists more patterns for CP-SAT: no use if it found no plan over fewer (at 20,000 providers
        # that listing doubled the pool, and with it the next stage's LP, for nothing), nor if it saw only part of
        # the pool (its plan then proves nothing over the rest).
        if whole_pool and _gap(picked.value, floor_to(bound, step)) > 0:
            picked, bound = settle(p, index, pool, weights, bonus_sign, rows, prices, picked, step, options,
                                    next_preference(stages[k + 1:], n))
        chosen = picked.chosen
        plan = _plan(n, pool, chosen)
        value = sign * p.value(stage, plan)
        whole = floor_to(bound, step)
        status = "OPTIMAL" if value >= whole else "FEASIBLE"
        overall = overall if status == "OPTIMAL" else "FEASIBLE"
        results.append(StageResult(stage.name, status, float(sign * value), float(sign * max(whole, value)),
                                   _gap(value, whole), time.perf_counter() - started))
        LOG.info("%s stage %s (gap %.3f%%, %.1f s, %d patterns)", stage.name, status.lower(),
                 100 * results[-1].gap, results[-1].seconds, len(pool.arcs))
        kept = held_value(p.value(stage, plan), stage.sense, options.hold_tolerance)
        held_sign = -1.0 if stage.sense == "max" else 1.0  # as a <= row
        rows.append(_whole(p, Row(held_sign * stage.coefficients.astype(np.float64), held_sign * kept,
                                  held_sign if p.bonus_of_stage(stage) else 0.0, hold=True)))
    plan = _plan(n, pool, chosen or [])
    return CoreSolution(plan, tuple(results), feasible=True, status=overall)


def _pick(p: CoreProblem, index: AgentArcs, pool: Pool, weights: np.ndarray, bonus_sign: float, rows: list[Row],
          generated: Generated, previous: list[int] | None, standing_plan: list[int] | None,
          options: SolverOptions, prefer: np.ndarray) -> tuple[Picked | None, bool]:
    """The best of CP-SAT's plan, the standing plan and the LP's, improved region by region; whether CP-SAT saw all.

    CP-SAT takes the whole pool up to ``MAX_CP_SAT`` patterns, hinted with the previous stage's plan
    (in the first stage the LP's rounded one). The standing plan (the previous stage's, or the best
    greedy one) keeps every rule and hold, and so does the LP's own plan, filled greedily
    (``pattern_round``), where one is found: either stands when CP-SAT finds no plan in its time, or a
    worse one. On a larger pool, if the LP's plan misses a hold, regions take back what it lacks first
    (``pattern_lns.repair``): at 20,000 providers (score) the LP's plan covered 764,500 against a hold of
    789,000, and the standing plan, the coverage stage's, was worth 1,753,651 against 2,897,986 repaired.
    On a larger pool CP-SAT then re-plans the best of these over the LP's own patterns and its own
    (``solve_support``, where the LP's support is small), hinted with the LP's patterns that do not
    overlap: at 20,000 providers (score), 20 deterministic seconds there took seed 2's repaired plan from
    2,919,200 to 2,952,009 and seed 1's from 2,885,536 to 2,910,483, where seed 1's regions took 60 to reach
    2,910,244; hinted with the plan itself, 2,920,049 and 2,910,317. Over the standing plan's patterns
    instead of the repaired one's, it found no plan on seed 2 in those 20 seconds, so the repair stays. Unless
    CP-SAT proved its plan best over the pool, the best plan is then re-planned one region at a time
    (``pattern_lns``). On a larger pool (at 20,000 providers CP-SAT over 20,000 of 72,000 patterns returned
    its hint in every stage) the regions do that work, and CP-SAT sees the pool's patterns closest to their
    agents' best only if no other plan exists.
    """
    large = len(pool.arcs) > pattern_pool.MAX_CP_SAT
    hint = previous if previous is not None else generated.rounded
    picked = None if large else solve_pool(p, index, pool, weights, bonus_sign, rows, hint, options, generated.prices)
    whole_pool = picked is not None
    own = lp_plan(p, index, pool, rows, generated.support, weights, generated.side_prices, prefer)
    to_repair = own is None and large and any(row.hold for row in rows)  # the LP's plan misses a hold
    # The LP's own patterns that do not overlap: where the repair starts, and the hint over a support CP-SAT can take
    lp_own = lp_start(p, index, pool, rows, generated.support, weights, generated.side_prices) \
        if to_repair or (large and len(generated.support) <= pattern_pool.SUPPORT_MOST) else []
    if to_repair:  # regions take back what the LP's plan lacks
        own = repair(p, index, pool, weights, bonus_sign, rows, lp_own, generated.prices, options)
    for name, plan in (("standing", standing_plan), ("LP's", own)):
        if plan is not None:
            kept = standing(index, pool, weights, bonus_sign, plan)
            LOG.debug("the %s plan: %.1f", name, kept.value)
            if picked is None or kept.value > picked.value:
                picked = kept
    if picked is not None and large:  # CP-SAT over the LP's patterns and the best plan's, hinted with the LP's
        over_support = solve_support(p, index, pool, weights, bonus_sign, rows, picked.chosen, generated.support,
                                     lp_own, options)
        if over_support is not None and over_support.value > picked.value:
            picked = over_support
    if picked is None and large:
        picked = solve_pool(p, index, pool, weights, bonus_sign, rows, hint, options, generated.prices,
                            support=generated.support)
    if picked is not None and (picked.restricted or not picked.optimal):  # proven best over part of the pool only
        kept = standing(index, pool, weights, bonus_sign, improve(p, index, pool, weights, bonus_sign, rows,
                                                                  picked.chosen, generated.prices, options,
                                                                  generated.side_prices))
        if kept.value > picked.value:
            picked = kept
    return picked, whole_pool


def _side_rows(p: CoreProblem) -> list[Row]:
    rows = []
    if p.budget_cost is not None and p.budget_limit is not None:
        rows.append(Row(p.budget_cost.astype(np.float64), float(p.budget_limit)))
    rows += [Row(c.astype(np.float64), float(limit)) for c, limit in p.limits]
    return [_whole(p, row) for row in rows]


def _whole(p: CoreProblem, row: Row) -> Row:
    """The row with its limit rounded down to a multiple of its coefficients' greatest common divisor.

    Any plan's left-hand side is such a multiple, so no plan is lost; the LP loses the fractional
    room in between. That matters for a held stage: with coverage in steps of 100, holding 99.9 %
    of 75,400 lets the LP give up 75.4 of coverage for score, which no plan can.
    """
    step = _granularity(p, row.coef, row.bonus)
    if step <= 1 or not math.isfinite(row.limit):
        return row
    return replace(row, limit=float(math.floor(row.limit / step + 1e-9) * step))


def _granularity(p: CoreProblem, coef: np.ndarray, bonus: float) -> int:
    """The gcd of the whole values ``coef`` and ``bonus`` times each bonus can add, or 0 if any is fractional."""
    terms = coef[coef != 0]
    if bonus and p.bonus_values is not None:
        terms = np.concatenate([terms, bonus * p.bonus_values.astype(np.float64)])
    if not len(terms) or not np.all(np.mod(terms, 1) == 0):
        return 0
    return int(np.gcd.reduce(np.abs(terms).astype(np.int64)))


def _best(p: CoreProblem, pool: Pool, plans: list[np.ndarray], weights: np.ndarray) -> list[int] | None:
    """The patterns of the plan worth most by the first stage's weights (first best), if there is one."""
    if not plans:
        return None
    return pool.positions(p.agent, max(plans, key=lambda plan: float(weights[plan].sum())))


def _plan(n: int, pool: Pool, chosen: list[int]) -> np.ndarray:
    plan = np.zeros(n, dtype=bool)
    for k in chosen:
        plan[list(pool.arcs[k])] = True
    return plan


def _gap(value: float, bound: float) -> float:
    return 0.0 if value >= bound else abs(bound - value) / max(1.0, abs(value))
