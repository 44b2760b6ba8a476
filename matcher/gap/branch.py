"""Lagrangian branch and bound for the last few units: is there a plan of cost at most T?

When the best plan is only a few units above the Lagrangian bound (OR-Library's B and C sets),
neither the neighbourhood search nor CP-SAT closes the gap in seconds: CP-SAT found no plan of
cost 2,391 for c20200 in 5 units of deterministic time even on the 410 arcs that can be in one.
A depth-first search whose every node is bounded by the knapsack Lagrangian does, because
that bound is nearly tight there: each node fixes some jobs, re-optimises the prices of the
others for a few subgradient steps (from its parent's prices), and is cut off once its bound
exceeds T. Two things keep the tree small: arcs whose forced use would lift the node's bound
above T are dropped (``knapsack.forced_in_increase``), and a job left with one arc is placed at
once. It branches on a job the knapsacks disagree on (taken by none or by several agents) with
the fewest arcs left, trying first the agents whose knapsack took it. A knapsack solution that
gives every free job exactly one agent is a plan of cost at most T.

Searching T = bound, bound + 1, ... in turn proves each value that has no plan (the tree is
exhausted) and stops at the optimum, proven. Measured (2-core machine, shared; node counts
from a prototype of this search): c20200 2,390 proven impossible at the root and a plan of
2,391 in 93 nodes; c10200 2,805 proven impossible in 74 nodes and 2,806 found in 284; b10200
2,827 in 203 nodes. In the solver the searches take 0.3 to 1 s on these three instances. The
search counts its work in knapsack solves, so its limit is deterministic.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from .instance import GapInstance
from .knapsack import SCALE, forced_in_increase, solve_knapsacks

#: Subgradient steps per node (each re-solves every agent's knapsack), and stalled steps before halving.
STEPS, STALL = 10, 3
#: Knapsack solves that count as one unit of work (about as long as one unit of CP-SAT's deterministic time).
KNAPSACKS_PER_WORK = 20_000


@dataclass(frozen=True, eq=False)
class Search:
    """What one search of the tree found.

    A plan of cost at most the target (None if none was found), whether the whole tree was searched
    (then no such plan exists), and the work used.
    """

    plan: np.ndarray | None
    exhausted: bool
    work: float


def plan_within(instance: GapInstance, cost: np.ndarray, arcs: np.ndarray, target: int, prices: np.ndarray,
                work: float, deadline: float = float("inf")) -> Search:
    """A plan of cost at most ``target`` using only ``arcs`` (agents x jobs), by Lagrangian branch and bound.

    ``prices`` (scaled, see ``knapsack.py``) start the root. ``arcs`` must hold every arc of
    any such plan (reduced-cost fixing against ``target`` guarantees it): then an exhausted
    tree proves that no plan costs ``target`` or less. Stops after ``work`` (knapsack solves,
    see ``KNAPSACKS_PER_WORK``) or, as a safety net, at ``deadline`` (``time.perf_counter``).
    """
    tree = _Tree(instance, cost.astype(np.int64), int(target), work * KNAPSACKS_PER_WORK)
    stack = [(np.full(instance.jobs, -1), arcs.copy(), np.asarray(prices, dtype=np.int64))]
    while stack and tree.found is None and tree.solves < tree.limit and time.perf_counter() < deadline:
        stack.extend(reversed(tree.expand(*stack.pop())))   # depth first, children in their order
    return Search(tree.found, tree.found is None and not stack, tree.solves / KNAPSACKS_PER_WORK)


class _Tree:
    """The state shared by the nodes: the problem, the target, the work done and any plan found."""

    def __init__(self, instance: GapInstance, cost: np.ndarray, target: int, limit: float):
        self.instance, self.cost, self.target, self.limit = instance, cost, target, limit
        self.solves = 0
        self.found: np.ndarray | None = None

    def expand(self, placed: np.ndarray, arcs: np.ndarray, prices: np.ndarray) -> list:
        """The children of a node (jobs ``placed`` >= 0 are fixed), or none if it is cut off or solved."""
        settled = self._propagate(placed, arcs)
        if settled is None:
            return []
        placed, arcs, capacity = settled
        free = placed < 0
        fixed = np.flatnonzero(~free)
        fixed_cost = int(self.cost[placed[fixed], fixed].sum())
        free_arcs = arcs & free[None, :]
        bound, prices, chosen = self._bound(free, free_arcs, capacity, fixed_cost, prices)
        if bound > self.target * SCALE:
            return []
        taken = chosen.sum(axis=0)
        if (taken[free] == 1).all():
            plan = placed.copy()
            plan[free] = chosen[:, free].argmax(axis=0)
            self.found = plan
            return []
        loss = forced_in_increase(self.cost, self.instance.use, capacity, np.where(free, prices, 0), chosen,
                                  free_arcs)
        arcs = arcs & ~(free_arcs & (bound + loss > self.target * SCALE))
        options = arcs.sum(axis=0)
        if (options[free] == 0).any():
            return []
        disputed = np.flatnonzero(free & (taken != 1))
        job = disputed[np.lexsort((-np.abs(taken[disputed] - 1), options[disputed]))[0]]
        agents = sorted(np.flatnonzero(arcs[:, job]), key=lambda agent: (not chosen[agent, job],
                                                                         self.cost[agent, job], agent))
        children = []
        for agent in agents:
            child = placed.copy()
            child[job] = agent
            children.append((child, arcs, prices))
        return children

    def _propagate(self, placed: np.ndarray, arcs: np.ndarray):
        """Drop arcs that no longer fit and place jobs left with one arc, until nothing changes.

        None if some agent is overloaded or some job has no arc left; else the placed jobs, the
        arcs and each agent's capacity left.
        """
        use, capacity = self.instance.use, self.instance.capacity
        placed, arcs = placed.copy(), arcs.copy()
        while True:
            free = placed < 0
            fixed = np.flatnonzero(~free)
            left = capacity - np.bincount(placed[fixed], weights=use[placed[fixed], fixed],
                                          minlength=len(capacity)).astype(np.int64)
            if (left < 0).any():
                return None
            arcs &= (use <= left[:, None]) | ~free[None, :]
            options = arcs.sum(axis=0)
            if (options[free] == 0).any():
                return None
            single = free & (options == 1)
            if not single.any():
                return placed, arcs, left
            placed[single] = arcs[:, single].argmax(axis=0)

    def _bound(self, free: np.ndarray, arcs: np.ndarray, capacity: np.ndarray, fixed_cost: int, prices: np.ndarray):
        """The node's best Lagrangian bound (scaled) in ``STEPS`` subgradient steps, its prices and knapsacks."""
        best, best_prices, best_chosen, stalled, step = None, prices, None, 0, 1.0
        goal = (self.target + 1) * SCALE
        for _ in range(STEPS):
            here = np.where(free, prices, 0)
            margin, chosen = solve_knapsacks(self.cost, self.instance.use, capacity, here, arcs)
            self.solves += len(capacity)
            bound = fixed_cost * SCALE + int(here.sum()) - margin
            if best is None or bound > best:
                best, best_prices, best_chosen, stalled = bound, prices, chosen, 0
            else:
                stalled += 1
                if stalled >= STALL:
                    step, stalled = step / 2, 0
            slope = np.where(free, 1 - chosen.sum(axis=0), 0)
            if bound > self.target * SCALE or not slope.any():
                return bound, prices, chosen
            prices = prices + np.round(step * max(goal - bound, SCALE) / float(slope @ slope) * slope).astype(np.int64)
        return best, best_prices, best_chosen
