"""Tabu search over shift and swap moves, evaluated for every pair at once with numpy.

The search may overload agents: the move value is the cost change plus a penalty per unit of
excess capacity, with one weight per agent that rises while the agent is overloaded and falls
while the plan fits (strategic oscillation, as in Yagiura, Ibaraki and Glover's ejection-chain
search for the GAP). Crossing the infeasible region lets a job leave a full agent for a
cheaper one and the displaced job move on next, so shift moves chain into ejection chains
over a few iterations. A job that leaves an agent may not return to it for a while (tabu),
unless that gives a fitting plan better than the best so far. Moves are limited to the arcs
that survive LP reduced-cost fixing against the best plan, so every move could be part of a
cheaper plan.

Choices are deterministic (ties go to the lowest index); the time limit is only a safety net.
"""
from __future__ import annotations

import time

import numpy as np

from .instance import GapInstance

#: Iterations a job may not return to the agent it left: a base plus a share of the jobs.
TENURE_BASE, TENURE_SHARE = 7, 0.05
#: Factor by which an overloaded agent's penalty weight rises and a fitting plan's weights fall.
WEIGHT_UP, WEIGHT_DOWN = 1.05, 0.98
#: Iterations without a better plan after which the search goes back to the best.
RESTART = 300
#: Iterations without a better plan after which the search stops.
PATIENCE = 1000


def tabu_search(instance: GapInstance, cost: np.ndarray, arcs: np.ndarray, plan: np.ndarray, lower: int,
                iterations: int, deadline: float, arcs_for=None) -> np.ndarray:
    """The best fitting plan found in ``iterations`` moves from ``plan`` (never worse than it).

    ``arcs`` (agents x jobs) are the arcs moves may use; ``arcs_for(plan)``, when given,
    recomputes them each time a better plan is found. Stops early at ``lower`` or ``deadline``.
    """
    m, n = cost.shape
    jobs = np.arange(n)
    use, capacity = instance.use, instance.capacity.astype(float)
    big = float(np.abs(cost).max() * n + 1)
    cost_f = cost.astype(float)
    use_f = use.astype(float)
    best, best_value = plan.copy(), int(cost[plan, jobs].sum())
    current = plan.copy()
    load = np.bincount(current, weights=use_f[current, jobs], minlength=m)
    scale = float(np.median(np.abs(cost)) / max(np.median(use), 1))
    weight = np.full(m, max(scale, 1e-3))
    tabu_until = np.zeros((m, n), dtype=np.int64)
    tenure = TENURE_BASE + int(TENURE_SHARE * n)
    allowed = arcs.copy()
    allowed[current, jobs] = True
    last_better = last_gain = 0
    for iteration in range(iterations):
        if iteration - last_gain > PATIENCE:
            break
        if iteration - last_better > RESTART:
            current = best.copy()
            load = np.bincount(current, weights=use_f[current, jobs], minlength=m)
            weight[:] = max(scale, 1e-3)
            last_better = iteration
        if best_value <= lower or (iteration % 64 == 0 and time.perf_counter() > deadline):
            break
        over = np.maximum(load - capacity, 0.0)
        own_cost = cost_f[current, jobs]
        own_use = use_f[current, jobs]
        # Shifts: job j to agent i.
        src_over_after = np.maximum(load[current] - own_use - capacity[current], 0.0)
        src_delta = weight[current] * (src_over_after - over[current])
        dst_over_after = np.maximum(load[:, None] + use_f - capacity[:, None], 0.0)
        dst_delta = weight[:, None] * (dst_over_after - over[:, None])
        shift_cost = cost_f - own_cost
        shift = shift_cost + dst_delta + src_delta
        # A shift that lands on a fitting plan better than the best is allowed even if tabu.
        total_over = over.sum()
        fits_after = (total_over - (over[current] - src_over_after))[None, :] + (dst_over_after - over[:, None])
        aspire = (fits_after <= 0) & (own_cost.sum() + shift_cost < best_value)
        ok = allowed & ((tabu_until <= iteration) | aspire)
        ok[current, jobs] = False
        shift = np.where(ok, shift, np.inf)
        flat = int(np.argmin(shift))
        shift_value = shift.flat[flat]
        # Swaps: jobs j1 and j2 exchange agents. other[j1, j2] = cost of j2 on j1's agent.
        other_cost = cost_f[current, :]
        other_use = use_f[current, :]
        a_over = over[current]
        new1 = load[current][:, None] - own_use[:, None] + other_use
        pen1 = weight[current][:, None] * (np.maximum(new1 - capacity[current][:, None], 0.0) - a_over[:, None])
        swap_cost = other_cost + other_cost.T - own_cost[:, None] - own_cost[None, :]
        swap = swap_cost + pen1 + pen1.T
        ok2 = allowed[current, :]               # j2 may go to j1's agent
        ok2 &= ok2.T
        not_tabu = tabu_until[current, :] <= iteration
        ok2 &= not_tabu & not_tabu.T
        ok2 &= current[:, None] < current[None, :]   # each pair once, and never within one agent
        swap = np.where(ok2, swap, np.inf)
        flat2 = int(np.argmin(swap))
        swap_value = swap.flat[flat2]
        if not np.isfinite(shift_value) and not np.isfinite(swap_value):
            break
        if shift_value <= swap_value:
            i, j = divmod(flat, n)
            _move(current, load, use_f, tabu_until, j, i, iteration + tenure)
        else:
            j1, j2 = divmod(flat2, n)
            a1, a2 = current[j1], current[j2]
            _move(current, load, use_f, tabu_until, j1, a2, iteration + tenure)
            _move(current, load, use_f, tabu_until, j2, a1, iteration + tenure)
        overloaded = load > capacity
        if overloaded.any():
            weight[overloaded] *= WEIGHT_UP
        else:
            weight *= WEIGHT_DOWN
            value = int(cost[current, jobs].sum())
            if value < best_value:
                best, best_value = current.copy(), value
                last_better = last_gain = iteration
                if arcs_for is not None:
                    allowed = arcs_for(best)
                allowed[current, jobs] = True
        np.clip(weight, 1e-3 * scale, big, out=weight)
    return best


def _move(plan, load, use_f, tabu_until, job, agent, until):
    old = plan[job]
    load[old] -= use_f[old, job]
    load[agent] += use_f[agent, job]
    tabu_until[old, job] = until
    plan[job] = agent
