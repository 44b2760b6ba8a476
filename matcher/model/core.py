"""The generic assignment core: a generalised assignment problem with a lexicographic objective.

Both the Buddying plan and the OR-Library GAP benchmarks are solved through ``solve_core``:
arcs (agent, job, resource use), agent capacities, jobs that must or may be covered, an
optional budget, fixed arcs and a list of objective stages solved in order. Each stage is
solved to proven optimality where time allows, then held at its value while the next stage
optimises, with the previous solution as a hint. This module is the only place a CP-SAT
solver is run.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from ortools.sat.python import cp_model

from . import constraints

STATUS = {cp_model.OPTIMAL: "OPTIMAL", cp_model.FEASIBLE: "FEASIBLE", cp_model.INFEASIBLE: "INFEASIBLE",
          cp_model.MODEL_INVALID: "MODEL_INVALID", cp_model.UNKNOWN: "UNKNOWN"}


@dataclass(frozen=True)
class Stage:
    """One level of the lexicographic objective: integer coefficients per arc and a direction."""

    name: str
    coefficients: np.ndarray
    sense: str  # "max" or "min"


@dataclass(frozen=True)
class CoreProblem:
    """A generalised assignment problem in arrays (one entry per arc, agent or job)."""

    agent: np.ndarray
    job: np.ndarray
    use: np.ndarray
    capacity: np.ndarray
    must_cover: np.ndarray
    stages: tuple[Stage, ...]
    budget_cost: np.ndarray | None = None
    budget_limit: int | None = None
    fixed: np.ndarray | None = None
    limits: tuple[tuple[np.ndarray, int], ...] = ()

    @property
    def n_arcs(self) -> int:
        return len(self.agent)


@dataclass(frozen=True)
class StageResult:
    """How one stage ended: solver status, objective, best bound, relative gap and time."""

    name: str
    status: str
    objective: float
    bound: float
    gap: float
    seconds: float

    def to_dict(self) -> dict:
        return {"name": self.name, "status": self.status, "objective": self.objective, "bound": self.bound,
                "gap": self.gap, "seconds": round(self.seconds, 3)}


@dataclass(frozen=True)
class CoreSolution:
    """The chosen arcs (a Boolean mask) and every stage's result; ``feasible`` False if none exists."""

    chosen: np.ndarray
    stages: tuple[StageResult, ...]
    feasible: bool
    status: str = field(default="OPTIMAL")


@dataclass(frozen=True)
class SolverOptions:
    """Time limit per stage (s), search workers and random seed."""

    time_limit_s: float = 30.0
    workers: int = 1
    seed: int = 0


def build_model(problem: CoreProblem) -> tuple[cp_model.CpModel, list[cp_model.IntVar]]:
    """The CP-SAT model with every constraint and no objective yet."""
    model = cp_model.CpModel()
    x = [model.new_bool_var(f"x{i}") for i in range(problem.n_arcs)]
    n_jobs = len(problem.must_cover)
    constraints.one_partnership_per_recipient(model, x, problem.job, n_jobs, problem.must_cover)
    constraints.supporter_capacity(model, x, problem.agent, problem.use, problem.capacity)
    if problem.budget_cost is not None and problem.budget_limit is not None:
        constraints.budget(model, x, problem.budget_cost, problem.budget_limit)
    if problem.fixed is not None:
        constraints.locks(model, x, problem.fixed)
    for coefficients, limit in problem.limits:
        constraints.at_most(model, x, coefficients, limit)
    return model, x


def solve_core(problem: CoreProblem, options: SolverOptions = SolverOptions(),
               hint: np.ndarray | None = None) -> CoreSolution:
    """Solve the stages in order, holding each stage at its value for the next.

    A stage that is not proven optimal in time is held at the best value found (its gap is
    reported). If the constraints admit no plan at all, ``feasible`` is False and
    ``chosen`` is all False: callers must raise, never present it as a plan.
    """
    model, x = build_model(problem)
    results: list[StageResult] = []
    chosen = np.zeros(problem.n_arcs, dtype=bool)
    if hint is not None:
        for var, value in zip(x, hint):
            model.add_hint(var, bool(value))
    if not problem.stages:
        problem = CoreProblem(**{**problem.__dict__, "stages": (Stage("feasibility", np.zeros(problem.n_arcs, np.int64), "max"),)})
    overall = "OPTIMAL"
    for stage in problem.stages:
        expr = sum(int(c) * x[i] for i, c in enumerate(stage.coefficients) if c)
        if stage.sense == "max":
            model.maximize(expr)
        else:
            model.minimize(expr)
        solver = _solver(options)
        started = time.perf_counter()
        status = solver.solve(model)
        seconds = time.perf_counter() - started
        name = STATUS.get(status, str(status))
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            results.append(StageResult(stage.name, name, float("nan"), float("nan"), float("nan"), seconds))
            return CoreSolution(chosen, tuple(results), feasible=False, status=name)
        value, bound = solver.objective_value, solver.best_objective_bound
        results.append(StageResult(stage.name, name, value, bound, _gap(value, bound), seconds))
        if status != cp_model.OPTIMAL:
            overall = "FEASIBLE"
        chosen = np.array([solver.boolean_value(v) for v in x], dtype=bool)
        # Hold this stage at the value reached, and start the next stage from this plan.
        if not isinstance(expr, int):
            model.add(expr >= round(value)) if stage.sense == "max" else model.add(expr <= round(value))
        model.clear_hints()
        for var, value_ in zip(x, chosen):
            model.add_hint(var, bool(value_))
    return CoreSolution(chosen, tuple(results), feasible=True, status=overall)


def is_feasible(problem: CoreProblem, options: SolverOptions) -> bool:
    """Whether the constraints admit any assignment (objective ignored)."""
    model, _ = build_model(problem)
    status = _solver(options).solve(model)
    return status in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def _solver(options: SolverOptions) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = options.time_limit_s
    solver.parameters.num_workers = options.workers
    solver.parameters.random_seed = options.seed
    solver.parameters.interleave_search = options.workers > 1  # deterministic parallel search
    # The full LP relaxation closes the knapsack-like budget and capacity rows quickly
    # (measured: national plan 0.36 s -> 0.16 s; infeasibility diagnosis 20 s -> 0.1 s).
    solver.parameters.linearization_level = 2
    return solver


def _gap(value: float, bound: float) -> float:
    """Relative gap between the objective and the best bound (0 when proven optimal)."""
    if value == bound:
        return 0.0
    return abs(bound - value) / max(1.0, abs(value))
