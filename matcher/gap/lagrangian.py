"""The Lagrangian relaxation of the assignment constraints: a proven bound much tighter than the LP's.

Give every job a price and drop "each job goes to exactly one agent": each agent then solves
its own 0-1 knapsack (``knapsack.py``), and the prices plus the agents' best costs bound any
plan from below. Because the knapsacks keep their integrality, this bound equals the LP bound
of the set-partitioning reformulation, which on tight instances is far above the plain LP
bound (measured: c20200 2,376.9 -> 2,389.7 against the optimum 2,391; on the generated type
D and E instances it closes a quarter to nine tenths of the gap between the LP bound and the
best known plan). Relaxing the capacities instead (``heuristics.py``) gives at most the LP bound.

The prices start from the LP's duals and follow a subgradient method (Polyak steps towards the
best plan's cost, halved when the bound stalls) for a fixed number of iterations, so the result
never depends on the clock. The knapsack solutions of the later iterations are kept: agents
have packed them as well as the prices allow, and where they agree on a job they are nearly
always right (``repair.py`` completes them into plans). The final prices also give each arc a
reduced cost: an arc whose forced use lifts the bound to the best plan's cost cannot be in a
better plan and is dropped before any CP-SAT call.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .instance import GapInstance
from .knapsack import SCALE, forced_in_increase, solve_knapsacks

#: Iterations without a better bound after which the step is halved.
STALL = 10
#: The first step, as a share of the Polyak step (from the LP's duals the bound is already good).
FIRST_STEP = 1.0


@dataclass(frozen=True, eq=False)
class LagrangianDual:
    """The best bound found (scaled by ``SCALE``), its prices, and knapsack solutions kept for repair.

    ``frequency`` (agents x jobs) is the share of the knapsack solutions from iteration
    ``keep_from`` on that gave each job to each agent: how sure the relaxation is of each arc.

    ``plan`` is set when a knapsack solution gave every job exactly one agent: that plan is
    optimal (it costs exactly the bound).
    """

    scaled_bound: int
    prices: np.ndarray
    snapshots: tuple[np.ndarray, ...]
    frequency: np.ndarray
    iterations: int
    plan: np.ndarray | None = None

    @property
    def bound(self) -> float:
        """The Lagrangian lower bound in the instance's own cost units."""
        return self.scaled_bound / SCALE

    @property
    def whole_bound(self) -> int:
        """The bound rounded up, exactly (costs are whole numbers, so no plan costs less)."""
        return -(-self.scaled_bound // SCALE)


def prices_from_lp(reduced_cost: np.ndarray, cost: np.ndarray, use: np.ndarray) -> np.ndarray:
    """The LP's job prices (duals of the assignment rows), recovered from its reduced costs.

    For every arc ``cost - reduced_cost = price_j - v_i * use`` (``v_i`` the capacity dual);
    the arcs with a zero reduced cost determine both, by least squares. Any prices give a
    valid bound, so a poor recovery costs only iterations, never correctness.
    """
    m, n = cost.shape
    agent, job = np.nonzero(np.abs(reduced_cost) <= 1e-7)
    if len(agent) < n or len(agent) > 50 * (n + m):
        return np.sort(cost, axis=0)[min(1, m - 1)].astype(float)
    rows = np.arange(len(agent))
    system = np.zeros((len(agent), n + m))
    system[rows, job] = 1.0
    system[rows, n + agent] = -use[agent, job]
    target = (cost - reduced_cost)[agent, job]
    solution = np.linalg.lstsq(system, target, rcond=None)[0]
    return solution[:n]


def lagrangian_dual(instance: GapInstance, cost: np.ndarray, start: np.ndarray, target: int, iterations: int,
                    keep_from: int, keep_every: int) -> LagrangianDual:
    """Subgradient optimisation of the job prices from ``start`` (in cost units), ``iterations`` steps.

    ``target`` is the cost of the best plan known (the Polyak step aims at it). The knapsack
    solutions of iterations ``keep_from``, ``keep_from + keep_every``, ... are kept for repair.
    Stops early when the bound reaches the target (the plan is then proven optimal) or when a
    knapsack solution is itself a plan.
    """
    use, capacity = instance.use, instance.capacity
    prices = np.round(np.asarray(start, dtype=float) * SCALE).astype(np.int64)
    best, best_prices, stalled, step = None, prices, 0, FIRST_STEP
    snapshots: list[np.ndarray] = []
    taken = np.zeros(cost.shape, dtype=np.int64)
    goal = int(target) * SCALE
    iteration = 0
    for iteration in range(1, iterations + 1):
        margin, chosen = solve_knapsacks(cost, use, capacity, prices)
        bound = int(prices.sum()) - margin
        if best is None or bound > best:
            best, best_prices, stalled = bound, prices.copy(), 0
        else:
            stalled += 1
            if stalled >= STALL:
                step, stalled = step / 2, 0
        covered = chosen.sum(axis=0)
        if (covered == 1).all():
            return LagrangianDual(best, best_prices, tuple(snapshots), chosen.astype(float), iteration,
                                  chosen.argmax(axis=0))
        if iteration >= keep_from:
            taken += chosen
            if (iteration - keep_from) % keep_every == 0:
                snapshots.append(chosen)
        if best > goal - SCALE:   # no plan is cheaper than the target: it is optimal
            break
        slope = 1 - covered
        move = step * max(goal - bound, SCALE) / float(slope @ slope)
        prices = prices + np.round(move * slope).astype(np.int64)
    frequency = taken / max(iteration - keep_from + 1, 1) if iteration >= keep_from else chosen.astype(float)
    # At least one iteration ran (``iterations`` >= 1), so ``best`` is set; the fallback is for the type checker.
    return LagrangianDual(best if best is not None else 0, best_prices, tuple(snapshots), frequency, iteration)


def arc_bounds(dual: LagrangianDual, instance: GapInstance, cost: np.ndarray) -> np.ndarray:
    """A proven lower bound (scaled) on the cost of any plan that uses each arc (agents x jobs).

    Using arc (i, j) adds at least its forced-in loss to the bound at the best prices
    (``knapsack.forced_in_increase``). An arc whose bound exceeds ``(v - 1) * SCALE`` cannot be
    in a plan cheaper than ``v``: ``useful_arcs`` drops it.
    """
    margin, chosen = solve_knapsacks(cost, instance.use, instance.capacity, dual.prices)
    bound = int(dual.prices.sum()) - margin
    return bound + forced_in_increase(cost, instance.use, instance.capacity, dual.prices, chosen)


def useful_arcs(bounds: np.ndarray, plan_value: int) -> np.ndarray:
    """Arcs (agents x jobs) that may be in a plan strictly cheaper than ``plan_value`` (see ``arc_bounds``)."""
    return bounds <= (int(plan_value) - 1) * SCALE
