"""The generic assignment core: a generalised assignment problem with a lexicographic objective.

Both the Buddying plan and the OR-Library GAP benchmarks are solved through ``solve_core``:
arcs (agent, job, resource use), agent capacities, jobs that must or may be covered, an
optional budget, fixed arcs and a list of objective stages solved in order. Each stage is
solved to proven optimality where time allows, then held at its value while the next stage
optimises, with the previous solution as a hint. CP-SAT runs only in the ``model`` package
(here, in the diagnosis, and in ``large.py`` for instances with very many arcs).
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

import numpy as np
from ortools.sat.python import cp_model

from . import constraints, relax

STATUS = {cp_model.OPTIMAL: "OPTIMAL", cp_model.FEASIBLE: "FEASIBLE", cp_model.INFEASIBLE: "INFEASIBLE",
          cp_model.MODEL_INVALID: "MODEL_INVALID", cp_model.UNKNOWN: "UNKNOWN"}
LOG = logging.getLogger(__name__)


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
        """How many arcs (possible pairs) the problem has."""
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
        """A JSON-ready dict for the plan's ``stages`` (seconds rounded to the millisecond)."""
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
    """Time limit per stage (s), search workers, random seed, and when to use reduced-cost fixing."""

    time_limit_s: float = 30.0
    workers: int = 1
    seed: int = 0
    reduce_above: int = 5_000  # arcs; larger instances are cut down by LP reduced-cost fixing


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

    Instances with more arcs than ``options.reduce_above`` are first cut down per stage by
    reduced-cost fixing against the LP relaxation (``relax.py``): the optimum, and its proof,
    are those of the full instance, and the reported bound is the better of the LP bound and
    the CP-SAT bound. A stage not proven optimal in time is held at the best value found (its
    gap is reported). If the constraints admit no plan at all, ``feasible`` is False and
    ``chosen`` is all False: callers must raise, never present it as a plan.
    """
    stages = problem.stages or (Stage("feasibility", np.zeros(problem.n_arcs, np.int64), "max"),)
    large = problem.n_arcs > options.reduce_above
    fixed = problem.fixed if problem.fixed is not None else np.zeros(problem.n_arcs, dtype=bool)
    holds: list[tuple[np.ndarray, int, str]] = []
    results: list[StageResult] = []
    chosen: np.ndarray | None = None
    start_hint = None if hint is None else np.asarray(hint, dtype=bool)
    overall = "OPTIMAL"
    for stage in stages:
        started = time.perf_counter()
        sign = 1 if stage.sense == "max" else -1
        weights = sign * stage.coefficients
        keep = np.ones(problem.n_arcs, dtype=bool)
        lp_bound = float("inf")
        if large:
            lp = relax.solve_lp(problem, weights, holds)
            if not lp.optimal:
                results.append(StageResult(stage.name, "INFEASIBLE", float("nan"), float("nan"), float("nan"),
                                           time.perf_counter() - started))
                return CoreSolution(np.zeros(problem.n_arcs, dtype=bool), tuple(results), False, "INFEASIBLE")
            lp_bound = lp.value
            incumbent = chosen
            if incumbent is None:  # first stage: a quick plan from the arcs the LP likes best
                core = relax.safe_arcs(lp, lp.value - 1e-3 * max(1.0, abs(lp.value)), fixed)
                quick = _solve_stage(problem, core, stage, holds, None, _limited(options, 0.25))
                incumbent = quick[3] if quick is not None else None
            if incumbent is not None:
                keep = relax.safe_arcs(lp, float(weights[incumbent].sum()), fixed | incumbent)
        outcome = _solve_stage(problem, keep, stage, holds, chosen if chosen is not None else start_hint, options)
        seconds = time.perf_counter() - started
        if outcome is None or (outcome[0] == "UNKNOWN" and chosen is None):
            # INFEASIBLE: no plan exists. UNKNOWN on the first stage: none was found in time.
            status = "INFEASIBLE" if outcome is None else "UNKNOWN"
            results.append(StageResult(stage.name, status, float("nan"), float("nan"), float("nan"), seconds))
            return CoreSolution(np.zeros(problem.n_arcs, dtype=bool), tuple(results), False, status)
        # Out of time on a later stage (the first returned above): the previous plan still meets every hold.
        if outcome[0] == "UNKNOWN" and chosen is not None:
            value = float(stage.coefficients[chosen].sum())
            outcome = ("FEASIBLE", value, outcome[2], chosen)
        status, value, bound, chosen = outcome
        bound = sign * min(sign * bound, lp_bound)  # both are bounds in the stage's own direction
        results.append(StageResult(stage.name, status, value, bound, _gap(value, bound), seconds))
        LOG.info("%s stage %s (gap %.2f%%, %.1f s)", stage.name, status.lower(), 100 * results[-1].gap, seconds)
        if status != "OPTIMAL":
            overall = "FEASIBLE"
        holds.append((stage.coefficients, round(value), stage.sense))
    if chosen is None:  # unreachable: there is always a stage, and each one chooses a plan or returns
        raise RuntimeError("no stage chose a plan")
    return CoreSolution(chosen, tuple(results), feasible=True, status=overall)


def _limited(options: SolverOptions, share: float) -> SolverOptions:
    return SolverOptions(max(1.0, options.time_limit_s * share), options.workers, options.seed, options.reduce_above)


def _solve_stage(problem: CoreProblem, keep: np.ndarray, stage: Stage, holds: list, hint: np.ndarray | None,
                 options: SolverOptions) -> tuple[str, float, float, np.ndarray] | None:
    """One stage on the arcs in ``keep`` (earlier stages held); None when no plan exists there.

    Returns status "UNKNOWN" (and no plan) when the time limit ended the search before any plan.
    """
    sub = _restrict(problem, keep, holds)
    model, x = build_model(sub)
    coefficients = stage.coefficients[keep]
    expr = sum(int(c) * x[i] for i, c in enumerate(coefficients) if c)
    model.maximize(expr) if stage.sense == "max" else model.minimize(expr)
    if hint is not None:
        for var, value in zip(x, hint[keep], strict=True):
            model.add_hint(var, bool(value))
    solver = _solver(options)
    status = solver.solve(model)
    if status == cp_model.UNKNOWN:
        bound = solver.best_objective_bound if not isinstance(expr, int) else float("nan")
        return "UNKNOWN", float("nan"), bound, np.zeros(problem.n_arcs, dtype=bool)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    chosen = np.zeros(problem.n_arcs, dtype=bool)
    chosen[np.flatnonzero(keep)] = [solver.boolean_value(v) for v in x]
    value = float(stage.coefficients[chosen].sum())
    bound = solver.best_objective_bound if not isinstance(expr, int) else value
    return STATUS[status], value, bound, chosen


def _restrict(problem: CoreProblem, keep: np.ndarray, holds: list) -> CoreProblem:
    """The problem on a subset of arcs, with earlier stages' values as limits."""
    limits = tuple((c[keep], limit) for c, limit in problem.limits)
    limits += tuple((-c[keep], -value) if sense == "max" else (c[keep], value) for c, value, sense in holds)
    return CoreProblem(
        agent=problem.agent[keep], job=problem.job[keep], use=problem.use[keep], capacity=problem.capacity,
        must_cover=problem.must_cover, stages=(),
        budget_cost=None if problem.budget_cost is None else problem.budget_cost[keep],
        budget_limit=problem.budget_limit, fixed=None if problem.fixed is None else problem.fixed[keep],
        limits=limits)


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
