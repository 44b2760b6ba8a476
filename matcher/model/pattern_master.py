"""The restricted master LP of the pattern formulation: one column per pattern of one agent.

Rows: one per job (at most one partnership; exactly one where it must be covered), one per agent
(at most one pattern; exactly one for an agent with a locked arc, whose patterns all hold it),
and one per side row (budget, limits, holds of earlier stages). Rows a first set of columns may
not meet yet (must-cover jobs, locked agents, side rows) are elastic at a large price, so the LP
always has a solution and its duals always price new patterns.

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
                 method: str = "GLOP"):
        self.p, self.index, self.rows, self.weights, self.bonus_sign = p, index, rows, weights, bonus_sign
        self.method = method
        self.patterns: list[tuple[int, tuple[int, ...]]] = []  # (agent, arcs) of each column, in order
        self._build()

    def _build(self) -> None:
        """The rows, the elastic columns and a column per pattern so far, in a new solver of ``self.method``."""
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
        for j in np.flatnonzero(p.must_cover).tolist():  # elastic: a must-cover job no pattern covers yet
            v = s.NumVar(0, inf, "")  # the row keeps it at most 1 (see ``add``)
            self.job_rows[j].SetCoefficient(v, 1.0)
            objective.SetCoefficient(v, -big)
        for a in index.fixed:
            v = s.NumVar(0, inf, "")
            self.agent_rows[a].SetCoefficient(v, 1.0)
            objective.SetCoefficient(v, -big)
        for row in self.side_rows:
            v = s.NumVar(0, inf, "")
            row.SetCoefficient(v, -1.0)
            objective.SetCoefficient(v, -big)
        self.columns: list[pywraplp.Variable] = []
        for agent, arcs in self.patterns:
            self._column(agent, arcs)

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
        solves it exactly, and stays GLOP.
        """
        if self.solver.Solve() == pywraplp.Solver.OPTIMAL:
            return True
        if self.method != "PDLP":
            return False
        LOG.info("PDLP found no optimum of the master over %d patterns; GLOP solves it", len(self.patterns))
        self.method = "GLOP"
        self._build()
        return self.solver.Solve() == pywraplp.Solver.OPTIMAL

    def value_of_solution(self) -> float:
        """The LP's objective at its solution."""
        return float(self.solver.Objective().Value())

    def duals(self) -> tuple[np.ndarray, np.ndarray]:
        """Job prices and side-row prices (per unit of the row's own coefficients), clipped to a bound's signs."""
        job = np.array([c.dual_value() for c in self.job_rows])
        job = np.where(self.p.must_cover, job, np.maximum(job, 0.0))
        side = np.array([max(0.0, c.dual_value()) / k for c, k in zip(self.side_rows, self.scale, strict=True)])
        return job, side


def pattern_bonus(index: AgentArcs, arcs: list[int]) -> float:
    """The bonus a pattern earns: each pair of its arcs that is a bonus pair."""
    return float(sum(index.bonus.get((min(a, b), max(a, b)), 0) for i, a in enumerate(arcs) for b in arcs[i + 1:]))
