"""The restricted master LP of the pattern formulation: one column per pattern of one agent.

Rows: one per job (at most one partnership; exactly one where it must be covered), one per agent
(at most one pattern; exactly one for an agent with a locked arc, whose patterns all hold it),
and one per side row (budget, limits, holds of earlier stages). Rows a first set of columns may
not meet yet (must-cover jobs, locked agents, side rows) are elastic at a large price, so the LP
always has a solution and its duals always price new patterns. A PDLP master whose columns already
hold a plan that meets every row (``meets``: from the second stage on, the previous stage's plan
does) is built without them: their price is ten times the largest weight times the jobs, and
PDLP's stopping rule is relative to the size of the objective. Without them, a score master at
10,000 providers took PDLP 6,016 iterations (2.7 s) where it had taken 16,448 (8.3 s), and its
value stood as close to GLOP's (within 4e-4).

A master is solved by GLOP (simplex, exact) or, for a large pool, by PDLP (a first-order method):
at 20,000 providers GLOP re-solved the coverage master in 5 to 12 s a round past 40,000 patterns,
from nothing each time (it does not warm-start after columns are added) and slowed by the LP's
degeneracy; PDLP took 0.8 to 1.6 s, and its approximate duals gave a better bound in as many rounds.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
from ortools.linear_solver import pywraplp

from .pattern_pricing import AgentArcs
from .problem import CoreProblem

LOG = logging.getLogger(__name__)

#: PDLP's stopping rule for a large master: within PDLP_EPS (relative) of optimal, at most 100,000 iterations (work,
#: not time). Its duals are those of an approximate optimum, which every bound allows: any prices give a bound.
PDLP_EPS = 1e-4
PDLP_PARAMETERS = ("termination_criteria { simple_optimality_criteria { "
                   f"eps_optimal_relative: {PDLP_EPS} eps_optimal_absolute: {PDLP_EPS} }} iteration_limit: 100000 }}")


@dataclass(frozen=True)
class Row:
    """A side row ``coef . x <= limit`` over arcs, plus ``bonus`` times a pattern's bonus (a held bonus stage).

    ``hold``: the row holds an earlier stage (a ``>=`` row written as ``<=``), not the budget or a limit.
    """

    coef: np.ndarray
    limit: float
    bonus: float = 0.0
    hold: bool = False

    def of(self, arcs: tuple[int, ...] | list[int], bonus: float) -> float:
        """The row's coefficient for one pattern: its arcs' coefficients, and the pattern's ``bonus`` times its own."""
        return float(self.coef[list(arcs)].sum()) + self.bonus * bonus


class MasterLp:
    """The restricted master: one column per pattern, rows per job, agent and side row, elastic where it must be."""

    def __init__(self, p: CoreProblem, index: AgentArcs, rows: list[Row], weights: np.ndarray, bonus_sign: float,
                 method: str = "GLOP", elastic: bool = True):
        self.p, self.index, self.rows, self.weights, self.bonus_sign = p, index, rows, weights, bonus_sign
        self.method, self.elastic = method, elastic
        self.patterns: list[tuple[int, tuple[int, ...]]] = []  # (agent, arcs) of each column, in order
        self._build()

    def _build(self) -> None:
        """The rows, the elastic columns (if ``self.elastic``) and a column per pattern so far, in a new solver."""
        p, index, rows = self.p, self.index, self.rows
        self.solver = pywraplp.Solver.CreateSolver(self.method)
        s, inf = self.solver, self.solver.infinity()
        if self.method == "PDLP":
            s.SetSolverSpecificParametersAsString(PDLP_PARAMETERS)
        jobs, agents = len(p.must_cover), len(p.capacity)
        big = 1.0 + float(np.abs(self.weights).max(initial=0.0)) * 10.0 * max(1, jobs)
        self.scale = [max(1.0, float(np.abs(r.coef).max(initial=0.0)), abs(r.bonus)) for r in rows]
        self.job_rows = [s.Constraint(1.0 if p.must_cover[j] else -inf, 1.0) for j in range(jobs)]
        self.agent_rows = [s.Constraint(1.0 if a in index.fixed else -inf, 1.0) for a in range(agents)]
        self.side_rows = [s.Constraint(-inf, r.limit / k) for r, k in zip(rows, self.scale, strict=True)]
        objective = s.Objective()
        objective.SetMaximization()
        self.objective = objective
        if self.elastic:
            self._elastic(big)
        self.columns: list[pywraplp.Variable] = []
        for agent, arcs in self.patterns:
            self._column(agent, arcs)

    def _elastic(self, big: float) -> None:
        """A column at price ``-big`` for every row the columns may not meet yet."""
        s, inf, objective = self.solver, self.solver.infinity(), self.objective
        for j in np.flatnonzero(self.p.must_cover).tolist():  # elastic: a must-cover job no pattern covers yet
            v = s.NumVar(0, inf, "")  # the row keeps it at most 1 (see ``add``)
            self.job_rows[j].SetCoefficient(v, 1.0)
            objective.SetCoefficient(v, -big)
        for a in self.index.fixed:
            v = s.NumVar(0, inf, "")
            self.agent_rows[a].SetCoefficient(v, 1.0)
            objective.SetCoefficient(v, -big)
        for row in self.side_rows:
            v = s.NumVar(0, inf, "")
            row.SetCoefficient(v, -1.0)
            objective.SetCoefficient(v, -big)

    def add(self, agent: int, arcs: tuple[int, ...]) -> None:
        """A column for the agent's pattern.

        Its only bound is 0: its agent's row keeps it at most 1. An upper bound of 1 on the column
        would be redundant for the LP, but at an optimum GLOP may hold a column at that bound with
        a positive reduced value, whose price then sits on the bound instead of the agent's row;
        pricing reads only the rows, and would find that column worth adding again and again.
        """
        self.patterns.append((agent, arcs))
        self._column(agent, arcs)

    def _column(self, agent: int, arcs: tuple[int, ...]) -> None:
        v = self.solver.NumVar(0, self.solver.infinity(), "")
        a = list(arcs)
        self.objective.SetCoefficient(v, self.value(a))
        for j in self.p.job[a].tolist():
            self.job_rows[j].SetCoefficient(v, 1.0)
        self.agent_rows[agent].SetCoefficient(v, 1.0)
        bonus = pattern_bonus(self.index, a)
        for row, con, k in zip(self.rows, self.side_rows, self.scale, strict=True):
            c = row.of(a, bonus)
            if c:
                con.SetCoefficient(v, c / k)
        self.columns.append(v)

    def value(self, arcs: list[int]) -> float:
        """A pattern's value in this stage, its bonus included."""
        return float(self.weights[arcs].sum()) + self.bonus_sign * pattern_bonus(self.index, arcs)

    def solve(self) -> bool:
        """Solve the LP; whether it has an optimum.

        If PDLP stops on its iteration limit without one, the master is built again for GLOP, which
        solves it exactly, and stays GLOP. A master without elastic columns that GLOP finds no optimum of
        gets them (unreachable while ``meets`` holds; a safety net).
        """
        if self.solver.Solve() == pywraplp.Solver.OPTIMAL:
            return True
        if self.method == "PDLP":
            LOG.info("PDLP found no optimum of the master over %d patterns; GLOP solves it", len(self.patterns))
            self.method = "GLOP"
        elif not self.elastic:
            LOG.info("the master over %d patterns has no optimum without elastic columns", len(self.patterns))
            self.elastic = True
        else:
            return False
        self._build()
        return self.solve()

    def value_of_solution(self) -> float:
        """The LP's objective at its solution."""
        return float(self.solver.Objective().Value())

    def duals(self) -> tuple[np.ndarray, np.ndarray]:
        """Job prices and side-row prices (per unit of the row's own coefficients), clipped to a bound's signs."""
        job = np.array([c.dual_value() for c in self.job_rows])
        job = np.where(self.p.must_cover, job, np.maximum(job, 0.0))
        side = np.array([max(0.0, c.dual_value()) / k for c, k in zip(self.side_rows, self.scale, strict=True)])
        return job, side


def meets(p: CoreProblem, index: AgentArcs, rows: list[Row], patterns: list[tuple[int, tuple[int, ...]]]) -> bool:
    """Whether the patterns ``(agent, arcs)`` are a plan meeting every row of the master without elastic columns.

    At most one pattern per agent and one per job, every must-cover job covered, every agent with a
    locked arc given a pattern, every side row within its limit.
    """
    agents = [a for a, _ in patterns]
    jobs = [j for _, arcs in patterns for j in p.job[list(arcs)].tolist()]
    if len(set(agents)) < len(agents) or len(set(jobs)) < len(jobs):
        return False
    if not set(np.flatnonzero(p.must_cover).tolist()) <= set(jobs) or not set(index.fixed) <= set(agents):
        return False
    for row in rows:
        used = sum(row.of(arcs, pattern_bonus(index, list(arcs))) for _, arcs in patterns)
        if used > row.limit + 1e-6 * max(1.0, abs(row.limit)):
            return False
    return True


def pattern_bonus(index: AgentArcs, arcs: list[int]) -> float:
    """The bonus a pattern earns: each pair of its arcs that is a bonus pair."""
    return float(sum(index.bonus.get((min(a, b), max(a, b)), 0) for i, a in enumerate(arcs) for b in arcs[i + 1:]))
