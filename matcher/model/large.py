"""The assignment core at national scale (millions of arcs): Lagrangian prices, a greedy plan, a CP-SAT polish.

``solve_large`` has the contract of ``core.solve_core`` (stages in order, each later stage holds
the earlier ones at the value the plan reached) but never builds a model over every arc. Per stage:

1. Prices (``lagrange``): the previous stage's prices, then a line search on each side row's
   price (budget, limits, holds). Every price vector gives a valid bound ``L``, evaluated over
   every arc with numpy; the best one is reported, floored to the weights' gcd. If the plan is
   not yet close, subgradient steps on every price at once (``descent``) lower ``L`` further.
2. The LP by column generation (``master``) from each job's best arcs at those prices; its
   duals price the agents' capacity, which lowers ``L`` further where supporters are scarce.
   Skipped when the first restricted LP would already exceed the column cap (every job's few
   best arcs are too many: 20,000 providers), where it could not price in a single column.
3. Plans (``rounding``): a greedy fill at the best prices, from nothing and from the arcs the
   LP takes whole; the previous stage's plan always qualifies (it meets every hold).
4. If the gap is still above ``TARGET_GAP``, CP-SAT around the LP and on the exact reduced-cost
   core (``polish``).

Determinism: CP-SAT runs to a deterministic time limit and column generation stops on work
limits (rounds, columns) or its tolerance, never on the clock, so the same inputs and seed give
the same plan whatever the machine's load.
"""
from __future__ import annotations

import logging
import math
import time

import numpy as np

from . import descent, lagrange, master, polish, rounding
from .core import (
    CoreProblem,
    CoreSolution,
    SolverOptions,
    Stage,
    StageResult,
    solve_core,
)
from .lagrange import JobIndex, Prices
from .problem import held_value, next_preference
from .reassign import reassign

LOG = logging.getLogger(__name__)

START_PER_JOB = 4    # arcs per job in the first restricted LP, best reduced cost first
TARGET_GAP = 5e-4    # below this relative gap a stage needs no CP-SAT polish
LP_TOLERANCE = 2e-4  # column generation stops once the restricted LP is this close to the bound
POLISH_SHARE = 0.4   # of the stage time limit, for the CP-SAT polish (deterministic time)


def solve_large(problem: CoreProblem, options: SolverOptions | None = None) -> CoreSolution:
    """Solve the stages in order by Lagrangian prices, a greedy plan and a CP-SAT polish (see the module text).

    Each stage's bound is a Lagrangian value over every arc, so the reported gap is a true gap.
    If the LP relaxation is infeasible, no plan exists (``feasible`` False); if the LP is feasible
    but no plan is found from it, the exact ``solve_core`` decides.
    """
    options = options or SolverOptions()
    n = problem.n_arcs
    stages = problem.stages or (Stage("feasibility", np.zeros(n, np.int64), "max"),)
    index = JobIndex.of(problem)
    rows = lagrange.side_rows(problem)
    prices = Prices(np.zeros(len(problem.capacity)), (0.0,) * len(rows))
    results: list[StageResult] = []
    chosen: np.ndarray | None = None
    overall = "OPTIMAL"
    for k, stage in enumerate(stages):
        started = time.perf_counter()
        sign = 1 if stage.sense == "max" else -1
        weights = sign * np.asarray(stage.coefficients, dtype=np.int64)
        prefer = next_preference(stages[k + 1:], n)
        outcome = _solve_stage(problem, index, weights, rows, prices, prefer, chosen, options)
        if outcome is None:
            results.append(StageResult(stage.name, "INFEASIBLE", math.nan, math.nan, math.nan,
                                       time.perf_counter() - started))
            return CoreSolution(np.zeros(n, dtype=bool), tuple(results), False, "INFEASIBLE")
        plan, bound, prices = outcome
        if plan is None:
            return solve_core(problem, options)
        value = sign * problem.value(stage, plan)
        if sign > 0:  # the prices bound the arcs' weights; a bonus can add at most its ceiling
            bound += problem.bonus_ceiling(stage)
        chosen = plan
        status = "OPTIMAL" if value >= bound else "FEASIBLE"
        overall = "FEASIBLE" if status != "OPTIMAL" else overall
        results.append(StageResult(stage.name, status, float(sign * value), float(sign * bound),
                                   _gap(value, bound), time.perf_counter() - started))
        LOG.info("%s stage %s (gap %.2f%%, %.1f s)", stage.name, status.lower(), 100 * results[-1].gap,
                 results[-1].seconds)
        kept = held_value(int(stage.coefficients[chosen].sum()), stage.sense, options.hold_tolerance)
        rows = [*rows, lagrange.hold_row(stage.coefficients, kept, stage.sense)]
        prices = Prices(prices.agent, (*prices.side, 0.0))
    if chosen is None:  # unreachable: there is always a stage, and each one chooses a plan or returns
        raise RuntimeError("no stage chose a plan")
    return CoreSolution(chosen, tuple(results), feasible=True, status=overall)


def _solve_stage(problem: CoreProblem, index: JobIndex, weights: np.ndarray, rows: list[lagrange.SideRow],
                 prices: Prices, prefer: np.ndarray, previous: np.ndarray | None,
                 options: SolverOptions) -> tuple[np.ndarray | None, int, Prices] | None:
    """One stage: (plan or None, integral bound, best prices); None when no plan can exist."""
    started = time.perf_counter()
    fixed = problem.fixed if problem.fixed is not None else np.zeros(problem.n_arcs, dtype=bool)
    best, prices = lagrange.improve_side_prices(problem, index, weights, rows, prices)
    if not math.isfinite(best):
        return None
    rc = lagrange.reduced_costs(problem, weights, rows, prices)
    plan = _best_plan(problem, index, weights, rows, rc, prefer, [fixed], previous)
    if plan is not None and _gap(int(weights[plan].sum()), lagrange.integral_bound(best, weights)) <= TARGET_GAP:
        return plan, lagrange.integral_bound(best, weights), prices
    # Scarce supporters: price their capacity with every other price, then solve the LP from each job's best arcs.
    target = float(weights[plan].sum()) if plan is not None else best - abs(best) * 0.01
    better, tighter = descent.descend(problem, index, weights, rows, prices, target)
    if better < best:
        best, prices = better, tighter
        rc = lagrange.reduced_costs(problem, weights, rows, prices)
        if plan is not None:
            plan = _best_plan(problem, index, weights, rows, rc, prefer, [fixed], plan)
    start = lagrange.top_per_job(problem.job, rc, prefer, START_PER_JOB)
    if plan is not None:
        start |= plan
        if int(start.sum()) > master.MAX_COLUMNS:
            # Column generation could not price in a single column under its cap (measured at 6 M arcs:
            # 11 s of GLOP for a restricted LP below the plan), nor could CP-SAT polish around it.
            LOG.debug("L %.1f, plan %d; too many jobs for the LP, %.2fs", best, int(weights[plan].sum()),
                      time.perf_counter() - started)
            return plan, lagrange.integral_bound(best, weights), prices
    lp = master.solve_stage_lp(problem, index, weights, rows, start, LP_TOLERANCE * max(1.0, abs(best)))
    if not lp.feasible:
        return None
    if lp.bound < best:
        best, prices, rc = lp.bound, lp.prices, lp.rc
    bound = lagrange.integral_bound(best, weights)
    whole = fixed.copy()
    whole[lp.whole()] = True
    plan = _best_plan(problem, index, weights, rows, rc, prefer, [fixed, whole], plan)
    LOG.debug("L %.1f, restricted LP %.1f (%d columns), plan %s, %.2fs", best, lp.value, len(lp.columns),
              None if plan is None else int(weights[plan].sum()), time.perf_counter() - started)
    if plan is not None and _gap(int(weights[plan].sum()), bound) > TARGET_GAP:
        plan, bound = polish.polish(problem, weights, rows, lp, rc, prefer, plan, bound,
                                    POLISH_SHARE * options.time_limit_s, options)
        plan = reassign(problem, weights, rows, plan, prefer, rc)  # CP-SAT saw a few arcs a job; the flow sees more
    return plan, bound, prices


def _best_plan(problem: CoreProblem, index: JobIndex, weights: np.ndarray, rows: list[lagrange.SideRow],
               rc: np.ndarray, prefer: np.ndarray, starts: list[np.ndarray],
               previous: np.ndarray | None) -> np.ndarray | None:
    """The best of a greedy fill from each start and the previous plan (which meets every hold).

    Each is re-matched by min-cost flow first (``reassign``, offering each job its best arcs by
    reduced cost), which is where a plan chosen for an earlier stage gains most.
    """
    plans = [rounding.greedy_fill(problem, index, weights, rows, rc, prefer, start) for start in starts]
    plans = [reassign(problem, weights, rows, plan, prefer, rc) for plan in [*plans, previous] if plan is not None]
    if not plans:
        return None
    return max(plans, key=lambda plan: int(weights[plan].sum()))  # first best: deterministic


def _gap(value: float, bound: float) -> float:
    """Relative gap between the objective and the bound (0 when they meet)."""
    return 0.0 if value >= bound else abs(bound - value) / max(1.0, abs(value))
