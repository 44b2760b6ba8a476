"""A tighter Lagrangian bound: projected subgradient steps on every price at once, over a working set of arcs.

``lagrange.bound`` is a valid bound for any prices; this searches for low ones. The agents'
capacity prices and the side rows' prices (budget, holds of earlier stages) move together, by
Polyak steps towards ``target`` (a plan's value, which no bound can go below). Side rows are
scaled by their typical coefficient so that a budget in pounds and a coverage hold in points
move at comparable speeds.

Each step needs only each job's best arc, so the steps run on a working set: each job's best
arcs by reduced cost. Every ``REFRESH`` steps the reduced cost of *every* arc is computed once:
that gives the exact Lagrangian value of the current prices (the only value ever reported), and
arcs that now beat their job's best in the working set join it (column generation for the
dual). If a round of steps did not lower the exact value, the step halves and the search goes
back to the best prices. Every limit counts steps, never the clock, so the result is the same
on every machine.

Measured on 20,000 synthetic providers (score stage, 6 M arcs): the price searches before it
ended at a bound 30 % above the plan; this reaches 5.4 % (the converged LP is 5 % above it).
"""
from __future__ import annotations

import logging
import math

import numpy as np

from .core import CoreProblem
from .lagrange import JobIndex, Prices, SideRow, bound, reduced_costs, top_per_job

STEPS = 800         # subgradient steps in all
REFRESH = 50        # steps between exact evaluations over every arc
PER_JOB = 30        # arcs per job in the first working set
ADD_PER_JOB = 10    # most arcs a job gains at a refresh
HALVINGS = 8        # stop once the step has halved this often without progress
THETA = 0.25        # the first Polyak step factor (measured: 1.0 overshoots for the first few hundred steps)
LOG = logging.getLogger(__name__)


def descend(problem: CoreProblem, index: JobIndex, weights: np.ndarray, rows: list[SideRow], prices: Prices,
            target: float) -> tuple[float, Prices]:
    """The lowest exact Lagrangian value found from ``prices`` and its prices (at worst the starting ones).

    Stops when the value reaches ``target`` (the plan is proven), after ``STEPS`` steps, or once the
    step has halved ``HALVINGS`` times without progress.
    """
    p = problem
    rc = reduced_costs(p, weights, rows, prices)
    best_value, best = bound(p, index, rows, prices, rc), prices
    fixed = p.fixed if p.fixed is not None else np.zeros(p.n_arcs, dtype=bool)
    work = _Working(p, weights, rows, top_per_job(p.job, rc, np.zeros(p.n_arcs), PER_JOB) | fixed)
    scale = np.array([_scale(r.coef) for r in rows])
    agent, side = prices.agent.astype(np.float64).copy(), np.array(prices.side, dtype=np.float64)
    theta, halvings = THETA, 0
    for step in range(1, STEPS + 1):
        value, load, lhs = work.evaluate(agent, side)
        limits = _limits(rows, side)
        g_agent = p.capacity - load
        g_side = (limits - lhs) * scale
        norm = float((g_agent * g_agent).sum() + (g_side * g_side).sum())
        if norm > 0 and value > target:
            length = theta * (value - target) / norm
            agent = np.maximum(0.0, agent - length * g_agent)
            side = np.array([r.clip(float(y)) for r, y in zip(rows, side - length * g_side * scale, strict=True)])
        if step % REFRESH and norm > 0 and value > target:
            continue
        trial = Prices(agent, tuple(side.tolist()))
        rc = reduced_costs(p, weights, rows, trial)
        exact = bound(p, index, rows, trial, rc)
        if exact < best_value - 1e-9 * max(1.0, abs(best_value)):
            best_value, best = exact, trial
            if best_value <= target:
                break
        else:
            halvings += 1
            if halvings > HALVINGS:
                break
            theta /= 2
            agent, side = best.agent.astype(np.float64).copy(), np.array(best.side, dtype=np.float64)
            rc = reduced_costs(p, weights, rows, best)
        work.add_violators(rc)
        LOG.debug("step %d: L %.1f (best %.1f), %d arcs in the working set", step, exact, best_value, len(work.idx))
    return best_value, best


class _Working:
    """The working set of arcs, sorted by job, and the Lagrangian on it."""

    def __init__(self, problem: CoreProblem, weights: np.ndarray, rows: list[SideRow], mask: np.ndarray):
        self.p, self.weights, self.rows = problem, weights, rows
        self.mask = mask.copy()
        self._build()

    def _build(self) -> None:
        p = self.p
        idx = np.flatnonzero(self.mask)
        self.idx = idx[np.argsort(p.job[idx], kind="stable")]
        job = p.job[self.idx]
        self.starts = np.r_[0, np.flatnonzero(np.diff(job)) + 1] if len(job) else np.zeros(0, np.int64)
        self.jobs = job[self.starts] if len(job) else self.starts
        self.run = np.repeat(np.arange(len(self.starts)), np.diff(np.r_[self.starts, len(self.idx)]))
        self.agent, self.use = p.agent[self.idx], p.use[self.idx].astype(np.float64)
        self.w = self.weights[self.idx].astype(np.float64)
        self.coef = (np.stack([r.coef[self.idx].astype(np.float64) for r in self.rows]) if self.rows
                     else np.zeros((0, len(self.idx))))
        fixed = p.fixed[self.idx] if p.fixed is not None else np.zeros(len(self.idx), dtype=bool)
        self.fixed_run = np.full(len(self.starts), -1, dtype=np.int64)
        self.fixed_run[self.run[fixed]] = np.flatnonzero(fixed)
        self.must = p.must_cover[self.jobs]
        self.top = np.full(len(p.must_cover), -np.inf)

    def evaluate(self, agent: np.ndarray, side: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
        """The Lagrangian on the working set, each agent's load and each side row's total at its choices."""
        rc = self.w - self.use * agent[self.agent]
        if len(side):
            rc = rc - side @ self.coef
        top = np.maximum.reduceat(rc, self.starts)
        self.top[:] = -np.inf
        self.top[self.jobs] = top
        at = np.flatnonzero(rc >= top[self.run])
        first = at[np.r_[True, self.run[at][1:] != self.run[at][:-1]]]  # each run's first best arc
        pick = np.where(self.fixed_run >= 0, self.fixed_run, first)
        take = np.where(self.fixed_run >= 0, rc[pick], np.where(self.must, top, np.maximum(top, 0.0)))
        chosen = pick[(self.fixed_run >= 0) | self.must | (top > 0)]
        value = float(take.sum() + (self.p.capacity * agent).sum() + (side * _limits(self.rows, side)).sum())
        load = np.bincount(self.agent[chosen], weights=self.use[chosen], minlength=len(agent))
        lhs = self.coef[:, chosen].sum(axis=1) if len(side) else np.zeros(0)
        return value, load, lhs

    def add_violators(self, rc: np.ndarray) -> None:
        """Add each job's best arcs (a few) that beat its best in the working set at these prices."""
        top = self.top[self.p.job]
        beats = ~self.mask & np.isfinite(rc) & (rc > np.where(self.p.must_cover[self.p.job], top, np.maximum(top, 0.0)))
        if beats.any():
            self.mask |= top_per_job(self.p.job, rc, np.zeros(len(rc)), ADD_PER_JOB, beats)
            self._build()


def _scale(coef: np.ndarray) -> float:
    """One over the row's typical coefficient (its median non-zero size)."""
    nonzero = np.abs(coef[coef != 0])
    return 1.0 / float(np.median(nonzero)) if len(nonzero) else 1.0


def _limits(rows: list[SideRow], side: np.ndarray) -> np.ndarray:
    """The limit each side row's price multiplies in the Lagrangian.

    That is its upper limit when priced up (or when it has no lower one), else its lower one.
    Always finite, so an unpriced row adds nothing.
    """
    return np.array([r.high if y > 0 or r.low == -math.inf else r.low for r, y in zip(rows, side, strict=True)])
