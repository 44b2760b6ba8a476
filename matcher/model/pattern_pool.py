"""The integer master over the pattern pool: CP-SAT picks one pattern per supporter, and a listing settles the gap.

``solve_pool`` solves the set packing over every pattern generated so far (one pattern per agent,
one partnership per job, the side rows) by CP-SAT to a deterministic time limit. ``settle`` then
adds every pattern a better plan could take (``pattern_reach``) and solves again: the best plan
over the larger pool is the optimum, or the bound drops to where the listing stopped.
"""
from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field

import numpy as np
from ortools.sat.python import cp_model

from .pattern_master import Row, pattern_bonus
from .pattern_pricing import AgentArcs
from .pattern_reach import Prices, within_reach
from .problem import CoreProblem, SolverOptions

LOG = logging.getLogger(__name__)

CP_SAT_SHARE = 0.5      # of the stage time limit, as CP-SAT deterministic time
#: Most patterns one CP-SAT call is given. At 20,000 providers its presolve over 58,000 used all its time and found
#: nothing; past this many, it is given the patterns closest to their agent's best at the bound's prices (``closest``).
MAX_CP_SAT = 20_000
SETTLE_SHARE = 1.0      # of the stage time limit, for CP-SAT over the pool with every listed pattern
#: Of the stage time limit, for CP-SAT over the LP's own patterns and the best plan's (``solve_support``)
SUPPORT_SHARE = 1.0
#: Most patterns in the LP's support for ``solve_support`` to try: at 20,000 providers the coverage stage's LP
#: (degenerate, solved by PDLP) used 18,522 and CP-SAT returned its hint; the score stage's used 3,139.
SUPPORT_MOST = 10_000
#: CP-SAT's wall-clock limit, as a multiple of the deterministic time it is given: a safety net only (a
#: deterministic second took up to 2 s on a loaded 2-core machine, and a plan must never depend on the clock).
SAFETY = 5.0


@dataclass
class Pool:
    """Every pattern generated so far (kept across stages: a pattern's feasibility does not depend on the stage)."""

    agent: list[int] = field(default_factory=list)
    arcs: list[tuple[int, ...]] = field(default_factory=list)
    seen: dict[tuple[int, ...], int] = field(default_factory=dict)  # pattern -> its position

    def add(self, agent: int, arcs: tuple[int, ...]) -> bool:
        """Add a pattern unless it is empty or already known; whether it was added."""
        key = tuple(sorted(arcs))
        if not key or key in self.seen:
            return False
        self.seen[key] = len(self.arcs)
        self.agent.append(agent)
        self.arcs.append(key)
        return True

    def positions(self, agent_of_arc: np.ndarray, plan: np.ndarray) -> list[int]:
        """The patterns that make up a plan (each of its agents' sets of arcs, added to the pool if new)."""
        taken = patterns_of(agent_of_arc, plan)
        for agent, arcs in taken:
            self.add(agent, arcs)
        return [self.seen[tuple(sorted(arcs))] for _, arcs in taken]


@dataclass(frozen=True)
class Picked:
    """The plan CP-SAT picked over the pool: its patterns, its value, and the bound CP-SAT proved over the pool."""

    chosen: list[int]
    value: float
    pool_bound: float
    optimal: bool   # proven best over the pool
    restricted: bool = False  # picked from part of the pool (``closest``): its bound and optimality are of that part


def patterns_of(agent_of_arc: np.ndarray, plan: np.ndarray) -> list[tuple[int, tuple[int, ...]]]:
    """A plan as patterns: each agent with the arcs it takes."""
    taken: dict[int, list[int]] = {}
    for arc in np.flatnonzero(plan).tolist():
        taken.setdefault(int(agent_of_arc[arc]), []).append(arc)
    return [(agent, tuple(arcs)) for agent, arcs in taken.items()]


def standing(index: AgentArcs, pool: Pool, weights: np.ndarray, bonus_sign: float, chosen: list[int]) -> Picked:
    """A plan known to keep every rule, as CP-SAT would report it: for when CP-SAT finds none in its time."""
    value = sum(_worth(weights, pool.arcs[k], bonus_sign, pattern_bonus(index, list(pool.arcs[k]))) for k in chosen)
    return Picked(chosen, float(value), math.inf, False)


def _worth(weights: np.ndarray, arcs: tuple[int, ...], bonus_sign: float, bonus: float) -> int:
    """A pattern's whole value in a stage, its bonus included, as CP-SAT's objective counts it."""
    return round(float(weights[list(arcs)].sum()) + bonus_sign * bonus)


def closest(index: AgentArcs, pool: Pool, prices: Prices, keep: list[int], most: int) -> list[int]:
    """Pool positions for CP-SAT: all if at most ``most``; else ``keep``, then the closest to their agent's best.

    ``keep`` (the hint's patterns and those the LP uses) and the patterns of agents with locked arcs
    are always given, so the hint's plan stays a plan; the rest, up to ``most`` in all, are those
    closest to their agent's best: a pattern's distance is its agent's top less its reduced value at
    ``prices`` (the bound's), and a plan near the bound takes close ones (``pattern_reach``).
    """
    if len(pool.arcs) <= most:
        return list(range(len(pool.arcs)))
    given = set(keep) | {k for k, a in enumerate(pool.agent) if a in index.fixed}
    distance = np.array([float(prices.top[a]) - prices.of(arcs) for a, arcs in zip(pool.agent, pool.arcs, strict=True)])
    for k in np.argsort(distance, kind="stable").tolist():
        if len(given) >= most:
            break
        given.add(k)
    return sorted(given)


def solve_pool(p: CoreProblem, index: AgentArcs, pool: Pool, weights: np.ndarray, bonus_sign: float, rows: list[Row],
             previous: list[int] | None, options: SolverOptions, prices: Prices,
             share: float = CP_SAT_SHARE, support: list[int] | None = None) -> Picked | None:
    """The best plan over the generated patterns by CP-SAT (``share`` of the stage time limit, deterministic).

    Past ``MAX_CP_SAT`` patterns, over the hint's (``previous``), the LP's (``support``, most taken
    first, as many as fit) and those ``closest`` to their agent's best at ``prices`` (the plan is
    then ``restricted``: its bound is over those only). None if none was found.
    """
    hint = previous or []
    given = closest(index, pool, prices, [*hint, *(support or [])[:max(0, MAX_CP_SAT - len(hint))]], MAX_CP_SAT)
    if set(index.fixed) - {pool.agent[k] for k in given}:
        return None  # an agent with a locked arc has no pattern
    mark = set(previous) if previous is not None else None
    packed = pack(p, index, [pool.agent[k] for k in given], [pool.arcs[k] for k in given], weights, bonus_sign,
                  [(row, row.limit) for row in rows], np.flatnonzero(p.must_cover).tolist(),
                  None if mark is None else [k in mark for k in given], max(0.5, share * options.time_limit_s),
                  options)
    LOG.debug("CP-SAT over %d of %d patterns", len(given), len(pool.arcs))
    if packed is None:
        return None
    return Picked([given[k] for k in packed.chosen], packed.value, packed.bound, packed.optimal,
                  restricted=len(given) < len(pool.arcs))


def solve_support(p: CoreProblem, index: AgentArcs, pool: Pool, weights: np.ndarray, bonus_sign: float,
                  rows: list[Row], plan: list[int], support: list[int], hint: list[int],
                  options: SolverOptions) -> Picked | None:
    """CP-SAT's best plan over the LP's patterns (``support``) and those of ``plan``, hinted with ``hint``.

    The LP's support is small (3,139 of about 80,000 patterns in the score stage at 20,000 providers),
    and it is where the LP found its value. ``plan`` keeps every rule and row, so a plan is there to
    find; the hint is the LP's own patterns that do not overlap (``pattern_round.lp_start``), which
    may miss a hold, and leads CP-SAT where the LP is: in the score stage at 20,000 providers,
    ``SUPPORT_SHARE`` of a 20 s stage (20 deterministic seconds) reached 2,952,009 (seed 2) and
    2,910,483 (seed 1) so hinted, 2,920,049 and 2,910,317 hinted with the plan (the LP's, repaired:
    2,919,200 and 2,885,536, against bounds of 2,975,575 and 2,924,596); on seed 1 the regions
    (``pattern_lns``) took 60 to reach 2,910,244. The plan is ``restricted``: its bound is over these
    patterns only. None if CP-SAT found no plan in its time, or the support holds more than
    ``SUPPORT_MOST`` patterns; the caller keeps it only if it is worth more than ``plan``.
    """
    if len(support) > SUPPORT_MOST:
        LOG.debug("the LP's support holds %d patterns: too many for CP-SAT", len(support))
        return None
    given = sorted(set(plan) | set(support))
    mark = set(hint)
    packed = pack(p, index, [pool.agent[k] for k in given], [pool.arcs[k] for k in given], weights, bonus_sign,
                  [(row, row.limit) for row in rows], np.flatnonzero(p.must_cover).tolist(),
                  [k in mark for k in given], max(0.5, SUPPORT_SHARE * options.time_limit_s), options)
    LOG.debug("CP-SAT over the LP's %d patterns and the plan's: %s", len(support),
              "none" if packed is None else f"{packed.value:.1f}")
    if packed is None:
        return None
    return Picked([given[k] for k in packed.chosen], packed.value, packed.bound, packed.optimal, restricted=True)


@dataclass(frozen=True)
class Packed:
    """CP-SAT's plan over a list of patterns: positions in that list, its value, its proven bound over the list."""

    chosen: list[int]
    value: float
    bound: float
    optimal: bool
    work: float     # CP-SAT's deterministic time used


def pack(p: CoreProblem, index: AgentArcs, agents: list[int], patterns: list[tuple[int, ...]], weights: np.ndarray,
         bonus_sign: float, rows: list[tuple[Row, float]], must: list[int], hint: list[bool] | None,
         work: float, options: SolverOptions, presolve: int | None = None) -> Packed | None:
    """The best set of ``patterns`` by CP-SAT: one per agent, one per job, each row within the limit given with it.

    Jobs in ``must`` are covered exactly once; agents with locked arcs take exactly one pattern.
    ``work`` is CP-SAT's deterministic time; ``presolve``, if given, its most presolve passes. None if it found no
    plan (it then used all of ``work``, or proved there is none).
    """
    model = cp_model.CpModel()
    x = [model.new_bool_var("") for _ in patterns]
    by_job: dict[int, list[int]] = {}
    by_agent: dict[int, list[int]] = {}
    for k, (agent, arcs) in enumerate(zip(agents, patterns, strict=True)):
        by_agent.setdefault(agent, []).append(k)
        for j in p.job[list(arcs)].tolist():
            by_job.setdefault(j, []).append(k)
    for j in must:
        terms = [x[k] for k in by_job.get(j, [])]
        model.add(sum(terms) == 1) if terms else model.add_bool_or([])
    for j, ks in by_job.items():
        if not p.must_cover[j] and len(ks) > 1:
            model.add_at_most_one([x[k] for k in ks])
    for a, ks in by_agent.items():
        (model.add_exactly_one if a in index.fixed else model.add_at_most_one)([x[k] for k in ks])
    bonus = [pattern_bonus(index, list(arcs)) for arcs in patterns]
    for row, limit in rows:
        coef = [round(row.of(arcs, b)) for arcs, b in zip(patterns, bonus, strict=True)]
        model.add(sum(c * x[k] for k, c in enumerate(coef) if c) <= math.floor(limit + 1e-6))
    value = [_worth(weights, arcs, bonus_sign, b) for arcs, b in zip(patterns, bonus, strict=True)]
    unit = int(np.gcd.reduce(np.abs(np.array(value, dtype=np.int64)))) or 1  # CP-SAT bounds whole units best
    model.maximize(sum((v // unit) * x[k] for k, v in enumerate(value) if v))
    if hint is not None:
        for var, on in zip(x, hint, strict=True):
            model.add_hint(var, on)
    solver = cp_model.CpSolver()
    solver.parameters.max_deterministic_time = work
    solver.parameters.max_time_in_seconds = max(options.time_limit_s, SAFETY * work)  # a safety net only
    solver.parameters.linearization_level = 2  # the LP of the set packing (measured: 0.13 % from the bound in 1.3 s)
    solver.parameters.num_workers = options.workers
    solver.parameters.random_seed = options.seed
    solver.parameters.interleave_search = options.workers > 1
    if presolve is not None:
        solver.parameters.max_presolve_iterations = presolve
    status = solver.solve(model)
    LOG.debug("CP-SAT over %d patterns: %s, %.1f (bound %.1f), %.1f s", len(patterns), solver.status_name(status),
              unit * solver.objective_value, unit * solver.best_objective_bound, solver.wall_time)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return Packed([k for k, var in enumerate(x) if solver.boolean_value(var)], unit * solver.objective_value,
                  unit * solver.best_objective_bound, status == cp_model.OPTIMAL, solver.deterministic_time)


def settle(p: CoreProblem, index: AgentArcs, pool: Pool, weights: np.ndarray, bonus_sign: float, rows: list[Row],
            prices: Prices, picked: Picked, step: float, options: SolverOptions,
            prefer: np.ndarray) -> tuple[Picked, float]:
    """Close the gap by listing every pattern a better plan could take (``pattern_reach``); the plan and its bound.

    A better plan is worth at least the plan's value plus ``step`` (the objective's granularity: the
    gcd of whole values, 0 otherwise); the listing reaches down to that value, or less far if that
    would list too many patterns (``pattern_reach.MAX_PATTERNS``). Once every pattern that a plan
    worth ``floor`` or more could take is in the pool, the best plan is the pool's best or below
    ``floor``.
    """
    floor = picked.value + step if step else picked.value
    reach = within_reach(p, prices, max(0.0, prices.bound - floor), prefer)
    added = sum(pool.add(agent, arcs) for agent, arcs in reach.patterns)
    solved = solve_pool(p, index, pool, weights, bonus_sign, rows, picked.chosen, options, prices, SETTLE_SHARE) \
        if added else picked
    LOG.debug("reach %.1f: %d patterns listed (%d new, complete: %s)", reach.reach, len(reach.patterns), added,
              reach.complete)
    if solved is None:  # CP-SAT found nothing over the larger pool in its time: the plan stands, unproven
        return picked, prices.bound
    better = solved if solved.value >= picked.value else picked
    if not reach.complete or solved.restricted:  # no claim: the listing missed patterns, or CP-SAT did not see all
        return better, prices.bound
    floor = prices.bound - reach.reach  # the listing may have reached less far than asked
    below = (math.ceil(floor / step - 1e-9) - 1) * step if step else floor
    over_pool = solved.value if solved.optimal else solved.pool_bound  # the best over the whole pool
    return better, min(prices.bound, max(over_pool, better.value, below))


def floor_to(bound: float, step: float) -> float:
    """The bound rounded down to the objective's granularity (no plan is worth the fraction above it)."""
    return math.floor(bound / step + 1e-9) * step if step else bound
