"""A good first plan in pure numpy: regret greedy on Lagrangian prices, then shift and swap moves.

The plan hints the solver and is the incumbent the LP reduced-cost fixing and the local
search start from. Nothing here imports OR-Tools.
"""
from __future__ import annotations

import time

import numpy as np

from .instance import GapInstance


def start_assignment(instance: GapInstance, sense: str, seconds: float = 1.0) -> np.ndarray | None:
    """A good feasible plan (each job's agent), or None if none was found (see ``start_with_bound``)."""
    return start_with_bound(instance, sense, seconds)[0]


def start_with_bound(instance: GapInstance, sense: str, seconds: float = 1.0) -> tuple[np.ndarray | None, float]:
    """A good feasible plan (each job's agent) to hint the solver with, or None if none was found.

    Lagrangian relaxation of the capacities (subgradient steps on one multiplier per agent)
    prices each agent's capacity; a regret greedy on those prices builds plans, and shift and
    swap moves improve the best one. Stops early once the plan meets the Lagrangian bound.
    Also returns that bound on the minimised cost (-inf if none was computed): when the plan
    meets it, the plan is optimal and the LP is not needed.
    """
    cost = instance.cost if sense == "min" else -instance.cost
    use, capacity = instance.use, instance.capacity
    deadline = time.perf_counter() + seconds
    best, best_value = None, np.inf
    for desirability in (cost, cost / np.maximum(use, 1)):
        plan = _regret_greedy(use, capacity, desirability.astype(float))
        if plan is not None and cost[plan, np.arange(instance.jobs)].sum() < best_value:
            best, best_value = plan, cost[plan, np.arange(instance.jobs)].sum()
    best, best_value, lower = _lagrangian_plans(cost, use, capacity, best, best_value, deadline)
    return (None if best is None else _improve(cost, use, capacity, best)), lower


def _lagrangian_plans(cost, use, capacity, best, best_value, deadline, iterations=300, greedy_every=10, patience=100):
    """Subgradient optimisation of the capacity multipliers, keeping the best greedy plan found.

    Gives up after ``patience`` iterations without a better plan: on OR-Library's A set the
    first plans are already optimal, and the time is better spent proving it.
    """
    m, n = cost.shape
    jobs = np.arange(n)
    price = np.zeros(m)
    lower, step, stalled = -np.inf, 2.0, 0
    target = best_value if np.isfinite(best_value) else float(np.abs(cost).sum())
    last_better = 0
    for iteration in range(iterations):
        reduced = cost + price[:, None] * use
        choice = reduced.argmin(axis=0)
        bound = reduced[choice, jobs].sum() - price @ capacity
        if bound > lower + 1e-9:
            lower, stalled = bound, 0
        else:
            stalled += 1
            if stalled >= 20:
                step, stalled = step / 2, 0
        if np.ceil(lower - 1e-6) >= best_value or time.perf_counter() > deadline or iteration - last_better > patience:
            break
        if iteration % greedy_every == 0:
            plan = _regret_greedy(use, capacity, reduced)
            if plan is not None and cost[plan, jobs].sum() < best_value:
                best, best_value = plan, cost[plan, jobs].sum()
                target, last_better = best_value, iteration
        excess = np.bincount(choice, weights=use[choice, jobs], minlength=m) - capacity
        norm = float(excess @ excess)
        if norm == 0:
            break
        price = np.maximum(0.0, price + step * max(target - bound, 1.0) / norm * excess)
    return best, best_value, lower


def _regret_greedy(use, capacity, desirability):
    """Place jobs one by one, the job that would lose most from missing its best agent first."""
    m, n = desirability.shape
    load = np.zeros(m, dtype=np.int64)
    plan = np.full(n, -1)
    open_ = np.where(use <= capacity[:, None], desirability, np.inf)
    for _ in range(n):
        if m > 1:
            first, second = np.partition(open_, 1, axis=0)[:2]
        else:
            first, second = open_[0], np.full(n, np.inf)
        placeable = np.isfinite(first)
        if not placeable.any():
            return None
        with np.errstate(invalid="ignore"):
            regret = np.where(np.isfinite(second), second - first, np.inf)
        j = int(np.argmax(np.where(placeable, regret, -np.inf)))
        i = int(np.argmin(open_[:, j]))
        plan[j], load[i] = i, load[i] + use[i, j]
        open_[:, j] = np.inf
        open_[i, load[i] + use[i] > capacity[i]] = np.inf
    return plan if (plan >= 0).all() else None


def _improve(cost, use, capacity, plan, rounds=10_000):
    """Best-improvement local search: move one job to another agent, or swap two jobs' agents."""
    m, n = cost.shape
    jobs = np.arange(n)
    plan = plan.copy()
    load = np.bincount(plan, weights=use[plan, jobs], minlength=m).astype(np.int64)
    for _ in range(rounds):
        current = cost[plan, jobs]
        shift = np.where(load[:, None] + use <= capacity[:, None], cost - current, 0)
        shift[plan, jobs] = 0
        i, j = np.unravel_index(np.argmin(shift), shift.shape)
        if shift[i, j] < 0:
            load[plan[j]] -= use[plan[j], j]
            load[i] += use[i, j]
            plan[j] = i
            continue
        other = cost[plan[None, :], jobs[:, None]]        # [j1, j2]: cost of j1 on j2's agent
        other_use = use[plan[None, :], jobs[:, None]]
        own_use = use[plan, jobs]
        gain = other + other.T - current[:, None] - current[None, :]
        fits_first = load[plan][:, None] - own_use[:, None] + other_use.T <= capacity[plan][:, None]
        fits_second = load[plan][None, :] - own_use[None, :] + other_use <= capacity[plan][None, :]
        gain = np.where(fits_first & fits_second & (plan[:, None] != plan[None, :]), gain, 0)
        j1, j2 = np.unravel_index(np.argmin(gain), gain.shape)
        if gain[j1, j2] >= 0:
            break
        i1, i2 = plan[j1], plan[j2]
        load[i1] += use[i1, j2] - use[i1, j1]
        load[i2] += use[i2, j1] - use[i2, j2]
        plan[j1], plan[j2] = i2, i1
    return plan
