"""A plan from the master LP: its patterns, most taken first, within the side rows, filled greedily.

At 20,000 providers (seed 1, coverage) CP-SAT over 7,500 patterns (the LP's support) or 20,000
found nothing better than its hint in its time while the LP stood 5 % above it. The LP's own
plan is a better start: its patterns, most taken first, each kept unless an agent or job is
already taken (PDLP's solutions are approximate, so even two patterns over one half may share a
job). That plan may break the budget or a limit, where the LP's fractions did not: patterns are
dropped, the least worth per unit of the broken row first, until every such row holds; the rest
is filled greedily (``rounding.greedy_fill``: capacity, load limit, spread, budget, limits), and
the plan stands only if it keeps every row, the holds of earlier stages included.
"""
from __future__ import annotations

import numpy as np

from . import lagrange, rounding
from .pattern_master import Row, pattern_bonus
from .pattern_pool import Pool, patterns_of
from .pattern_pricing import AgentArcs
from .problem import CoreProblem


def lp_plan(p: CoreProblem, index: AgentArcs, pool: Pool, rows: list[Row], support: list[int], weights: np.ndarray,
            side_prices: np.ndarray, prefer: np.ndarray) -> list[int] | None:
    """The LP's patterns (``support``, most taken first) as a plan within the rows, filled; pool positions, or None.

    Patterns are dropped and arcs filled by their value less the side rows' prices (``side_prices``,
    per row): so the fill favours what a hold still needs and weighs what the budget costs.
    """
    rc = reduced(p, rows, weights, side_prices)
    taken = lp_start(p, index, pool, rows, support, weights, side_prices)
    start = np.zeros(p.n_arcs, dtype=bool)
    for k in taken:
        start[list(pool.arcs[k])] = True
    if p.fixed is not None:
        start |= p.fixed
    bonus = sum(pattern_bonus(index, list(arcs)) for _, arcs in patterns_of(p.agent, start))
    # A hold as a row the fill knows: its stage's weights at least the held value, less the bonus the start already
    # has (filling only adds arcs, so only adds bonus pairs).
    holds = [lagrange.SideRow(-row.coef, -row.limit + (row.bonus * bonus if row.bonus else 0.0), np.inf)
             for row in rows if row.hold]
    plan = rounding.greedy_fill(p, lagrange.JobIndex.of(p), weights.astype(np.int64),
                                [*lagrange.side_rows(p), *holds], rc, prefer, start)
    if plan is None:
        return None
    positions = pool.positions(p.agent, plan)
    if any(row_lhs(index, pool, row, positions) > row.limit + 1e-6 for row in rows):
        return None
    return positions


def lp_start(p: CoreProblem, index: AgentArcs, pool: Pool, rows: list[Row], support: list[int], weights: np.ndarray,
             side_prices: np.ndarray) -> list[int]:
    """The LP's patterns (``support``, most taken first) that do not overlap, within every row but the holds.

    Where a budget or limit breaks, patterns are dropped, the least worth per unit of the row first
    (worth: value less the side rows' prices); a hold may still be short (``pattern_lns.repair``).
    """
    rc = reduced(p, rows, weights, side_prices)
    taken = _disjoint(p, pool, support)
    for row in rows:
        if row.hold:
            continue  # dropping patterns cannot help it
        while taken and row_lhs(index, pool, row, taken) > row.limit + 1e-6:
            taken.remove(min((k for k in taken if row.coef[list(pool.arcs[k])].sum() > 0),
                             key=lambda k: float(rc[list(pool.arcs[k])].sum())
                             / float(row.coef[list(pool.arcs[k])].sum())))
    return taken


def reduced(p: CoreProblem, rows: list[Row], weights: np.ndarray, side_prices: np.ndarray) -> np.ndarray:
    """Each arc's value less the side rows' prices (``side_prices``, per unit of each row's coefficients)."""
    return weights - sum((y * row.coef for row, y in zip(rows, side_prices.tolist(), strict=True) if y),
                         np.zeros(p.n_arcs))


def row_lhs(index: AgentArcs, pool: Pool, row: Row, positions: list[int]) -> float:
    """The row's left-hand side for a plan given as pool positions, its bonus included."""
    return sum(row.of(pool.arcs[k], pattern_bonus(index, list(pool.arcs[k])) if row.bonus else 0.0)
               for k in positions)


def _disjoint(p: CoreProblem, pool: Pool, patterns: list[int]) -> list[int]:
    """The patterns in order, each unless its agent or one of its jobs is already taken."""
    agents: set[int] = set()
    jobs: set[int] = set()
    taken = []
    for k in patterns:
        mine = set(p.job[list(pool.arcs[k])].tolist())
        if pool.agent[k] in agents or mine & jobs:
            continue
        taken.append(k)
        agents.add(pool.agent[k])
        jobs |= mine
    return taken
