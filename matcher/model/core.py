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
from dataclasses import replace

import numpy as np
from ortools.sat.python import cp_model

from . import constraints
from .problem import CoreProblem, CoreSolution, SolverOptions, Spread, Stage, StageResult, held_value

__all__ = ["CoreProblem", "CoreSolution", "SolverOptions", "Spread", "Stage", "StageResult", "build_model",
           "solve_core"]

STATUS = {cp_model.OPTIMAL: "OPTIMAL", cp_model.FEASIBLE: "FEASIBLE", cp_model.INFEASIBLE: "INFEASIBLE",
          cp_model.MODEL_INVALID: "MODEL_INVALID", cp_model.UNKNOWN: "UNKNOWN"}
LOG = logging.getLogger(__name__)


#: Above this many pairs of arcs sharing a supporter, the spread rule is added lazily: only the pairs a
#: solution breaks, then solved again (a plan that breaks none of the whole rule is optimal for it too).
EAGER_SPREAD_PAIRS = 100_000
#: Most rounds of lazily added spread pairs in one stage.
SPREAD_ROUNDS = 12


def build_model(problem: CoreProblem, conflicts: np.ndarray | None = None) -> tuple[cp_model.CpModel,
                                                                                   list[cp_model.IntVar]]:
    """The CP-SAT model with every constraint and no objective yet.

    ``conflicts``: the spread pairs to state (default: every pair of the problem).
    """
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
    if problem.load is not None and problem.load_limit is not None:
        constraints.supporter_load(model, x, problem.agent, problem.load, problem.load_limit)
    constraints.spread(model, x, problem.conflicts() if conflicts is None else conflicts)
    return model, x


def solve_core(problem: CoreProblem, options: SolverOptions = SolverOptions(),
               hint: np.ndarray | None = None) -> CoreSolution:
    """Solve the stages in order, holding each stage at its value for the next.

    With ``options.hold_tolerance`` above 0, each later stage may give up at most that share of
    an earlier stage's value (``held_value``); at 0 (the default) the order is strict.

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
    holds: list[tuple[Stage, int]] = []
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
            from . import relax  # GLOP: only large instances pay for its import
            lp = relax.solve_lp(problem, weights, [_linear_hold(problem, s, v) for s, v in holds])
            if not lp.optimal:
                results.append(StageResult(stage.name, "INFEASIBLE", float("nan"), float("nan"), float("nan"),
                                           time.perf_counter() - started))
                return CoreSolution(np.zeros(problem.n_arcs, dtype=bool), tuple(results), False, "INFEASIBLE")
            extra = problem.bonus_ceiling(stage) if sign > 0 else 0  # a bonus can only raise a maximised stage
            lp_bound = lp.value + extra
            incumbent = chosen
            if incumbent is None:  # first stage: a quick plan from the arcs the LP likes best
                core = relax.safe_arcs(lp, lp.value - 1e-3 * max(1.0, abs(lp.value)), fixed)
                quick = _solve_stage(problem, core, stage, holds, None, _limited(options, 0.25))
                incumbent = quick[3] if quick is not None else None
            if incumbent is not None:
                value_now = sign * problem.value(stage, incumbent)
                keep = relax.safe_arcs(lp, value_now - extra, fixed | incumbent)
        outcome = _solve_stage(problem, keep, stage, holds, chosen if chosen is not None else start_hint, options)
        seconds = time.perf_counter() - started
        if outcome is None or (outcome[0] == "UNKNOWN" and chosen is None):
            # INFEASIBLE: no plan exists. UNKNOWN on the first stage: none was found in time.
            status = "INFEASIBLE" if outcome is None else "UNKNOWN"
            results.append(StageResult(stage.name, status, float("nan"), float("nan"), float("nan"), seconds))
            return CoreSolution(np.zeros(problem.n_arcs, dtype=bool), tuple(results), False, status)
        if outcome[0] == "UNKNOWN" and chosen is not None:  # out of time on a later stage: the previous plan
            # still meets every hold
            outcome = ("FEASIBLE", float(problem.value(stage, chosen)), outcome[2], chosen)
        status, value, bound, chosen = outcome
        bound = sign * min(sign * bound, lp_bound)  # both are bounds in the stage's own direction
        results.append(StageResult(stage.name, status, value, bound, _gap(value, bound), seconds))
        LOG.info("%s stage %s (gap %.2f%%, %.1f s)", stage.name, status.lower(), 100 * results[-1].gap, seconds)
        if status != "OPTIMAL":
            overall = "FEASIBLE"
        holds.append((stage, held_value(round(value), stage.sense, options.hold_tolerance)))
    # ``stages`` is never empty, so ``chosen`` is set; the fallback is for the type checker.
    final = chosen if chosen is not None else np.zeros(problem.n_arcs, dtype=bool)
    return CoreSolution(final, tuple(results), feasible=True, status=overall)


def _linear_hold(problem: CoreProblem, stage: Stage, value: int) -> tuple[np.ndarray, int, str]:
    """A hold as a linear row for the LP: a maximised bonus stage may reach its value with bonuses."""
    if stage.sense == "max":
        return stage.coefficients, value - problem.bonus_ceiling(stage), "max"
    return stage.coefficients, value, stage.sense


def _limited(options: SolverOptions, share: float) -> SolverOptions:
    return replace(options, time_limit_s=max(1.0, options.time_limit_s * share))


def _solve_stage(problem: CoreProblem, keep: np.ndarray, stage: Stage, holds: list[tuple[Stage, int]],
                 hint: np.ndarray | None, options: SolverOptions) -> tuple[str, float, float, np.ndarray] | None:
    """One stage on the arcs in ``keep`` (earlier stages held); None when no plan exists there.

    Returns status "UNKNOWN" (and no plan) when the time limit ended the search before any plan.
    """
    sub = _restrict(problem, keep, [(s, v) for s, v in holds if not problem.bonus_of_stage(s)])
    lazy = sub.spread is not None and _pairs_sharing_an_agent(sub) > EAGER_SPREAD_PAIRS
    pairs = np.zeros((0, 2), dtype=np.int64) if lazy else sub.conflicts()
    hint_sub = None if hint is None else hint[keep]
    for _ in range(SPREAD_ROUNDS if lazy else 1):
        outcome = _solve_once(problem, sub, keep, stage, holds, hint_sub, options, pairs)
        if outcome is None or outcome[0] == "UNKNOWN" or not lazy:
            return outcome
        broken = sub.conflicts(np.flatnonzero(outcome[3][keep]))
        if not len(broken):
            return outcome
        # Every pair of an agent whose plan broke the rule, not just the broken ones: fewer rounds.
        agents = np.unique(sub.agent[broken[:, 0]])
        pairs = np.unique(np.vstack([pairs, sub.conflicts(np.flatnonzero(np.isin(sub.agent, agents)))]), axis=0)
        hint_sub = outcome[3][keep]
    LOG.warning("spread rule still broken after %d rounds: the stage's plan is repaired", SPREAD_ROUNDS)
    return None if outcome is None else _repaired(problem, stage, outcome)


def _pairs_sharing_an_agent(problem: CoreProblem) -> int:
    """How many pairs of arcs share an agent (the most the spread rule could need)."""
    counts = np.bincount(problem.agent, minlength=len(problem.capacity)).astype(np.int64)
    return int((counts * (counts - 1) // 2).sum())


def _repaired(problem: CoreProblem, stage: Stage, outcome: tuple) -> tuple[str, float, float, np.ndarray]:
    """A stage's plan with the arcs that break the spread rule dropped (reported as feasible, not optimal)."""
    from .side_rules import repair
    sign = 1 if stage.sense == "max" else -1
    chosen = repair(problem, outcome[3], sign * stage.coefficients)
    return "FEASIBLE", float(problem.value(stage, chosen)), outcome[2], chosen


def _solve_once(problem: CoreProblem, sub: CoreProblem, keep: np.ndarray, stage: Stage,
                holds: list[tuple[Stage, int]], hint: np.ndarray | None, options: SolverOptions,
                conflicts: np.ndarray) -> tuple[str, float, float, np.ndarray] | None:
    """One CP-SAT solve of a stage on the arcs in ``keep`` with the given spread pairs."""
    model, x = build_model(sub, conflicts)
    bonus = _bonus_terms(model, x, sub)

    def objective_of(st: Stage) -> cp_model.LinearExprT:
        terms = [int(c) * x[i] for i, c in enumerate(st.coefficients[keep]) if c]
        if st.name == problem.bonus_stage:
            terms += bonus
        return sum(terms)

    for held, value in holds:
        if problem.bonus_of_stage(held):
            expr_held = objective_of(held)
            model.add(expr_held >= value) if held.sense == "max" else model.add(expr_held <= value)
    expr = objective_of(stage)
    model.maximize(expr) if stage.sense == "max" else model.minimize(expr)
    if hint is not None:
        for var, value in zip(x, hint, strict=True):
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
    plan_value = float(problem.value(stage, chosen))
    bound = solver.best_objective_bound if not isinstance(expr, int) else plan_value
    return STATUS[status], plan_value, bound, chosen


def _bonus_terms(model: cp_model.CpModel, x: list, sub: CoreProblem) -> list:
    """``value * both`` for each bonus pair of the (restricted) problem, ``both`` true only if both arcs are."""
    if sub.bonus_pairs is None or sub.bonus_values is None or not len(sub.bonus_pairs):
        return []
    terms = []
    for (a, b), value in zip(sub.bonus_pairs.tolist(), sub.bonus_values.tolist(), strict=True):
        both = model.new_bool_var("")
        model.add_implication(both, x[a])
        model.add_implication(both, x[b])
        terms.append(int(value) * both)
    return terms


def _restrict(problem: CoreProblem, keep: np.ndarray, holds: list[tuple[Stage, int]]) -> CoreProblem:
    """The problem on a subset of arcs, with earlier stages' values as limits (bonus pairs renumbered)."""
    limits = tuple((c[keep], limit) for c, limit in problem.limits)
    limits += tuple((-s.coefficients[keep], -value) if s.sense == "max" else (s.coefficients[keep], value)
                    for s, value in holds)
    pairs, values = None, None
    if problem.bonus_pairs is not None and problem.bonus_values is not None and len(problem.bonus_pairs):
        position = np.cumsum(keep) - 1
        both = keep[problem.bonus_pairs[:, 0]] & keep[problem.bonus_pairs[:, 1]]
        pairs, values = position[problem.bonus_pairs[both]], problem.bonus_values[both]
    spread = problem.spread
    return CoreProblem(
        agent=problem.agent[keep], job=problem.job[keep], use=problem.use[keep], capacity=problem.capacity,
        must_cover=problem.must_cover, stages=(),
        budget_cost=None if problem.budget_cost is None else problem.budget_cost[keep],
        budget_limit=problem.budget_limit, fixed=None if problem.fixed is None else problem.fixed[keep],
        limits=limits, load=None if problem.load is None else problem.load[keep], load_limit=problem.load_limit,
        spread=spread, bonus_pairs=pairs, bonus_values=values, bonus_stage=problem.bonus_stage)


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
