"""The first patterns of column generation: each job's best single arcs, and the patterns of two greedy plans.

With single arcs alone the first LP can give each supporter one recipient, and its prices ask
for pairs and triples a few at a time: at 20,000 providers (seed 1) the coverage LP started at
105,600 and was still at 629,700 after twelve rounds. A greedy plan is cheap (a second at that
size) and keeps every rule by construction (``rounding.greedy_fill``: capacity, load limit,
spread, budget), so each of its supporters' sets of recipients is a pattern the LP may take
whole: the first LP is then at least the plan's value (754,700 there) and its prices are those of
a real plan. Two plans: one by weight, one by weight less the budget's price (``lagrange``'s line
search), since where the budget binds the cheaper partnerships cover more.
"""
from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from . import lagrange, rounding
from .pattern_pool import patterns_of
from .problem import CoreProblem, Stage, next_preference

START_PER_JOB = 3       # single-arc patterns per job in the first LP, best weight first


def start_patterns(p: CoreProblem, stage: Stage, plans: list[np.ndarray]) -> Iterator[tuple[int, tuple[int, ...]]]:
    """(agent, arcs) of the first LP: single arcs, then the plans' patterns (the pool drops repeats)."""
    for arc in start_arcs(p, stage).tolist():
        yield int(p.agent[arc]), (arc,)
    for plan in plans:
        yield from patterns_of(p.agent, plan)


def start_arcs(p: CoreProblem, stage: Stage) -> np.ndarray:
    """Each job's few best arcs by the first stage's weight (single-arc patterns that fit alone)."""
    w = (1 if stage.sense == "max" else -1) * stage.coefficients
    order = np.lexsort((-w, p.job))
    rank = np.arange(len(order)) - np.searchsorted(p.job[order], p.job[order])
    alone = p.use <= p.capacity[p.agent]
    if p.load is not None and p.load_limit is not None:
        alone &= p.load <= p.load_limit[p.agent]
    picked = order[rank < START_PER_JOB]
    return picked[alone[picked]]


def greedy_plans(p: CoreProblem, stages: tuple[Stage, ...]) -> list[np.ndarray]:
    """Plans that keep every rule, filled by the first stage's weight and by that weight less the side rows' prices.

    A plan the fill cannot complete (a must-cover job it could not place) is left out.
    """
    stage = stages[0]
    weights = (1 if stage.sense == "max" else -1) * stage.coefficients.astype(np.int64)
    index = lagrange.JobIndex.of(p)
    rows = lagrange.side_rows(p)
    prefer = next_preference(stages[1:], p.n_arcs)
    start = p.fixed.copy() if p.fixed is not None else np.zeros(p.n_arcs, dtype=bool)
    plain = lagrange.Prices(np.zeros(len(p.capacity)), (0.0,) * len(rows))
    priced = [plain]
    if rows:
        _, side = lagrange.improve_side_prices(p, index, weights, rows, plain)
        priced.append(side)
    plans = []
    for prices in priced:
        rc = lagrange.reduced_costs(p, weights, rows, prices)
        plan = rounding.greedy_fill(p, index, weights, rows, rc, prefer, start)
        if plan is not None:
            plans.append(plan)
    return plans
