"""The assignment core at national scale (millions of arcs): LP column generation, rounding, a CP-SAT polish.

``solve_large`` has the contract of ``core.solve_core`` (stages in order, each later stage holds
the earlier ones at the value the plan reached) but never builds a model over every arc. Per stage:

1. The LP relaxation is solved by GLOP on a restricted set of arcs; every arc is then priced with
   numpy against the row duals and the attractive ones are added, until none is left. GLOP's
   convention (checked on a hand example): for a maximisation, ``dual_value`` is >= 0 on a
   ``<=`` row and <= 0 on a ``>=`` row, and an arc's reduced cost is ``w - sum(dual * a)``.
2. For those duals ``y`` (clipped to their valid sign) the Lagrangian value
   ``L = y.b + sum(max(0, rc))`` (plus the reduced cost of fixed arcs) bounds every plan, so the
   bound does not depend on the LP being solved exactly. The objective is integral: ``floor(L)``.
3. A plan: the LP's whole arcs, then a greedy fill in reduced-cost order that keeps every row.
4. CP-SAT on the arcs with ``rc >= -(L - incumbent)`` (no better plan uses any other arc, so an
   optimum there is an optimum of the full problem), from the incumbent, with a short time limit.
   When that set is too large the best arcs by reduced cost are used and the LP bound stands.
"""
from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass

import numpy as np
from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from .core import CoreProblem, CoreSolution, SolverOptions, Stage, StageResult, solve_core

LOG = logging.getLogger(__name__)

START_PER_JOB = 3          # arcs per job in the first restricted LP, best first by the stage's weight
ADD_PER_JOB = 2            # most arcs priced in per job and round
ADD_PER_ROUND = 20_000     # most arcs priced in per round
MAX_ROUNDS = 60
CORE_CAP = 40_000          # most arcs in the exact CP-SAT core
RINS_CAP = 8_000           # most free arcs in the CP-SAT neighbourhood of the LP
POLISH_SHARE = 0.25        # of the stage time limit, for the CP-SAT polish
LP_SHARE = 0.5             # of the stage time limit, for column generation (the bound stays valid if cut short)
GREEDY_CAP = 400_000       # most candidate arcs the greedy fill looks at


@dataclass(frozen=True)
class _Row:
    """A side row ``low <= coef . x <= high`` (budget, limit or the hold of an earlier stage)."""

    coef: np.ndarray
    low: float
    high: float


@dataclass(frozen=True)
class _Lp:
    """The priced LP of one stage: its bound, arc values and reduced costs (maximisation sense)."""

    bound: float
    x: np.ndarray
    rc: np.ndarray
    columns: np.ndarray
    feasible: bool


def solve_large(problem: CoreProblem, options: SolverOptions = SolverOptions()) -> CoreSolution:
    """Solve the stages in order by LP pricing, rounding and a CP-SAT polish (see the module text).

    Each stage's bound is the Lagrangian value of its LP duals over every arc, so the reported gap
    is a true gap. If the LP relaxation is infeasible, no plan exists (``feasible`` False); if the
    LP is feasible but no plan is found from it, the exact ``solve_core`` decides.
    """
    n = problem.n_arcs
    stages = problem.stages or (Stage("feasibility", np.zeros(n, np.int64), "max"),)
    fixed = problem.fixed if problem.fixed is not None else np.zeros(n, dtype=bool)
    rows = _side_rows(problem)
    results: list[StageResult] = []
    chosen: np.ndarray | None = None
    overall = "OPTIMAL"
    for stage in stages:
        started = time.perf_counter()
        sign = 1 if stage.sense == "max" else -1
        weights = sign * np.asarray(stage.coefficients, dtype=np.int64)
        deadline = started + LP_SHARE * options.time_limit_s
        lp = _column_generation(problem, weights, rows, fixed, chosen, deadline)
        if not lp.feasible:
            results.append(StageResult(stage.name, "INFEASIBLE", math.nan, math.nan, math.nan,
                                       time.perf_counter() - started))
            return CoreSolution(np.zeros(n, dtype=bool), tuple(results), False, "INFEASIBLE")
        bound = math.floor(lp.bound + 1e-9 * abs(lp.bound) + 1e-6)
        plan = _round_and_fill(problem, weights, rows, fixed, lp)
        if chosen is not None and (plan is None or weights[chosen].sum() > weights[plan].sum()):
            plan = chosen  # the previous plan meets every hold
        LOG.debug("%s: LP %.1f (%d columns, %.2fs), rounded plan %s", stage.name, lp.bound, len(lp.columns),
                  time.perf_counter() - started, None if plan is None else int(weights[plan].sum()))
        if plan is None or weights[plan].sum() < bound:
            plan, value, bound = _polish(problem, weights, rows, fixed, lp, plan, bound, options)
        if plan is None:
            return solve_core(problem, options)
        value = int(weights[plan].sum())
        chosen = plan
        status = "OPTIMAL" if value >= bound else "FEASIBLE"
        overall = "FEASIBLE" if status != "OPTIMAL" else overall
        results.append(StageResult(stage.name, status, float(sign * value), float(sign * bound),
                                   _gap(value, bound), time.perf_counter() - started))
        held = int(stage.coefficients[chosen].sum())
        rows = rows + [_Row(stage.coefficients, held, math.inf) if sign > 0 else _Row(stage.coefficients, -math.inf, held)]
    return CoreSolution(chosen, tuple(results), feasible=True, status=overall)


def _side_rows(problem: CoreProblem) -> list[_Row]:
    rows = [_Row(c, -math.inf, limit) for c, limit in problem.limits]
    if problem.budget_cost is not None and problem.budget_limit is not None:
        rows.insert(0, _Row(problem.budget_cost, -math.inf, problem.budget_limit))
    return rows


def _column_generation(problem: CoreProblem, weights: np.ndarray, rows: list[_Row], fixed: np.ndarray,
                       previous: np.ndarray | None, deadline: float = math.inf) -> _Lp:
    """The stage's LP over every arc, solved on a growing restricted set priced with numpy.

    Pricing stops at ``deadline`` (phase 2 only); the bound is then still valid (the Lagrangian
    value of the current duals over every arc), only weaker.
    """
    master = _Master(problem, rows)
    start = fixed | _best_per_group(problem.job, weights.astype(np.float64), np.ones(problem.n_arcs, bool),
                                    START_PER_JOB)
    if previous is not None:
        start |= previous
    master.add(np.flatnonzero(start), weights, fixed)
    if not master.solve():  # the restricted LP is infeasible: phase 1 finds arcs that make it feasible
        master.set_phase_one()
        master.solve()
        if not _price_until_done(master, np.zeros_like(weights), fixed, phase_one=True):
            return _Lp(math.nan, np.zeros(0), np.zeros(0), np.zeros(0, np.int64), False)
        master.set_phase_two(weights)
        master.solve()
    _price_until_done(master, weights, fixed, phase_one=False, deadline=deadline)
    rc, bound = master.price(weights, fixed)
    return _Lp(bound, master.values(), rc, master.columns(), True)


def _price_until_done(master: "_Master", weights: np.ndarray, fixed: np.ndarray, phase_one: bool,
                      deadline: float = math.inf) -> bool:
    """Add arcs with a positive reduced cost until there are none (or the deadline); in phase 1, False if infeasible."""
    for _ in range(MAX_ROUNDS):
        if time.perf_counter() > deadline:
            break
        if phase_one and master.artificial_sum() <= 1e-7:
            return True
        rc, _ = master.price(weights, fixed)
        tolerance = 1e-7 * max(1.0, float(np.abs(weights).max(initial=0)))
        attractive = (rc > tolerance) & ~master.in_master
        if not attractive.any():
            break
        add = _best_per_group(master.problem.job, rc, attractive, ADD_PER_JOB)
        picked = np.flatnonzero(add)
        if len(picked) > ADD_PER_ROUND:
            picked = picked[np.argpartition(-rc[picked], ADD_PER_ROUND)[:ADD_PER_ROUND]]
        master.add(picked, weights, fixed)
        master.solve()
    return not phase_one or master.artificial_sum() <= 1e-7  # else even the full LP cannot meet every row


def _best_per_group(group: np.ndarray, score: np.ndarray, eligible: np.ndarray, k: int) -> np.ndarray:
    """A mask of the ``k`` eligible arcs with the highest score in each group (job)."""
    idx = np.flatnonzero(eligible)
    order = idx[np.lexsort((-score[idx], group[idx]))]
    g = group[order]
    first = np.r_[0, np.flatnonzero(np.diff(g)) + 1]
    rank = np.arange(len(order)) - np.repeat(first, np.diff(np.r_[first, len(order)]))
    mask = np.zeros(len(group), dtype=bool)
    mask[order[rank < k]] = True
    return mask


class _Master:
    """The restricted LP in GLOP: a row per job, agent and side row, a column per arc added so far."""

    def __init__(self, problem: CoreProblem, rows: list[_Row]):
        self.problem, self.rows = problem, rows
        self.solver = pywraplp.Solver.CreateSolver("GLOP")
        inf = self.solver.infinity()
        clip = lambda v: max(-inf, min(inf, v))  # noqa: E731
        self.job_rows = [self.solver.Constraint(1.0 if m else -inf, 1.0) for m in problem.must_cover]
        self.agent_rows = [self.solver.Constraint(-inf, float(c)) for c in problem.capacity]
        self.side_rows = [self.solver.Constraint(clip(r.low), clip(r.high)) for r in rows]
        self.in_master = np.zeros(problem.n_arcs, dtype=bool)
        self.arcs: list[int] = []
        self.vars: list = []
        self.objective = self.solver.Objective()
        self.objective.SetMaximization()
        # Artificial columns relax every row that an empty plan may break (phase 1 only).
        self.artificial = []
        for j in np.flatnonzero(problem.must_cover):
            self._artificial([(self.job_rows[j], 1.0)])
        for row, r in zip(self.side_rows, rows):
            if r.low > -math.inf or r.high < 0:
                self._artificial([(row, 1.0 if r.low > -math.inf else -1.0)])

    def _artificial(self, entries) -> None:
        var = self.solver.NumVar(0.0, 0.0, "")
        for row, coef in entries:
            row.SetCoefficient(var, coef)
        self.artificial.append(var)

    def add(self, arcs: np.ndarray, weights: np.ndarray, fixed: np.ndarray) -> None:
        arcs = arcs[~self.in_master[arcs]]
        self.in_master[arcs] = True
        p = self.problem
        sides = [(row, r.coef[arcs].tolist()) for row, r in zip(self.side_rows, self.rows)]
        for k, (i, j, a, u, w, f) in enumerate(zip(arcs.tolist(), p.job[arcs].tolist(), p.agent[arcs].tolist(),
                                                   p.use[arcs].tolist(), weights[arcs].tolist(),
                                                   fixed[arcs].tolist())):
            var = self.solver.NumVar(1.0 if f else 0.0, 1.0, "")
            self.job_rows[j].SetCoefficient(var, 1.0)
            self.agent_rows[a].SetCoefficient(var, float(u))
            for row, coef in sides:
                if coef[k]:
                    row.SetCoefficient(var, float(coef[k]))
            if w:
                self.objective.SetCoefficient(var, float(w))
            self.arcs.append(i)
            self.vars.append(var)

    def solve(self) -> bool:
        return self.solver.Solve() == pywraplp.Solver.OPTIMAL

    def set_phase_one(self) -> None:
        for var in self.vars:
            self.objective.SetCoefficient(var, 0.0)
        for var in self.artificial:
            var.SetUb(self.solver.infinity())
            self.objective.SetCoefficient(var, -1.0)

    def set_phase_two(self, weights: np.ndarray) -> None:
        for var in self.artificial:
            var.SetUb(0.0)
            self.objective.SetCoefficient(var, 0.0)
        for var, w in zip(self.vars, weights[self.arcs].tolist()):
            self.objective.SetCoefficient(var, float(w))

    def artificial_sum(self) -> float:
        return sum(var.solution_value() for var in self.artificial)

    def columns(self) -> np.ndarray:
        return np.asarray(self.arcs, dtype=np.int64)

    def values(self) -> np.ndarray:
        return np.array([v.solution_value() for v in self.vars])

    def price(self, weights: np.ndarray, fixed: np.ndarray) -> tuple[np.ndarray, float]:
        """Reduced cost of every arc, and the Lagrangian bound of the current duals (sign-clipped)."""
        p = self.problem
        y_job = np.array([r.dual_value() for r in self.job_rows])
        y_job = np.where(p.must_cover, y_job, np.maximum(y_job, 0.0))
        y_agent = np.maximum(np.array([r.dual_value() for r in self.agent_rows]), 0.0)
        rc = weights - y_job[p.job] - y_agent[p.agent] * p.use
        bound = float(y_job.sum() + (y_agent * p.capacity).sum())
        for row, r in zip(self.side_rows, self.rows):
            y = row.dual_value()
            y = min(y, 0.0) if r.high == math.inf else max(y, 0.0) if r.low == -math.inf else y
            if y:
                rc -= y * r.coef
                bound += y * (r.high if y > 0 else r.low)
        bound += float(np.maximum(rc[~fixed], 0.0).sum() + rc[fixed].sum())
        return rc, bound


def _round_and_fill(problem: CoreProblem, weights: np.ndarray, rows: list[_Row], fixed: np.ndarray,
                    lp: _Lp) -> np.ndarray | None:
    """A plan from the LP: its whole arcs, then a greedy fill in reduced-cost order; None if it fails."""
    p = problem
    chosen = fixed.copy()
    chosen[lp.columns[lp.x > 1 - 1e-6]] = True
    taken = np.bincount(p.job[chosen], minlength=len(p.must_cover)) > 0
    left = p.capacity - np.bincount(p.agent[chosen], weights=p.use[chosen], minlength=len(p.capacity)).astype(np.int64)
    lhs = [int(r.coef[chosen].sum()) for r in rows]
    if (np.bincount(p.job[chosen], minlength=len(p.must_cover)) > 1).any() or (left < 0).any():
        return None
    open_ = ~chosen & ~taken[p.job] & (p.use <= left[p.agent])
    idx = np.flatnonzero(open_)
    if len(idx) > GREEDY_CAP:
        idx = idx[np.argpartition(-lp.rc[idx], GREEDY_CAP)[:GREEDY_CAP]]
    idx = idx[np.lexsort((-weights[idx], -lp.rc[idx]))]
    must = p.must_cover
    sides = [r.coef[idx].tolist() for r in rows]
    lows = [r.low for r in rows]
    highs = [r.high for r in rows]
    for k, (i, j, a, u, w) in enumerate(zip(idx.tolist(), p.job[idx].tolist(), p.agent[idx].tolist(),
                                            p.use[idx].tolist(), weights[idx].tolist())):
        if taken[j] or left[a] < u:
            continue
        useful = w > 0 or must[j]
        fits = True
        for s in range(len(rows)):
            c = sides[s][k]
            if c > 0 and lhs[s] + c > highs[s]:
                fits = False
                break
            if c < 0 and lhs[s] + c < lows[s]:
                fits = False
                break
            if c > 0 and lhs[s] < lows[s] or c < 0 and lhs[s] > highs[s]:
                useful = True
        if fits and useful:
            chosen[i] = taken[j] = True
            left[a] -= u
            for s in range(len(rows)):
                lhs[s] += sides[s][k]
    return chosen if not violations(problem, chosen, rows) else None


def violations(problem: CoreProblem, chosen: np.ndarray, rows: list[_Row] | None = None) -> list[str]:
    """Every constraint of ``problem`` (and of the extra rows) that the plan ``chosen`` breaks."""
    p = problem
    out = []
    count = np.bincount(p.job[chosen], minlength=len(p.must_cover))
    if (count > 1).any():
        out.append("a job has two arcs")
    if (count[p.must_cover] < 1).any():
        out.append("a must-cover job is not covered")
    used = np.bincount(p.agent[chosen], weights=p.use[chosen], minlength=len(p.capacity))
    if (used > p.capacity).any():
        out.append("an agent is over capacity")
    if p.fixed is not None and not chosen[p.fixed].all():
        out.append("a fixed arc is not chosen")
    for r in rows if rows is not None else _side_rows(p):
        value = int(r.coef[chosen].sum())
        if not r.low <= value <= r.high:
            out.append(f"a row is broken: {r.low} <= {value} <= {r.high}")
    return out


def _polish(problem: CoreProblem, weights: np.ndarray, rows: list[_Row], fixed: np.ndarray, lp: _Lp,
            plan: np.ndarray | None, bound: int, options: SolverOptions) -> tuple[np.ndarray | None, int, int]:
    """Improve the plan with CP-SAT: first around the LP, then on every arc that may still beat it.

    1. The arcs the LP takes whole are kept; CP-SAT re-plans everything else that fits around
       them (a relaxation-induced neighbourhood: small, and where the LP is unsure), from the plan
       if there is one (there may be none when the greedy fill could not meet the holds).
    2. If the arcs with ``rc >= -(L - plan)`` are few, CP-SAT on them alone: no better plan uses any
       other arc, so its bound holds for the whole problem.
    """
    seconds = max(0.5, options.time_limit_s * POLISH_SHARE)
    hint = plan if plan is not None else np.zeros(problem.n_arcs, dtype=bool)
    value = int(weights[plan].sum()) if plan is not None else -2**62
    one = np.zeros(problem.n_arcs, dtype=bool)
    one[lp.columns[lp.x > 1 - 1e-6]] = True
    support = np.zeros(problem.n_arcs, dtype=bool)
    support[lp.columns[lp.x > 1e-6]] = True
    base = (one & hint) | fixed if plan is not None else one | fixed
    taken = np.bincount(problem.job[base], minlength=len(problem.must_cover)) > 0
    left = problem.capacity - np.bincount(problem.agent[base], weights=problem.use[base],
                                          minlength=len(problem.capacity)).astype(np.int64)
    free = ~base & ~taken[problem.job] & (problem.use <= left[problem.agent])
    keep = (hint | support) & free
    found = _cp_neighbourhood(problem, weights, rows, base, _cap(free, keep, lp.rc, RINS_CAP), hint, seconds, options)
    if found is not None and found[1] > value:
        plan, value = found[0], found[1]
    if plan is None:
        return None, 0, bound
    slack = (bound - value) + 1e-6 * max(1.0, abs(bound)) + 1e-6
    core = ((lp.rc >= -slack) | plan) & ~fixed
    if value < bound and int(core.sum()) <= CORE_CAP:
        found = _cp_neighbourhood(problem, weights, rows, fixed, core, plan, seconds, options)
        if found is not None:
            # Outside the core no plan beats the incumbent, so the core's bound holds for all plans.
            plan, value, bound = found[0], max(value, found[1]), min(bound, found[2])
    return plan, value, bound


def _cap(free: np.ndarray, keep: np.ndarray, rc: np.ndarray, cap: int) -> np.ndarray:
    """At most ``cap`` of the free arcs, best reduced cost first, always with those in ``keep``."""
    free = free | keep
    if int(free.sum()) <= cap:
        return free
    extra = np.flatnonzero(free & ~keep)
    room = max(1, cap - int(keep.sum()))
    out = keep.copy()
    out[extra[np.argpartition(-rc[extra], min(room, len(extra) - 1))[:room]]] = True
    return out


def _cp_neighbourhood(problem: CoreProblem, weights: np.ndarray, rows: list[_Row], base: np.ndarray,
                      free: np.ndarray, hint: np.ndarray, seconds: float,
                      options: SolverOptions) -> tuple[np.ndarray, int, int] | None:
    """CP-SAT with the ``base`` arcs taken and a choice among the ``free`` ones: (plan, value, bound)."""
    p = problem
    idx = np.flatnonzero(free)
    offset = int(weights[base].sum())
    model = cp_model.CpModel()
    x = [model.new_bool_var("") for _ in range(len(idx))]
    job, agent, use = p.job[idx], p.agent[idx], p.use[idx]
    taken = np.bincount(p.job[base], minlength=len(p.must_cover)) > 0
    if (p.must_cover & ~taken & ~np.isin(np.arange(len(p.must_cover)), job)).any():
        return None
    for group in _split(job):
        vars_ = [x[k] for k in group.tolist()]
        if p.must_cover[job[group[0]]]:
            model.add_exactly_one(vars_)
        elif len(vars_) > 1:
            model.add_at_most_one(vars_)
    left = p.capacity - np.bincount(p.agent[base], weights=p.use[base], minlength=len(p.capacity)).astype(np.int64)
    for group in _split(agent):
        room = int(left[agent[group[0]]])
        if int(use[group].sum()) > room:
            model.add(cp_model.LinearExpr.weighted_sum([x[k] for k in group.tolist()], use[group].tolist()) <= room)
    for r in rows:
        coef, done = r.coef[idx], int(r.coef[base].sum())
        nz = np.flatnonzero(coef)
        low = int(r.low) - done if r.low > -math.inf else cp_model.INT_MIN
        high = int(r.high) - done if r.high < math.inf else cp_model.INT_MAX
        terms = cp_model.LinearExpr.weighted_sum([x[k] for k in nz.tolist()], coef[nz].tolist())
        model.add_linear_constraint(terms, low, high)
    model.maximize(cp_model.LinearExpr.weighted_sum(x, weights[idx].tolist()))
    for var, h in zip(x, hint[idx].tolist()):
        model.add_hint(var, h)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = max(1, options.workers)
    solver.parameters.random_seed = options.seed
    status = solver.solve(model)
    LOG.debug("CP-SAT on %d arcs: %s, %.1f (bound %.1f) in %.2fs", len(idx), solver.status_name(status),
              solver.objective_value + offset, solver.best_objective_bound + offset, solver.wall_time)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    found = base.copy()
    found[idx[np.array([solver.boolean_value(v) for v in x], dtype=bool)]] = True
    if violations(problem, found, rows):
        return None
    return found, int(weights[found].sum()), math.floor(solver.best_objective_bound + 1e-6) + offset


def _split(keys: np.ndarray) -> list[np.ndarray]:
    """Positions grouped by key."""
    order = np.argsort(keys, kind="stable")
    return [g for g in np.split(order, np.flatnonzero(np.diff(keys[order])) + 1) if len(g)]


def _gap(value: float, bound: float) -> float:
    """Relative gap between the objective and the bound (0 when they meet)."""
    return 0.0 if value >= bound else abs(bound - value) / max(1.0, abs(value))
