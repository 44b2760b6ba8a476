"""Exact 0-1 knapsacks, one per agent: the subproblems of the GAP's Lagrangian relaxation.

Relaxing "each job goes to exactly one agent" with a price per job leaves one knapsack per
agent: take the jobs whose price exceeds their cost there, as many as fit its capacity, for
the largest total margin. Each is solved exactly by OR-Tools' knapsack solver (C++), which is
what makes the bound a proven one. Prices are whole numbers in units of ``1 / SCALE`` so every
margin is an integer and the solver's arithmetic is exact.

``margin_profiles`` gives, for every agent and every capacity up to its own, the best margin
(a numpy dynamic programme). Reduced-cost fixing uses it: forcing job j onto agent i leaves
at most ``b_i - a_ij`` of its capacity for the other jobs.
"""
from __future__ import annotations

import numpy as np

#: Prices are stored as whole numbers of 1/SCALE cost units.
SCALE = 1000
#: The loss of an arc that can never be used (far above any plan's cost, far below overflow).
NEVER = 2 ** 60


def solve_knapsacks(cost: np.ndarray, use: np.ndarray, capacity: np.ndarray, prices: np.ndarray,
                    allowed: np.ndarray | None = None) -> tuple[int, np.ndarray]:
    """Every agent's best knapsack at the given job prices (scaled integers).

    Returns the total margin (scaled) and the chosen jobs (agents x jobs, Boolean). Agent i
    may take job j at a margin ``prices[j] - SCALE * cost[i, j]``; only positive margins
    are worth taking, and only on ``allowed`` arcs (agents x jobs) when given.
    """
    from ortools.algorithms.python import knapsack_solver

    exact = knapsack_solver.SolverType.KNAPSACK_DIVIDE_AND_CONQUER_SOLVER
    margin = prices[None, :] - SCALE * cost.astype(np.int64)
    chosen = np.zeros(cost.shape, dtype=bool)
    total = 0
    for agent in range(cost.shape[0]):
        worth = (margin[agent] > 0) & (use[agent] <= capacity[agent])
        items = np.flatnonzero(worth if allowed is None else worth & allowed[agent])
        if len(items) == 0:
            continue
        solver = knapsack_solver.KnapsackSolver(exact, "gap")
        solver.init(margin[agent, items].tolist(), [use[agent, items].tolist()], [int(capacity[agent])])
        total += int(solver.solve())
        chosen[agent, items] = [solver.best_solution_contains(k) for k in range(len(items))]
    return total, chosen


def margin_profiles(cost: np.ndarray, use: np.ndarray, capacity: np.ndarray, prices: np.ndarray,
                    allowed: np.ndarray | None = None) -> np.ndarray:
    """The best knapsack margin (scaled) of each agent for every capacity 0..its own (agents x (max + 1)).

    Entries beyond an agent's own capacity are not meaningful. One dynamic programme over
    the jobs, vectorised over agents and capacities (a few milliseconds at 20 x 200).
    """
    m, n = cost.shape
    top = int(capacity.max()) if m else 0
    margin = prices[None, :] - SCALE * cost.astype(np.int64)
    best = np.zeros((m, top + 1), dtype=np.int64)
    room = np.arange(top + 1)
    rows = np.arange(m)[:, None]
    for job in range(n):
        worth = (margin[:, job] > 0) & (use[:, job] <= capacity)
        if allowed is not None:
            worth &= allowed[:, job]
        if not worth.any():
            continue
        left = room[None, :] - use[:, job][:, None]
        taken = np.where(left >= 0, best[rows, np.maximum(left, 0)] + margin[:, job][:, None], -1)
        best = np.where(worth[:, None] & (taken > best), taken, best)
    return best


def forced_in_increase(cost: np.ndarray, use: np.ndarray, capacity: np.ndarray, prices: np.ndarray,
                       chosen: np.ndarray, allowed: np.ndarray | None = None) -> np.ndarray:
    """A lower bound (scaled) on how much each agent's knapsack loses if job j is forced onto agent i.

    Zero where the job is already chosen; ``NEVER`` where the job alone exceeds the capacity or
    the arc is not ``allowed``.
    Forcing j in leaves ``b_i - a_ij`` for the rest, whose best margin is at most the profile at
    that capacity (the profile may even count j again, which only weakens the bound), so the
    loss is at least ``best(b_i) - margin_ij - best(b_i - a_ij)``.
    """
    profiles = margin_profiles(cost, use, capacity, prices, allowed)
    margin = prices[None, :] - SCALE * cost.astype(np.int64)
    agents = np.arange(cost.shape[0])[:, None]
    left = capacity[:, None] - use
    rest = profiles[agents, np.maximum(left, 0)]
    loss = profiles[agents, capacity[:, None]] - margin - rest
    loss = np.maximum(loss, 0)
    loss[chosen] = 0
    loss[left < 0] = NEVER
    if allowed is not None:
        loss[~allowed] = NEVER
    return loss
