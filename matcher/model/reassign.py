"""Re-match supporters to a plan's jobs by min-cost flow, keeping every side row exactly where it is.

A plan fixes which jobs are covered and, through each chosen arc's side-row coefficients
(incentive, coverage, earlier stages), what it adds to every side row. Any other arc of the
same job with the same unit use and the same side-row coefficients can replace it without
changing a side row. Choosing among those for every job at once, within the agents' capacity,
is a transportation problem: OR-Tools' min-cost flow solves it exactly in a second where
CP-SAT would search. Arcs that use more than one unit (management contracts) and fixed arcs
stay as they are and only take their units from their agent's capacity.
"""
from __future__ import annotations

import numpy as np
from ortools.graph.python import min_cost_flow

from .core import CoreProblem
from .lagrange import SideRow, top_per_job

CHOICES_PER_JOB = 60  # interchangeable arcs per job offered to the flow, best weight first


def reassign(problem: CoreProblem, weights: np.ndarray, rows: list[SideRow], plan: np.ndarray,
             prefer: np.ndarray) -> np.ndarray:
    """The plan with its unit arcs re-matched to maximise ``weights``; never worse than ``plan``."""
    p = problem
    fixed = p.fixed if p.fixed is not None else np.zeros(p.n_arcs, dtype=bool)
    movable = plan & (p.use == 1) & ~fixed
    if not movable.any():
        return plan
    owner = np.full(len(p.must_cover), -1, dtype=np.int64)
    owner[p.job[movable]] = np.flatnonzero(movable)
    mine = owner[p.job]
    same = (mine >= 0) & (p.use == 1) & ~fixed
    for row in rows:
        same &= row.coef == row.coef[np.maximum(mine, 0)]
    choices = top_per_job(p.job, weights.astype(np.float64), prefer, CHOICES_PER_JOB, same) | movable
    arcs = np.flatnonzero(choices)
    stays = plan & ~movable
    room = p.capacity - np.bincount(p.agent[stays], weights=p.use[stays], minlength=len(p.capacity)).astype(np.int64)
    jobs = np.unique(p.job[movable])
    n_agents, n_jobs = len(p.capacity), len(p.must_cover)
    source, sink = n_agents + n_jobs, n_agents + n_jobs + 1
    flow = min_cost_flow.SimpleMinCostFlow()
    agents = np.arange(n_agents)
    flow.add_arcs_with_capacity_and_unit_cost(np.full(n_agents, source), agents, np.maximum(room, 0),
                                              np.zeros(n_agents, np.int64))
    first = flow.add_arcs_with_capacity_and_unit_cost(p.agent[arcs], n_agents + p.job[arcs],
                                                      np.ones(len(arcs), np.int64), -weights[arcs])
    flow.add_arcs_with_capacity_and_unit_cost(n_agents + jobs, np.full(len(jobs), sink),
                                              np.ones(len(jobs), np.int64), np.zeros(len(jobs), np.int64))
    flow.set_node_supply(source, len(jobs))
    flow.set_node_supply(sink, -len(jobs))
    if flow.solve() != flow.OPTIMAL:
        return plan
    used = flow.flows(first) > 0
    out = stays.copy()
    out[arcs[used]] = True
    return out if int(weights[out].sum()) >= int(weights[plan].sum()) else plan
