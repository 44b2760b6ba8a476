"""LP relaxation of the assignment core and reduced-cost fixing, for instances too big to prove directly.

For a stage ``max w.x``, the LP relaxation (GLOP) gives an upper bound ``z_lp`` and a reduced
cost ``rc_a`` for every arc. For any feasible plan ``x``, ``w.x <= z_lp + sum(rc_a * x_a)``
over arcs at their lower bound (whose ``rc_a <= 0``), so an arc with
``rc_a < -(z_lp - z_inc)`` cannot be in any plan better than an incumbent of value
``z_inc``. Dropping those arcs leaves a small core on which CP-SAT proves optimality, and that
proof holds for the full instance.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.linear_solver import pywraplp

from .constraints import groups


@dataclass(frozen=True)
class LpResult:
    """LP optimum (in the maximisation sense), the arc values and reduced costs (maximisation sign)."""

    value: float
    x: np.ndarray
    reduced_cost: np.ndarray
    optimal: bool


def solve_lp(problem, weights: np.ndarray, holds: list[tuple[np.ndarray, int, str]]) -> LpResult:
    """Maximise ``weights . x`` over the LP relaxation of ``problem`` plus the stage holds.

    ``holds`` are (coefficients, value, sense) rows from earlier stages: ``>= value`` for a
    maximised stage, ``<= value`` for a minimised one.
    """
    solver = pywraplp.Solver.CreateSolver("GLOP")
    n = problem.n_arcs
    fixed = problem.fixed if problem.fixed is not None else np.zeros(n, dtype=bool)
    x = [solver.NumVar(1.0 if fixed[i] else 0.0, 1.0, "") for i in range(n)]
    inf = solver.infinity()
    by_job = groups(problem.job)
    for j in range(len(problem.must_cover)):
        row = solver.Constraint(1.0 if problem.must_cover[j] else -inf, 1.0)
        for i in by_job.get(j, ()):
            row.SetCoefficient(x[int(i)], 1.0)
    for a, idx in groups(problem.agent).items():
        row = solver.Constraint(-inf, float(problem.capacity[a]))
        for i in idx:
            row.SetCoefficient(x[int(i)], float(problem.use[i]))
    rows = []
    if problem.budget_cost is not None and problem.budget_limit is not None:
        rows.append((problem.budget_cost, -inf, float(problem.budget_limit)))
    for coefficients, limit in problem.limits:
        rows.append((coefficients, -inf, float(limit)))
    for coefficients, value, sense in holds:
        rows.append((coefficients, float(value), inf) if sense == "max" else (coefficients, -inf, float(value)))
    for coefficients, low, high in rows:
        row = solver.Constraint(low, high)
        for i in np.flatnonzero(coefficients):
            row.SetCoefficient(x[int(i)], float(coefficients[i]))
    objective = solver.Objective()
    for i in np.flatnonzero(weights):
        objective.SetCoefficient(x[int(i)], float(weights[i]))
    objective.SetMaximization()
    status = solver.Solve()
    if status != pywraplp.Solver.OPTIMAL:
        return LpResult(float("inf"), np.zeros(n), np.zeros(n), optimal=False)
    values = np.array([v.solution_value() for v in x])
    reduced = np.array([v.reduced_cost() for v in x])
    return LpResult(objective.Value(), values, reduced, optimal=True)


def safe_arcs(lp: LpResult, incumbent_value: float, must_keep: np.ndarray) -> np.ndarray:
    """Arcs that may appear in a plan at least as good as the incumbent (all others are provably out)."""
    slack = lp.value - incumbent_value
    tolerance = 1e-6 * max(1.0, abs(lp.value))
    return (lp.reduced_cost >= -(slack + tolerance)) | (lp.x > 1e-9) | must_keep
