"""Lagrangian bounds for the assignment core, evaluated over every arc with numpy.

For a stage ``max w.x`` with one partnership per job, agent capacities and side rows
``low <= coef.x <= high`` (budget, limits, holds of earlier stages), price each agent's capacity
at ``v >= 0`` and each side row at ``y`` (``y >= 0`` on a ``<=`` row, ``y <= 0`` on a ``>=`` row).
What is left splits by job: each job takes its best arc by reduced cost
``rc = w - use * v[agent] - sum(y * coef)``, or none if that is negative. So

    L(v, y) = sum_jobs max(0, max_arcs rc) + capacity.v + sum(y * (high if y > 0 else low))

bounds every plan, for *any* prices of the right sign: the bound needs no LP to be solved
exactly, and the best of many cheap guesses can be reported. A must-cover job takes its best
arc even if negative, and a job with a fixed arc takes that arc. Over six million arcs one
evaluation takes about a tenth of a second (arcs sorted by job once, then ``maximum.reduceat``).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .core import CoreProblem


@dataclass(frozen=True)
class SideRow:
    """A side row ``low <= coef . x <= high`` (budget, limit or the hold of an earlier stage)."""

    coef: np.ndarray
    low: float
    high: float

    def clip(self, dual: float) -> float:
        """The dual value clipped to the sign that keeps the Lagrangian a bound."""
        if self.high == math.inf:
            return min(dual, 0.0)
        if self.low == -math.inf:
            return max(dual, 0.0)
        return dual


@dataclass(frozen=True)
class Prices:
    """Lagrangian prices: one per agent's capacity, one per side row."""

    agent: np.ndarray
    side: tuple[float, ...]


@dataclass(frozen=True)
class JobIndex:
    """Arcs grouped by job once (a stable sort), so per-job maxima are one ``reduceat`` each."""

    order: np.ndarray | None  # arc positions sorted by job (None: the arcs already are)
    starts: np.ndarray  # where each non-empty job's run starts in ``order``
    jobs: np.ndarray    # the job of each run
    fixed_job: np.ndarray  # per job: the position of its fixed arc, or -1

    @classmethod
    def of(cls, problem: CoreProblem) -> JobIndex:
        """The index of a problem's arcs (no sort when they are already in job order, as built instances are)."""
        job = problem.job
        order = None if (np.diff(job) >= 0).all() else np.argsort(job, kind="stable")
        sorted_jobs = job if order is None else job[order]
        starts = np.r_[0, np.flatnonzero(np.diff(sorted_jobs)) + 1] if len(job) else np.zeros(0, np.int64)
        fixed_job = np.full(len(problem.must_cover), -1, dtype=np.int64)
        if problem.fixed is not None and problem.fixed.any():
            at = np.flatnonzero(problem.fixed)
            fixed_job[job[at]] = at
        return cls(order, starts, sorted_jobs[starts] if len(job) else starts, fixed_job)


def side_rows(problem: CoreProblem) -> list[SideRow]:
    """The budget and the problem's limits as side rows."""
    rows = [SideRow(c, -math.inf, float(limit)) for c, limit in problem.limits]
    if problem.budget_cost is not None and problem.budget_limit is not None:
        rows.insert(0, SideRow(problem.budget_cost, -math.inf, float(problem.budget_limit)))
    return rows


def hold_row(coefficients: np.ndarray, value: int, sense: str) -> SideRow:
    """An earlier stage held at the value it reached: ``>=`` for a maximised stage, ``<=`` for a minimised one."""
    if sense == "max":
        return SideRow(coefficients, float(value), math.inf)
    return SideRow(coefficients, -math.inf, float(value))


def reduced_costs(problem: CoreProblem, weights: np.ndarray, rows: list[SideRow], prices: Prices) -> np.ndarray:
    """Every arc's reduced cost under the prices (maximisation sense)."""
    rc = weights.astype(np.float64) - problem.use * prices.agent[problem.agent]
    for row, y in zip(rows, prices.side, strict=True):
        if y:
            rc -= y * row.coef
    rc[~usable(problem)] = -np.inf
    return rc


def usable(problem: CoreProblem) -> np.ndarray:
    """Arcs that can be in some plan: fixed, or within their agent's capacity on their own."""
    fits = problem.use <= problem.capacity[problem.agent]
    return fits if problem.fixed is None else fits | problem.fixed


def bound(problem: CoreProblem, index: JobIndex, rows: list[SideRow], prices: Prices, rc: np.ndarray,
          capacity_value: float | None = None) -> float:
    """The Lagrangian value ``L`` of the prices (see the module text): a bound on every plan.

    ``capacity_value`` is ``capacity . prices.agent`` when the caller already has it.
    """
    best = np.full(len(problem.must_cover), -np.inf)
    if len(index.starts):
        best[index.jobs] = np.maximum.reduceat(rc if index.order is None else rc[index.order], index.starts)
    if (problem.must_cover & ~np.isfinite(best)).any():
        return math.inf  # a must-cover job without arcs: no plan at all
    take = np.where(problem.must_cover, best, np.maximum(best, 0.0))
    has_fixed = index.fixed_job >= 0
    take[has_fixed] = rc[index.fixed_job[has_fixed]]
    if capacity_value is None:
        capacity_value = float((problem.capacity * prices.agent).sum())
    value = float(take[np.isfinite(take)].sum()) + capacity_value
    for row, y in zip(rows, prices.side, strict=True):
        if y:
            value += y * (row.high if y > 0 else row.low)
    return value


def integral_bound(value: float, weights: np.ndarray) -> int:
    """The largest plan value not above ``value``: plan values are multiples of the weights' gcd."""
    step = int(np.gcd.reduce(np.abs(weights[weights != 0]))) if (weights != 0).any() else 1
    slack = 1e-9 * abs(value) + 1e-6
    return math.floor((value + slack) / step) * step


def top_per_job(job: np.ndarray, rc: np.ndarray, prefer: np.ndarray, k: int,
                eligible: np.ndarray | None = None) -> np.ndarray:
    """A mask of each job's ``k`` best eligible arcs by reduced cost (near-ties broken by ``prefer``).

    One sort of a composite float key (job, then a key scaled into [0, 0.5]) instead of a
    lexsort: about 0.6 s over six million arcs. Arcs with an infinite reduced cost are never picked.
    """
    ok = np.isfinite(rc) if eligible is None else np.isfinite(rc) & eligible
    idx = np.flatnonzero(ok)
    mask = np.zeros(len(rc), dtype=bool)
    if not len(idx):
        return mask
    key = rc[idx] / (float(np.abs(rc[idx]).max()) or 1.0)
    key = key + 1e-7 * prefer[idx] / (float(np.abs(prefer[idx]).max()) or 1.0)
    key = (key - key.min()) / (float(key.max() - key.min()) or 1.0)
    order = np.argsort(job[idx] - 0.5 * key, kind="stable")
    run = job[idx][order]
    first = np.r_[0, np.flatnonzero(np.diff(run)) + 1]
    rank = np.arange(len(idx)) - np.repeat(first, np.diff(np.r_[first, len(idx)]))
    mask[idx[order[rank < k]]] = True
    return mask


def improve_side_prices(problem: CoreProblem, index: JobIndex, weights: np.ndarray, rows: list[SideRow],
                        prices: Prices, evaluations: int = 24) -> tuple[float, Prices]:
    """Lower the Lagrangian by a golden-section search on each side row's price in turn.

    ``L`` is convex in each price, so each search converges; the agent prices are kept. Returns
    the best value found and its prices (at worst the starting ones).
    """
    side = list(prices.side)
    base = reduced_costs(problem, weights, rows, Prices(prices.agent, (0.0,) * len(rows)))
    capacity_value = float((problem.capacity * prices.agent).sum())

    def value(trial: list[float]) -> float:
        rc = base.copy()
        for row, y in zip(rows, trial, strict=True):
            if y:
                rc -= y * row.coef
        return bound(problem, index, rows, Prices(prices.agent, tuple(trial)), rc, capacity_value)

    best = value(side)
    top = float(np.abs(base[np.isfinite(base)]).max(initial=0))
    for k, row in enumerate(rows):
        nonzero = np.abs(row.coef[row.coef != 0])
        if not len(nonzero) or (row.low > -math.inf and row.high < math.inf):
            continue
        sign = 1.0 if row.low == -math.inf else -1.0  # price >= 0 on a <= row, <= 0 on a >= row
        t, f = _golden(lambda t, k=k, sign=sign: value([*side[:k], sign * t, *side[k + 1:]]),
                       0.0, 2.0 * top / float(nonzero.min()) + abs(side[k]), evaluations)
        if f < best:
            best, side[k] = f, sign * t
    return best, Prices(prices.agent, tuple(side))


def _golden(f, low: float, high: float, evaluations: int) -> tuple[float, float]:
    """The minimum of a convex function on [low, high] by golden-section search: (argument, value)."""
    ratio = (math.sqrt(5) - 1) / 2
    a, b = high - ratio * (high - low), low + ratio * (high - low)
    fa, fb = f(a), f(b)
    for _ in range(evaluations):
        if fa <= fb:
            high, b, fb = b, a, fa
            a = high - ratio * (high - low)
            fa = f(a)
        else:
            low, a, fa = a, b, fb
            b = low + ratio * (high - low)
            fb = f(b)
    return (a, fa) if fa <= fb else (b, fb)
