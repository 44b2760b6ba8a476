"""Solving one GAP: bounds first, then plans from the bound, then search, then proof.

1. ``start_with_bound`` builds a good plan in pure numpy; if it meets the capacity-Lagrangian
   bound computed on the way, it is optimal and nothing else runs (most of OR-Library's A set).
2. The LP relaxation (``relaxation.py``) gives a bound, reduced costs and the job prices that
   start the Lagrangian relaxation of the assignment constraints (``lagrangian.py``): one exact
   knapsack per agent, a fixed number of subgradient steps. Its bound is much tighter than the
   LP's, and with it each arc gets a proven bound on any plan that uses it, so arcs that cannot
   be in a better plan are dropped before every CP-SAT call (c20200 keeps 331 of 4,000 arcs).
3. On instances of 1,000 arcs or more whose first plan is over 0.2 % above the bound, the
   knapsack solutions kept by the subgradient method are repaired into plans (``repair.py``).
4. When the best plan is within ``CLOSE_UNITS`` of the bound, a Lagrangian branch and bound
   (``branch.py``) tries the values from the bound up: it proves each one impossible or finds
   the optimum (B and C).
5. Otherwise, after the repairs, a tabu search when the plan is still far from the bound
   (``tabu.py``) and an adaptive large-neighbourhood search (``neighbourhoods.py``); then the
   branch and bound if that brought the plan close.
6. One CP-SAT call (one worker, the plan as hint) gets the rest of the work, on the arcs that
   survive both kinds of reduced-cost fixing, to improve or prove the plan.

Every search limit is counted in work, not seconds: iterations of the numpy loops, knapsack
solves and CP-SAT's deterministic time, whose total is ``WORK_PER_SECOND`` times the time
limit (or ``work``), so a run repeats itself on a busy machine. The time limit stays as a
safety net: each phase also stops at its share of the wall clock. Every bound reported is
proven: the best of the LP, Lagrangian, branch-and-bound and CP-SAT bounds (CP-SAT's on the
reduced arcs holds for the whole problem because the dropped arcs cannot be in a plan cheaper
than the incumbent).

Why this order (measured at 10 s on the B, C, D and E sets, 2-core machine): one CP-SAT call
alone stalls several units above the optimum on b10200, c10200 and c20200 and does not move a
type D plan at all; the repairs give type D plans within a few tenths of a percent of the best
known in a few tenths of a second each, which neither the tabu search nor the neighbourhoods
reach in ten seconds; the branch and bound settles the last units of B and C in one or two
seconds, where neither the neighbourhoods nor one CP-SAT call with 8 units of work reached the
optimum of c10200 or c20200; and the stronger bound both proves optima and shrinks what
CP-SAT sees.
"""
from __future__ import annotations

import importlib
import logging
import math
import time

import numpy as np

from .branch import plan_within
from .heuristics import start_with_bound
from .instance import GapInstance, GapResult
from .lagrangian import LagrangianDual, arc_bounds, lagrangian_dual, prices_from_lp
from .lagrangian import useful_arcs as dual_arcs
from .neighbourhoods import improve_by_neighbourhoods
from .relaxation import arcs_within, lp_relaxation, useful_arcs
from .repair import repair
from .subproblem import solve_on_arcs
from .tabu import tabu_search

LOG = logging.getLogger(__name__)

#: Work (CP-SAT deterministic time, or its equivalent in knapsack solves) per second of the time limit,
#: calibrated on the project's 2-core machine while other work shared the cores: with 3.0 units 16 D and E
#: instances took 6.4 s on average and at most 7.9 s, so a 10 s run rarely reaches the safety net; 3.5
#: units took 9.0 s on average (13 s at most) for a mean gap of 0.13 % against 0.18 %, and 2.5 units
#: were worse (worst gap 0.69 % against 0.39 %).
WORK_PER_SECOND = 0.3
#: Shares of the time limit by which the start, the repairs and the local search must end whatever their counts.
START_SHARE, REPAIR_SHARE, SEARCH_SHARE = 0.1, 0.45, 0.75
#: Subgradient iterations of the Lagrangian relaxation, and which knapsack solutions it keeps for repair
#: (from iteration KEEP_FROM, every KEEP_EVERY).
LAGRANGIAN_ITERATIONS, KEEP_FROM, KEEP_EVERY = 150, 45, 15
#: CP-SAT work of one repair, and the share of the work budget all repairs may use.
REPAIR_WORK, REPAIR_BUDGET = 0.15, 0.35
#: Share of the work budget the neighbourhood search may use (the exact phase gets the rest). Measured with
#: the same total work on 20 D instances (seeds 1-8): 0.6 gave a mean gap of 0.11 % to the best known and a
#: worst of 0.32 %, 0.45 gave 0.15 % and 0.47 %; on 16 E instances both gave 0.07 % and 0.29 %.
SEARCH_BUDGET = 0.6
#: The local search runs on instances with at least this many arcs; CP-SAT alone proves the
#: smaller ones (every gap1..gap12 problem, at most 600 arcs) in well under a second.
SEARCH_FROM_ARCS = 1000
#: Nor when the first plan is already this close to the bound (a share of it): CP-SAT closes such
#: gaps (OR-Library's A set) faster than a search would.
SEARCH_GAP = 0.002
#: The branch and bound runs when the best plan is at most this many units above the bound, and may use
#: this share of the work left (each unit above the bound is one search; on the E instances, 9 to 30 units
#: above it, the searches raised the bound by a few units but CP-SAT found better plans with the work).
CLOSE_UNITS, CLOSE_BUDGET = 8, 0.8
#: Whether the exact phase gives CP-SAT the full LP relaxation (linearization level 2).
EXACT_FULL_LP = False
#: Moves of the tabu search; it runs only when the best plan is this far above the bound (a share of it).
TABU_ITERATIONS, TABU_GAP = 4000, 0.015


def solve_gap(instance: GapInstance, sense: str, time_limit_s: float = 10.0, seed: int = 0,
              work: float | None = None) -> GapResult:
    """Solve one instance within ``time_limit_s`` seconds in all (see the module docstring).

    Status is OPTIMAL (proven) or FEASIBLE; INFEASIBLE or UNKNOWN come with no plan. Costs
    are minimised inside (a maximised instance is solved as its negated profits). ``work``
    overrides the work budget (``WORK_PER_SECOND * time_limit_s``): with a time limit that
    never binds, the same instance, seed and work always give the same result.
    """
    if sense not in ("max", "min"):
        raise ValueError(f"sense must be 'max' or 'min', not {sense!r}")
    _load_engine()
    started = time.perf_counter()
    sign = 1 if sense == "min" else -1
    cost = sign * instance.cost
    budget = WORK_PER_SECOND * time_limit_s if work is None else work
    plan, lagrangian = start_with_bound(instance, sense, seconds=START_SHARE * time_limit_s)
    if plan is not None and _cost(cost, plan) <= math.ceil(lagrangian - 1e-6 * max(1.0, abs(lagrangian))):
        return _result(instance, sense, "OPTIMAL", plan, sign * _cost(cost, plan), started)  # proven: no LP needed
    relaxation = lp_relaxation(instance, cost) if plan is not None else None
    # No start (and so no relaxation): CP-SAT alone decides (it may be infeasible).
    if plan is None or relaxation is None or not relaxation.feasible:
        every = np.ones((instance.agents, instance.jobs), dtype=bool)
        outcome = solve_on_arcs(instance, cost, every, np.arange(instance.jobs), instance.capacity, None,
                                budget, _left(started, time_limit_s), seed)
        return _result(instance, sense, outcome.status, outcome.plan, sign * outcome.bound, started)
    lower = relaxation.whole_bound
    if _cost(cost, plan) <= lower:
        return _result(instance, sense, "OPTIMAL", plan, sign * lower, started)
    dual = lagrangian_dual(instance, cost, prices_from_lp(relaxation.reduced_cost, cost, instance.use),
                           _cost(cost, plan), LAGRANGIAN_ITERATIONS, KEEP_FROM, KEEP_EVERY)
    lower = max(lower, dual.whole_bound)
    _log(instance, "lagrangian", cost, plan, lower, 0.0, started)
    if dual.plan is not None and _cost(cost, dual.plan) < _cost(cost, plan):
        plan = dual.plan
    bounds = arc_bounds(dual, instance, cost)

    def arcs_for(better: np.ndarray) -> np.ndarray:
        """Arcs both relaxations allow in a plan cheaper than ``better``, and ``better``'s own."""
        arcs = useful_arcs(relaxation, cost, better) & dual_arcs(bounds, _cost(cost, better))
        arcs[better, np.arange(instance.jobs)] = True
        return arcs

    def close(plan: np.ndarray, lower: int, used: float) -> tuple[np.ndarray, int, float]:
        """The branch and bound on the values from ``lower`` up, with its share of the work left."""
        plan, lower, closed = _close_gap(instance, cost, lambda target: arcs_within(relaxation, target)
                                         & dual_arcs(bounds, target + 1), dual.prices, plan, lower,
                                         CLOSE_BUDGET * max(budget - used, 0.0), started + time_limit_s)
        _log(instance, "branch and bound", cost, plan, lower, used + closed, started)
        return plan, lower, used + closed

    used, closing = 0.0, True
    repaired: list[np.ndarray] = []
    search = instance.agents * instance.jobs >= SEARCH_FROM_ARCS and _cost(cost, plan) - lower > SEARCH_GAP * abs(lower)
    if search:
        plan, used, repaired = _repair_all(instance, cost, dual, plan, lower, arcs_for,
                                           REPAIR_BUDGET * budget, started + REPAIR_SHARE * time_limit_s, seed)
        _log(instance, "repair", cost, plan, lower, used, started)
    if _close(cost, plan, lower):   # a few units left: the branch and bound settles them fastest
        plan, lower, used = close(plan, lower, used)
        closing = False
    if search and _cost(cost, plan) > lower:
        if _cost(cost, plan) - lower > TABU_GAP * abs(lower):
            plan = tabu_search(instance, cost, arcs_for(plan), plan, lower, TABU_ITERATIONS,
                               started + SEARCH_SHARE * time_limit_s, arcs_for)
            _log(instance, "tabu", cost, plan, lower, used, started)
        plan, searched = improve_by_neighbourhoods(instance, cost, relaxation.x, dual.frequency, plan, lower,
                                                   SEARCH_BUDGET * budget, started + SEARCH_SHARE * time_limit_s, seed,
                                                   arcs_for, repaired)
        used += searched
        _log(instance, "neighbourhoods", cost, plan, lower, used, started)
        if closing and _close(cost, plan, lower):
            plan, lower, used = close(plan, lower, used)
    plan, lower = _exact_phase(instance, cost, arcs_for(plan), plan, lower, max(budget - used, 0.05),
                               _left(started, time_limit_s), seed)
    _log(instance, "exact", cost, plan, lower, budget, started)
    status = "OPTIMAL" if _cost(cost, plan) <= lower else "FEASIBLE"
    return _result(instance, sense, status, plan, sign * lower, started)


def _repair_all(instance: GapInstance, cost: np.ndarray, dual: LagrangianDual, plan: np.ndarray, lower: int,
                arcs_for, work: float, deadline: float, seed: int) -> tuple[np.ndarray, float, list[np.ndarray]]:
    """The best of ``plan`` and the repaired knapsack solutions, the work used, and every repaired plan."""
    used = 0.0
    repaired_plans: list[np.ndarray] = []
    arcs = arcs_for(plan)
    for number, chosen in enumerate(dual.snapshots):
        left = deadline - time.perf_counter()
        if used >= work or left <= 0 or _cost(cost, plan) <= lower:
            break
        repaired, spent = repair(instance, cost, chosen, arcs, min(REPAIR_WORK, work - used), left, seed + number)
        used += spent
        if repaired is not None:
            repaired_plans.append(repaired)
        if repaired is not None and _cost(cost, repaired) < _cost(cost, plan):
            plan = repaired
            arcs = arcs_for(plan)
    return plan, used, repaired_plans


def _close_gap(instance: GapInstance, cost: np.ndarray, arcs_at, prices: np.ndarray, plan: np.ndarray,
               lower: int, work: float, deadline: float) -> tuple[np.ndarray, int, float]:
    """Search the values from ``lower`` up (``branch.plan_within``), closing the gap.

    Each search either finds a plan of that cost, which is then optimal, or proves there is none and
    lifts the bound.

    Returns the plan, the bound and the work used; stops when the work is used or a search is cut short.
    """
    used = 0.0
    while _cost(cost, plan) > lower and used < work and time.perf_counter() < deadline:
        search = plan_within(instance, cost, arcs_at(lower), lower, prices, work - used, deadline)
        used += search.work
        if search.plan is not None and instance.fits(search.plan) and _cost(cost, search.plan) <= lower:
            return search.plan, lower, used
        if not search.exhausted:
            break
        lower += 1
    return plan, lower, used


def _exact_phase(instance: GapInstance, cost: np.ndarray, arcs: np.ndarray, plan: np.ndarray, lower: int,
                 work: float, seconds: float, seed: int) -> tuple[np.ndarray, int]:
    """CP-SAT on the arcs that may beat ``plan``; the better plan and the better whole-number lower bound."""
    if _cost(cost, plan) <= lower:
        return plan, lower
    outcome = solve_on_arcs(instance, cost, arcs, np.arange(instance.jobs), instance.capacity, plan, work,
                            seconds, seed, full_lp=EXACT_FULL_LP)
    if outcome.plan is not None and _cost(cost, outcome.plan) < _cost(cost, plan):
        plan = outcome.plan
    if outcome.status == "OPTIMAL":
        return plan, _cost(cost, plan)
    if math.isfinite(outcome.bound):
        lower = max(lower, math.ceil(outcome.bound - 1e-6))
    return plan, lower


def _log(instance: GapInstance, phase: str, cost: np.ndarray, plan: np.ndarray, lower: int, work: float,
         started: float) -> None:
    LOG.debug("%s after %s: plan %d, bound %d, work %.2f, %.2f s", instance.name, phase, _cost(cost, plan), lower,
              work, time.perf_counter() - started)


def _load_engine() -> None:
    """Import OR-Tools before the clock starts, so that no problem's time includes it.

    It is a one-off cost per process (seconds on a busy machine), not part of solving any one
    problem, and it is left out of HiGHS's time too.
    """
    importlib.import_module("matcher.model.core")
    importlib.import_module("matcher.model.relax")
    importlib.import_module("ortools.algorithms.python.knapsack_solver")


def _close(cost: np.ndarray, plan: np.ndarray, lower: int) -> bool:
    """Whether the plan is close enough to the bound for the branch and bound."""
    return _cost(cost, plan) - lower <= CLOSE_UNITS


def _cost(cost: np.ndarray, plan: np.ndarray) -> int:
    return int(cost[plan, np.arange(cost.shape[1])].sum())


def _left(started: float, until_s: float) -> float:
    """Seconds left until ``until_s`` after the start (at least a little, so CP-SAT can load the hint)."""
    return max(until_s - (time.perf_counter() - started), 0.05)


def _result(instance: GapInstance, sense: str, status: str, plan: np.ndarray | None, bound: float,
            started: float) -> GapResult:
    """The result in the instance's own sense (``bound`` already converted back)."""
    seconds = time.perf_counter() - started
    if plan is None:
        return GapResult(instance.name, sense, status, None, None, seconds, None)
    return GapResult(instance.name, sense, status, instance.value(plan), bound, seconds, tuple(int(a) for a in plan))
