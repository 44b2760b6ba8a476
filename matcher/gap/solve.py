"""Solving one GAP: a heuristic start, a local search, then CP-SAT, all on LP-reduced arcs.

1. ``start_assignment`` builds a good plan in pure numpy (a tenth of the time).
   If it meets the Lagrangian bound computed on the way, it is optimal and nothing else runs
   (most of OR-Library's A set).
2. The LP relaxation gives a lower bound and reduced costs (``relaxation.py``); if the plan
   meets the bound, it is optimal.
3. On instances of 1,000 arcs or more whose start is over 0.2 % above the LP bound: when it is
   over 1.5 % above, a numpy tabu search over shift and swap moves (``tabu.py``, a fixed
   number of moves); then a large-neighbourhood search (``neighbourhoods.py``) until it
   stalls or six tenths of the time have gone.
4. One CP-SAT call (``solve_core``, one worker, the plan as hint) gets the rest of the time,
   on the arcs that survive reduced-cost fixing against the plan, to improve or prove it.

Why this order (measured at 10 s on OR-Library's B and C sets, 2-core machine): one CP-SAT
call alone stalls several units above the optimum on b10200, c10200 and c20200, while the
local search gains most of those units in its first seconds; splitting CP-SAT into a call
before and a call after the search lost the proofs one uninterrupted run reaches on the
mid-sized instances; and a search that runs on after it stalls starves the final proof.
"""
from __future__ import annotations

import importlib
import math
import time

import numpy as np

from .heuristics import start_with_bound
from .instance import GapInstance, GapResult
from .neighbourhoods import improve_by_neighbourhoods
from .relaxation import Relaxation, lp_relaxation, useful_arcs
from .subproblem import solve_on_arcs
from .tabu import tabu_search

#: Shares of the time limit used by the heuristic start and, from the start, by the local search.
START_SHARE, SEARCH_SHARE = 0.1, 0.6
#: The local search runs on instances with at least this many arcs; CP-SAT alone proves the
#: smaller ones (every gap1..gap12 problem, at most 600 arcs) in well under a second.
SEARCH_FROM_ARCS = 1000
#: Nor when the start is already this close to the LP bound (a share of it): CP-SAT closes such
#: gaps (OR-Library's A set) faster than a search would.
SEARCH_GAP = 0.002
#: Moves of the tabu search, and the share of the time by which it must end whatever the count.
TABU_ITERATIONS, TABU_SHARE = 4000, 0.35
#: The tabu search runs only when the start is this far above the LP bound (a share of it): it
#: gains most from a poor start (Laguna E, large D), and on OR-Library's C10200 it cost the proof.
TABU_GAP = 0.015


def solve_gap(instance: GapInstance, sense: str, time_limit_s: float = 10.0, seed: int = 0) -> GapResult:
    """Solve one instance within ``time_limit_s`` seconds in all (see the module docstring).

    Status is OPTIMAL (proven) or FEASIBLE; INFEASIBLE or UNKNOWN come with no plan. Costs
    are minimised inside (a maximised instance is solved as its negated profits).
    """
    if sense not in ("max", "min"):
        raise ValueError(f"sense must be 'max' or 'min', not {sense!r}")
    _load_engine()
    started = time.perf_counter()
    sign = 1 if sense == "min" else -1
    cost = sign * instance.cost
    plan, lagrangian = start_with_bound(instance, sense, seconds=START_SHARE * time_limit_s)
    if plan is not None and _cost(cost, plan) <= math.ceil(lagrangian - 1e-6 * max(1.0, abs(lagrangian))):
        return _result(instance, sense, "OPTIMAL", plan, sign * _cost(cost, plan), started)  # proven: no LP needed
    relaxation = lp_relaxation(instance, cost) if plan is not None else None
    # No start (and so no relaxation): CP-SAT alone decides (it may be infeasible).
    if plan is None or relaxation is None or not relaxation.feasible:
        every = np.ones((instance.agents, instance.jobs), dtype=bool)
        outcome = solve_on_arcs(instance, cost, every, np.arange(instance.jobs), instance.capacity, None,
                                _left(started, time_limit_s), seed)
        return _result(instance, sense, outcome.status, outcome.plan, sign * outcome.bound, started)
    lower = relaxation.whole_bound
    if instance.agents * instance.jobs >= SEARCH_FROM_ARCS and _cost(cost, plan) - lower > SEARCH_GAP * abs(lower):
        if _cost(cost, plan) - lower > TABU_GAP * abs(lower):
            plan = tabu_search(instance, cost, useful_arcs(relaxation, cost, plan), plan, lower, TABU_ITERATIONS,
                               started + TABU_SHARE * time_limit_s,
                               lambda better: useful_arcs(relaxation, cost, better))
        plan = improve_by_neighbourhoods(instance, cost, relaxation, plan, lower,
                                         started + SEARCH_SHARE * time_limit_s, seed)
    plan, lower = _exact_phase(instance, cost, relaxation, plan, lower, _left(started, time_limit_s), seed)
    status = "OPTIMAL" if _cost(cost, plan) <= lower else "FEASIBLE"
    return _result(instance, sense, status, plan, sign * lower, started)


def _exact_phase(instance: GapInstance, cost: np.ndarray, relaxation: Relaxation, plan: np.ndarray, lower: int,
                 seconds: float, seed: int) -> tuple[np.ndarray, int]:
    """CP-SAT on the arcs that may beat ``plan``; the better plan and the better whole-number lower bound."""
    if _cost(cost, plan) <= lower:
        return plan, lower
    arcs = useful_arcs(relaxation, cost, plan)
    outcome = solve_on_arcs(instance, cost, arcs, np.arange(instance.jobs), instance.capacity, plan, seconds, seed)
    if outcome.plan is not None and _cost(cost, outcome.plan) < _cost(cost, plan):
        plan = outcome.plan
    if outcome.status == "OPTIMAL":
        return plan, _cost(cost, plan)
    if math.isfinite(outcome.bound):
        lower = max(lower, math.ceil(outcome.bound - 1e-6))
    return plan, lower


def _load_engine() -> None:
    """Import OR-Tools before the clock starts, so that no problem's time includes it.

    It is a one-off cost per process (seconds on a busy machine), not part of solving any one
    problem, and it is left out of HiGHS's time too.
    """
    importlib.import_module("matcher.model.core")
    importlib.import_module("matcher.model.relax")


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
