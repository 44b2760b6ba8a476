"""The assignment core by supporter patterns: each column one agent's whole set of jobs (version 2 at scale).

Under version 2 a supporter takes one to three recipients (capacity by size), within its load
limit, pairwise within the spread limit, and earns a bonus for two recipients of one group. On
arcs, those rules are millions of conflict pairs and a weak relaxation; as *patterns* (one column
per feasible set of one agent's arcs) they hold inside every column, so the LP only has to
choose one pattern per agent and one partnership per job under the budget, the limits and the
holds of earlier stages. The first LP starts from each job's best arcs and the patterns of two
greedy plans that keep every rule (``pattern_start``). Per stage:

1. Column generation: GLOP on the patterns so far; every agent's best patterns at the duals are
   priced at once (``pattern_batch``: in the first rounds a quick search, the exact one when
   that finds nothing; exactly in every later round) and added while any has a positive
   reduced value. The duals give a Lagrangian bound at every round, ``sum(job prices) +
   sum(side prices * limits) + sum over agents of their best pattern's reduced value``, valid
   whatever the duals: the best is the stage's proven bound.
2. CP-SAT on the generated patterns (one per agent, one per job, side rows), from the previous
   stage's plan, to a deterministic time limit (``pattern_pool``). If it finds none in that time
   (its presolve at 50,000 patterns and more), the previous plan, or in the first stage the best
   greedy plan, stands: each keeps every rule and hold.
3. If CP-SAT's plan is short of the bound: every pattern a better plan could take is listed
   (``pattern_reach``) and CP-SAT solves the larger pool, which proves the plan optimal or lowers
   the bound to where the listing stopped.

Each later stage holds the earlier ones (within ``hold_tolerance``) as side rows whose pattern
coefficients include the group bonus, so a held score with bonuses is held exactly. Every limit
counts work (rounds, CP-SAT's deterministic time), never the clock.
"""
from __future__ import annotations

import logging
import math
import time

import numpy as np

from .pattern_batch import Found, price_all
from .pattern_master import MasterLp, Row
from .pattern_pool import Pool, floor_to, settle, solve_pool, standing
from .pattern_pricing import AgentArcs
from .pattern_reach import Prices
from .pattern_start import greedy_plans, start_patterns
from .problem import CoreProblem, CoreSolution, SolverOptions, Stage, StageResult, held_value, next_preference

LOG = logging.getLogger(__name__)

MAX_ROUNDS = 15         # column generation rounds per stage (2,000 providers converge in 9 to 14)
LP_TOLERANCE = 2e-5     # stop pricing once the LP is this close (relative) to the best bound
QUICK_ROUNDS = 4        # rounds priced by the quick search first (pattern_batch.QUICK_LIMIT)


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
        generated = _generate(p, index, pool, weights, bonus_sign, rows)
        if generated is None or not math.isfinite(generated[0].bound):  # no LP plan, or a lock no pattern can hold
            results.append(StageResult(stage.name, "INFEASIBLE", math.nan, math.nan, math.nan,
                                       time.perf_counter() - started))
            return CoreSolution(np.zeros(n, dtype=bool), tuple(results), False, "INFEASIBLE")
        prices, rounded = generated
        step = float(_granularity(p, weights, bonus_sign))  # the objective's: a better plan is worth this more
        picked = solve_pool(p, index, pool, weights, bonus_sign, rows, chosen if chosen is not None else rounded,
                          options)
        solved = picked is not None
        if picked is None:  # CP-SAT found none in its time: the previous plan or the best greedy one keeps every rule
            standing_plan = chosen if chosen is not None else _best(p, pool, plans, weights)
            picked = standing(index, pool, weights, bonus_sign, standing_plan) if standing_plan is not None else None
        if picked is None:
            status = "INFEASIBLE" if chosen is None else "UNKNOWN"
            results.append(StageResult(stage.name, status, math.nan, math.nan, math.nan,
                                       time.perf_counter() - started))
            return CoreSolution(np.zeros(n, dtype=bool), tuple(results), False, status)
        bound = prices.bound
        # Settling lists more patterns for CP-SAT: no use if it found no plan over fewer (at 20,000 providers
        # that listing doubled the pool, and with it the next stage's LP, for nothing).
        if solved and _gap(picked.value, floor_to(bound, step)) > 0:
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
                                  held_sign if p.bonus_of_stage(stage) else 0.0)))
    plan = _plan(n, pool, chosen or [])
    return CoreSolution(plan, tuple(results), feasible=True, status=overall)


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
    return Row(row.coef, float(math.floor(row.limit / step + 1e-9) * step), row.bonus)


def _generate(p: CoreProblem, index: AgentArcs, pool: Pool, weights: np.ndarray, bonus_sign: float,
              rows: list[Row]) -> tuple[Prices, list[int]] | None:
    """Column generation for one stage: adds patterns to the pool; the prices of the best bound, and the LP's plan.

    The rounded plan is every pattern the last LP takes more than half of (at most one per job and
    agent, so a hint for CP-SAT); None when the LP has no solution (no plan exists).
    """
    lp = MasterLp(p, index, rows, weights, bonus_sign)
    for agent, arcs in zip(pool.agent, pool.arcs, strict=True):
        lp.add(agent, arcs)
    best: Prices | None = None
    for round_ in range(MAX_ROUNDS):
        started = time.perf_counter()
        if not lp.solve():
            return None
        solved = time.perf_counter()
        lp_value = lp.solver.Objective().Value()
        at_lp = _reduced(p, index, rows, weights, bonus_sign, *lp.duals())
        agent_price = np.array([c.dual_value() for c in lp.agent_rows])
        # The first rounds search quickly (prices are low and many patterns tie); the exact search follows when a
        # quick one finds nothing, and prices every later round, so the bound tightens as the LP does.
        for quick in ((True, False) if round_ < QUICK_ROUNDS else (False,)):
            best, found = _priced(p, at_lp, quick, best)
            added = _add(pool, lp, found, agent_price)
            bound = best.bound
            converged = bound - lp_value <= LP_TOLERANCE * max(1.0, abs(lp_value))
            if added or converged:
                break
        LOG.debug("patterns: LP %.1f, bound %.1f, %d added; LP %.2f s, pricing %.2f s", lp_value, bound,
                  added, solved - started, time.perf_counter() - solved)
        if not added or converged:
            break
    else:  # out of rounds: the LP has new patterns; price exactly once more for the bound
        if not lp.solve():
            return None
        best, _ = _priced(p, _reduced(p, index, rows, weights, bonus_sign, *lp.duals()), False, best)
        added = 0
    if added and not lp.solve():  # the rounded plan below is read from the LP over every pattern added
        return None
    if best is None:  # unreachable: MAX_ROUNDS is at least 1
        return None
    return best, [k for k, v in enumerate(lp.columns) if v.solution_value() > 0.5]


def _priced(p: CoreProblem, at: Prices, quick: bool, best: Prices | None) -> tuple[Prices, list[Found]]:
    """Every agent priced at ``at``'s prices: the better bound of those and ``best``, and each agent's patterns."""
    tops, found = price_all(p, at.index, at.value, at.with_bonus, quick)
    here = Prices(at.bound + float(tops.sum()), at.value, at.index, at.with_bonus, tops)
    return (here if best is None or here.bound < best.bound else best), found


def _reduced(p: CoreProblem, index: AgentArcs, rows: list[Row], weights: np.ndarray, bonus_sign: float,
             job_price: np.ndarray, side_price: np.ndarray) -> Prices:
    """Each arc's value less its job's and the side rows' prices; ``bound`` holds only the prices' part of L."""
    value = weights - job_price[p.job]
    for row, y in zip(rows, side_price.tolist(), strict=True):
        if y:
            value = value - y * row.coef
    # A pattern's bonus counts (bonus_sign - the side rows' bonus prices) per bonus pair.
    bonus_weight = bonus_sign - sum(y * r.bonus for r, y in zip(rows, side_price.tolist(), strict=True))
    priced, with_bonus = _scaled(index, bonus_weight)
    base = float(job_price.sum()) + float(sum(y * r.limit for r, y in zip(rows, side_price.tolist(), strict=True)))
    return Prices(base, value, priced, with_bonus, np.zeros(0))


def _add(pool: Pool, lp: MasterLp, found: list[Found], agent_price: np.ndarray) -> int:
    """Add to the pool and the LP every found pattern worth more than its agent's price; how many were new."""
    added = 0
    for a, patterns in enumerate(found):
        for v, arcs in patterns:
            if arcs and v - agent_price[a] > 1e-6 * max(1.0, abs(v)) and pool.add(a, arcs):
                lp.add(a, arcs)
                added += 1
    return added


def _scaled(index: AgentArcs, bonus_weight: float) -> tuple[AgentArcs, bool]:
    """The arcs with each bonus pair worth ``bonus_weight`` times its bonus, and whether bonuses count at all.

    A bonus weight of 0 or less is left out of pricing: it can only lower a pattern, so the bound still holds.
    """
    if bonus_weight <= 1e-12 or not index.bonus:
        return index, False
    if bonus_weight == 1.0:
        return index, True
    return AgentArcs(index.order, index.starts, index.fixed, {k: v * bonus_weight for k, v in index.bonus.items()},
                     index.bonus_of_arc * bonus_weight, index.bonus_ptr, index.bonus_other,
                     index.bonus_worth * bonus_weight), True


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
