"""The LP relaxation of one stage by column generation: GLOP on a few arcs, numpy pricing over all.

The restricted LP holds a row per job, agent and side row, and a column for each arc added so
far. After each solve every arc is priced against its duals (``lagrange.reduced_costs``), the
Lagrangian bound of those duals is recorded, and each job's best attractive arcs are added.
Pricing stops when no arc is attractive (the LP is solved), when the restricted LP is within
``tolerance`` of the best bound (the bound is all the rest of the solve needs), after
``MAX_ROUNDS`` rounds, or once the restricted LP holds ``MAX_COLUMNS`` columns (GLOP's re-solves
grow to seconds beyond that). Every limit counts work, never the clock, so the LP, and the
plan built from it, is the same on every run. The reported bound is the best Lagrangian value
seen, valid whenever it stops.

GLOP's convention (checked on a hand example): for a maximisation, ``dual_value`` is >= 0 on a
``<=`` row and <= 0 on a ``>=`` row. If the first restricted LP is infeasible (must-cover jobs or
holds its arcs cannot meet), a phase 1 with artificial columns prices in arcs until it is not.
"""
from __future__ import annotations

import logging
import math
from dataclasses import dataclass

import numpy as np
from ortools.linear_solver import pywraplp

from . import lagrange
from .core import CoreProblem
from .lagrange import JobIndex, Prices, SideRow

LOG = logging.getLogger(__name__)

ADD_PER_JOB = 3        # most arcs priced in per job and round
ADD_PER_ROUND = 30_000  # most arcs priced in per round
MAX_ROUNDS = 25
MAX_COLUMNS = 25_000   # no more pricing once the restricted LP is this big


@dataclass(frozen=True)
class StageLp:
    """The stage's LP as far as it was solved: best bound, its prices, and the restricted LP."""

    feasible: bool
    bound: float           # best Lagrangian value seen (maximisation sense); valid for every plan
    value: float           # the restricted LP's optimum (a lower bound on the LP, not on plans)
    prices: Prices         # the prices of the best bound
    rc: np.ndarray         # every arc's reduced cost under those prices
    columns: np.ndarray    # arcs in the restricted LP
    x: np.ndarray          # their LP values

    def whole(self) -> np.ndarray:
        """Arcs the LP takes whole."""
        return self.columns[self.x > 1 - 1e-6]

    def support(self) -> np.ndarray:
        """Arcs the LP uses at all."""
        return self.columns[self.x > 1e-6]


def solve_stage_lp(problem: CoreProblem, index: JobIndex, weights: np.ndarray, rows: list[SideRow],
                   start: np.ndarray, tolerance: float) -> StageLp:
    """Column generation from the ``start`` arcs (see the module text); infeasible if no LP plan exists."""
    fixed = problem.fixed if problem.fixed is not None else np.zeros(problem.n_arcs, dtype=bool)
    master = _Master(problem, rows, weights, fixed)
    master.add(np.flatnonzero(start | fixed))
    if not master.solve():
        master.set_phase_one()
        master.solve()
        if not _phase_one(master, index):
            return StageLp(False, math.nan, math.nan, master.prices(), np.zeros(0), np.zeros(0, np.int64),
                           np.zeros(0))
        master.set_phase_two()
        master.solve()
    best: tuple[float, Prices, np.ndarray] | None = None
    for _ in range(MAX_ROUNDS):
        prices = master.prices()
        rc = lagrange.reduced_costs(problem, weights, rows, prices)
        value = lagrange.bound(problem, index, rows, prices, rc)
        if best is None or value < best[0]:
            best = (value, prices, rc)
        LOG.debug("restricted LP %.1f on %d columns, L %.1f (best %.1f)", master.value(), len(master.arcs),
                  value, best[0])
        if best[0] - master.value() <= tolerance or len(master.arcs) >= MAX_COLUMNS:
            break
        if not master.add_attractive(rc):
            break
        master.solve()
    if best is None:  # unreachable: MAX_ROUNDS > 0, so the loop priced at least once
        raise RuntimeError("column generation never priced")
    return StageLp(True, best[0], master.value(), best[1], best[2], master.columns(), master.values())


def _phase_one(master: _Master, index: JobIndex) -> bool:
    """Price in arcs that reduce the artificial columns; False if the full LP cannot meet every row."""
    zero = np.zeros(master.problem.n_arcs, dtype=np.int64)
    for _ in range(MAX_ROUNDS):
        if master.artificial_sum() <= 1e-7:
            return True
        rc = lagrange.reduced_costs(master.problem, zero, master.rows, master.prices())
        if not master.add_attractive(rc):
            return False
        master.solve()
    return master.artificial_sum() <= 1e-7


class _Master:
    """The restricted LP in GLOP (solved incrementally as columns are added)."""

    def __init__(self, problem: CoreProblem, rows: list[SideRow], weights: np.ndarray, fixed: np.ndarray):
        self.problem, self.rows, self.weights, self.fixed = problem, rows, weights, fixed
        self.phase_one = False
        self.solver = pywraplp.Solver.CreateSolver("GLOP")
        inf = self.solver.infinity()
        self.job_rows = [self.solver.Constraint(1.0 if m else -inf, 1.0) for m in problem.must_cover]
        self.agent_rows = [self.solver.Constraint(-inf, float(c)) for c in problem.capacity]
        self.side_rows = [self.solver.Constraint(max(-inf, r.low), min(inf, r.high)) for r in rows]
        self.in_master = np.zeros(problem.n_arcs, dtype=bool)
        self.arcs: list[int] = []
        self.vars: list = []
        self.objective = self.solver.Objective()
        self.objective.SetMaximization()
        # Artificial columns relax every row that an empty plan may break (phase 1 only).
        self.artificial: list = []
        for j in np.flatnonzero(problem.must_cover):
            self._artificial(self.job_rows[j], 1.0)
        for row, r in zip(self.side_rows, rows, strict=True):
            if r.low > 0 or r.high < 0:
                self._artificial(row, 1.0 if r.low > 0 else -1.0)

    def _artificial(self, row, coef: float) -> None:
        var = self.solver.NumVar(0.0, 0.0, "")
        row.SetCoefficient(var, coef)
        self.artificial.append(var)

    def add(self, arcs: np.ndarray) -> None:
        """Add the arcs not yet in the restricted LP as columns."""
        arcs = arcs[~self.in_master[arcs]]
        self.in_master[arcs] = True
        p = self.problem
        sides = [(row, r.coef[arcs].tolist()) for row, r in zip(self.side_rows, self.rows, strict=True)]
        for k, (j, a, u, w, f) in enumerate(zip(p.job[arcs].tolist(), p.agent[arcs].tolist(), p.use[arcs].tolist(),
                                                self.weights[arcs].tolist(), self.fixed[arcs].tolist(), strict=True)):
            var = self.solver.NumVar(1.0 if f else 0.0, 1.0, "")
            self.job_rows[j].SetCoefficient(var, 1.0)
            self.agent_rows[a].SetCoefficient(var, float(u))
            for row, coef in sides:
                if coef[k]:
                    row.SetCoefficient(var, float(coef[k]))
            if w and not self.phase_one:
                self.objective.SetCoefficient(var, float(w))
            self.vars.append(var)
        self.arcs.extend(arcs.tolist())

    def add_attractive(self, rc: np.ndarray) -> bool:
        """Add each job's best arcs that would improve the restricted LP; False if there are none.

        An arc is attractive when its reduced cost beats its job row's dual (what the job's
        current columns earn), as in textbook column generation.
        """
        tolerance = 1e-7 * max(1.0, float(np.abs(self.weights).max(initial=0)))
        job_dual = np.array([r.dual_value() for r in self.job_rows])
        job_dual = np.where(self.problem.must_cover, job_dual, np.maximum(job_dual, 0.0))
        attractive = (rc - job_dual[self.problem.job] > tolerance) & ~self.in_master
        if not attractive.any():
            return False
        picked = np.flatnonzero(lagrange.top_per_job(self.problem.job, rc, self.weights, ADD_PER_JOB, attractive))
        if len(picked) > ADD_PER_ROUND:
            picked = picked[np.argpartition(-rc[picked], ADD_PER_ROUND)[:ADD_PER_ROUND]]
        self.add(picked)
        return True

    def solve(self) -> bool:
        return self.solver.Solve() == pywraplp.Solver.OPTIMAL

    def value(self) -> float:
        return self.objective.Value()

    def set_phase_one(self) -> None:
        self.phase_one = True
        for var in self.vars:
            self.objective.SetCoefficient(var, 0.0)
        for var in self.artificial:
            var.SetUb(self.solver.infinity())
            self.objective.SetCoefficient(var, -1.0)

    def set_phase_two(self) -> None:
        self.phase_one = False
        for var in self.artificial:
            var.SetUb(0.0)
            self.objective.SetCoefficient(var, 0.0)
        for var, w in zip(self.vars, self.weights[self.arcs].tolist(), strict=True):
            self.objective.SetCoefficient(var, float(w))

    def artificial_sum(self) -> float:
        return sum(var.solution_value() for var in self.artificial)

    def columns(self) -> np.ndarray:
        return np.asarray(self.arcs, dtype=np.int64)

    def values(self) -> np.ndarray:
        return np.array([v.solution_value() for v in self.vars])

    def prices(self) -> Prices:
        """The duals of the agent and side rows, clipped to the signs that keep the Lagrangian a bound."""
        agent = np.maximum(np.array([r.dual_value() for r in self.agent_rows]), 0.0)
        side = tuple(r.clip(row.dual_value()) for row, r in zip(self.side_rows, self.rows, strict=True))
        return Prices(agent, side)
