"""The LP relaxation of a GAP: a lower bound, a guide for the local search, and reduced-cost fixing.

Costs here are always minimised (a maximised GAP is passed as its negated profits). For the
LP optimum ``z`` and an arc's reduced cost ``rc``, every plan that uses the arc costs at least
``z + rc`` (the other arcs' reduced-cost terms can only add to it). Costs are whole numbers,
so once a plan of cost ``v`` is known, an arc with ``z + rc > v - 1`` cannot be in any
strictly cheaper plan: dropping it keeps the optimum, and a proof on the remaining arcs is a
proof for the whole problem. On OR-Library's C instances this leaves about half the arcs;
the better the incumbent, the fewer remain.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .instance import GapInstance

#: Reduced costs and the LP value carry GLOP's tolerances; fix an arc only beyond them.
TOLERANCE = 1e-6


@dataclass(frozen=True, eq=False)
class Relaxation:
    """LP lower bound; ``x`` (LP value) and ``reduced_cost`` are agents x jobs. ``feasible`` False: no plan exists."""

    bound: float
    x: np.ndarray
    reduced_cost: np.ndarray
    feasible: bool

    @property
    def whole_bound(self) -> int:
        """The bound rounded up: no plan of whole-number cost can cost less."""
        return math.ceil(self.bound - TOLERANCE * max(1.0, abs(self.bound)))


def lp_relaxation(instance: GapInstance, cost: np.ndarray) -> Relaxation:
    """Solve the LP relaxation of minimising ``cost`` (agents x jobs) with GLOP, through the engine's LP."""
    from ..model import relax
    from .subproblem import to_core

    m, n = instance.agents, instance.jobs
    lp = relax.solve_lp(to_core(instance, "min"), -cost.T.ravel(), [])  # relax.py maximises
    if not lp.optimal:
        return Relaxation(math.inf, np.zeros((m, n)), np.zeros((m, n)), feasible=False)
    return Relaxation(-lp.value, lp.x.reshape(n, m).T, -lp.reduced_cost.reshape(n, m).T, feasible=True)


def useful_arcs(relaxation: Relaxation, cost: np.ndarray, plan: np.ndarray) -> np.ndarray:
    """Arcs (agents x jobs) that may appear in a plan cheaper than ``plan``, plus the plan's own arcs."""
    value = float(cost[plan, np.arange(cost.shape[1])].sum())
    slack = value - 1 - relaxation.bound + TOLERANCE * max(1.0, abs(value))
    keep = relaxation.reduced_cost <= slack
    keep[plan, np.arange(cost.shape[1])] = True
    return keep


def arcs_within(relaxation: Relaxation, target: int) -> np.ndarray:
    """Arcs (agents x jobs) that may appear in a plan of cost at most ``target``."""
    return relaxation.reduced_cost <= target - relaxation.bound + TOLERANCE * max(1.0, abs(target))
