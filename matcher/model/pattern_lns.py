"""Large-neighbourhood search over the pattern pool: CP-SAT re-plans one region of the plan at a time.

At 20,000 providers CP-SAT cannot take the whole pool (72,000 patterns in the score stage): over
20,000 of them it returned its hint. But a plan is local: a supporter's patterns reach only
recipients near it. So the plan is improved one region at a time. A region is 120 supporters at
first, grown from a seed through the recipients their patterns share (so, near each other);
its supporters and the recipients they take are freed, the rest of the plan stays, and CP-SAT
picks the region's best set of pool patterns within what the rest leaves of every row (budget,
limits, holds of earlier stages), hinted with the region's own patterns, so it never does worse.
Seeds are the supporters that lose most against the bound's prices (their best pattern's reduced
value less that of the pattern the plan gives them): where the Lagrangian bound says the plan
gives most away. When every supporter has been in a region that found nothing better, the next
pass takes regions twice as large: what a region of one size can see has been tried. After the
largest pass, if any region of the cycle improved the plan, the passes start again from the
smallest: the plan they see has moved. At 20,000 providers (coverage, seed 1) the cycles took the
LP's plan to 790,000 against a bound of 790,600 (0.076 %) where one cycle stopped at 789,700.

A region can spend only what the rest of the plan leaves of each row: once a hold of an earlier
stage is tight, no region can give up some of it where that saves much to take it back where it
costs little, so the regions stall where the LP does not. When ``PATIENCE`` of work passes without a
better region, or once they have spent ``PLAIN`` of the work by the stage's own weights, the next
``PRICED`` share of the work left weighs each pattern at its value less the
bound's prices of the side rows times its coefficients (the LP's price of a unit of coverage or score
held, or of the budget): regions then take held value where it is cheap and give it up where it is
dear, as the LP does, and the rest of the work re-plans by the stage's own weights, spending the
slack that left. At 20,000 providers (seed 1) the spend stage's regions from the score stage's plan
(£3,193.6m against a bound of £3,135.0m) reached £3,186.8m (1.63 %) by the stage's weights alone, and
£3,146.9m (0.38 %) with 160 of the 200 priced. The score stage's regions never stall (a better one
every few seconds) but their gains dwindle: from its repaired start (2,894,343 against 2,925,770) all
200 by its own weights reached 2,918,346 (0.254 %); 20, 40 or 60 of them first, then 140, 120 or 100
at the prices, 0.218, 0.182 and 0.217 %. With 40 first: seed 2 0.401 % against 0.467 %, and seed 1 from a
better coverage plan (a tighter hold) 0.344 % against 0.327 %.
Every limit counts work (CP-SAT's deterministic time), never the clock.
"""
from __future__ import annotations

import logging
import math
from collections import deque
from dataclasses import dataclass, field

import numpy as np

from .pattern_master import Row, meets, pattern_bonus
from .pattern_pool import Pool, pack
from .pattern_pricing import AgentArcs
from .pattern_reach import Prices
from .pattern_round import reduced, row_lhs
from .problem import CoreProblem, SolverOptions

LOG = logging.getLogger(__name__)

REGION = 120        # supporters freed at once in the first pass (each pass doubles it)
#: Work without a better region after which the regions count as stalled (module text). At 20,000 providers the
#: score stage's regions found a better one every few seconds; in the spend stage one region gained £6.1m in the
#: first 10 and none the next 180 (a rule on the first 10's share of the gap took that for progress).
PATIENCE = 20.0
#: Share of ``WORK`` the regions spend by the stage's own weights before they re-plan at the prices, unless they
#: stall first (module text)
PLAIN = 0.2
#: Share of the work left that the regions then spend at the bound's side prices (module text)
PRICED = 0.8
REGION_WORK = 1.0   # CP-SAT's deterministic time per region of REGION supporters (in proportion for larger ones)
#: Largest region, in multiples of REGION. At 20,000 providers (coverage) the pass of 120 gained 7,400, that of 240
#: 1,800 and that of 480 100 in 140 s (regions of 12,000 patterns and more take CP-SAT 5 to 40 s each).
LARGEST = 2
#: CP-SAT's deterministic time for all regions of one stage, as it reports using it (at 20,000 providers the score
#: stage spent all of it, 422 regions of 120 and 104 of 240, and was still improving)
WORK = 200.0
PRESOLVE = 1        # CP-SAT's presolve passes per region
#: CP-SAT's deterministic time for ``repair``, in steps of REPAIR_STEP (each a round of regions). At 20,000 providers
#: (score) one step took the LP's plan from a coverage of 764,500 to 790,500 against a hold of 789,000, and from a
#: score of 2,792,584 to 2,897,986; the regions from the coverage plan (1,753,651) had reached 2,892,700 with all 200.
REPAIR_WORK = 40.0
REPAIR_STEP = 10.0


@dataclass
class _Links:
    """The pool as a graph: each pattern's jobs, each agent's patterns, each job's agents."""

    jobs: list[tuple[int, ...]]
    patterns_of: dict[int, list[int]]
    agents_of: dict[int, set[int]]

    @classmethod
    def of(cls, p: CoreProblem, pool: Pool) -> _Links:
        jobs = [tuple(p.job[list(arcs)].tolist()) for arcs in pool.arcs]
        patterns_of: dict[int, list[int]] = {}
        agents_of: dict[int, set[int]] = {}
        for k, agent in enumerate(pool.agent):
            patterns_of.setdefault(agent, []).append(k)
            for j in jobs[k]:
                agents_of.setdefault(j, set()).add(agent)
        return cls(jobs, patterns_of, agents_of)


@dataclass
class _Terms:
    """Each pattern's value in the stage and its coefficients in the rows, worked out once."""

    index: AgentArcs
    pool: Pool
    weights: np.ndarray
    bonus_sign: float
    rows: list[Row]
    known: dict[int, tuple[float, np.ndarray]] = field(default_factory=dict)

    def of(self, k: int) -> tuple[float, np.ndarray]:
        if k not in self.known:
            arcs = self.pool.arcs[k]
            bonus = pattern_bonus(self.index, list(arcs))
            self.known[k] = (float(self.weights[list(arcs)].sum()) + self.bonus_sign * bonus,
                             np.array([row.of(arcs, bonus) for row in self.rows]))
        return self.known[k]

    def value(self, patterns: set[int]) -> float:
        return sum(self.of(k)[0] for k in patterns)

    def lhs(self, patterns: set[int]) -> np.ndarray:
        return sum((self.of(k)[1] for k in patterns), np.zeros(len(self.rows)))


@dataclass
class _Plan:
    """The plan as it stands: each agent's pattern, each job's, and the rows' left-hand sides (kept up to date)."""

    of_agent: dict[int, int]
    of_job: dict[int, int]
    lhs: np.ndarray

    @classmethod
    def of(cls, chosen: list[int], pool: Pool, links: _Links, terms: _Terms) -> _Plan:
        plan = cls({}, {}, terms.lhs(set(chosen)))
        for k in chosen:
            plan._take(k, pool, links)
        return plan

    def _take(self, k: int, pool: Pool, links: _Links) -> None:
        self.of_agent[pool.agent[k]] = k
        self.of_job.update((j, k) for j in links.jobs[k])

    def swap(self, old: set[int], new: set[int], pool: Pool, links: _Links, terms: _Terms) -> None:
        for k in old:
            del self.of_agent[pool.agent[k]]
            for j in links.jobs[k]:
                del self.of_job[j]
        for k in new:
            self._take(k, pool, links)
        self.lhs = self.lhs - terms.lhs(old) + terms.lhs(new)


def repair(p: CoreProblem, index: AgentArcs, pool: Pool, weights: np.ndarray, bonus_sign: float, rows: list[Row],
           chosen: list[int], prices: Prices, options: SolverOptions) -> list[int] | None:
    """``chosen`` (keeping every rule and row but the holds) re-planned by regions until every hold is met, or None.

    Holds are met one at a time: the regions weigh the hold's own stage ``M`` times above this
    stage's weights, ``M`` more than any pattern's worth here per unit of the hold, so a region first
    takes back what the hold lacks, then the most value it can; the holds already met and every other
    row stay hard. At most ``REPAIR_WORK`` in all; None if a hold is still short, or the plan misses a
    must-cover job or a locked agent.
    """
    spent, plan = 0.0, list(chosen)
    for hold in (row for row in rows if row.hold):
        hard = [row for row in rows if row is not hold and (not row.hold or _met(pool, index, row, plan))]
        need = -hold.coef  # the hold's stage (a >= row written as <=)
        units = np.abs(need[need != 0])
        scale = 1 + np.ceil(3 * np.abs(weights).max(initial=0.0) / (units.min() if len(units) else 1.0))
        while not _met(pool, index, hold, plan) and spent < REPAIR_WORK:
            before = row_lhs(index, pool, hold, plan)
            plan, used, _ = _improve(p, index, pool, weights + scale * need, bonus_sign, hard, plan, prices, options,
                                     REPAIR_STEP)
            spent += used
            if row_lhs(index, pool, hold, plan) >= before:
                return None  # the regions took nothing back
    patterns = [(pool.agent[k], pool.arcs[k]) for k in plan]
    return plan if meets(p, index, rows, patterns) else None


def improve(p: CoreProblem, index: AgentArcs, pool: Pool, weights: np.ndarray, bonus_sign: float, rows: list[Row],
            chosen: list[int], prices: Prices, options: SolverOptions,
            side_prices: np.ndarray | None = None) -> list[int]:
    """The plan ``chosen`` (pool positions, keeping every rule and row) improved region by region (module text).

    Each pass re-plans regions of one size from every seed not yet in one (a region that improved frees its
    agents to seed again); the next pass doubles the size, up to ``LARGEST`` times ``REGION``, and the passes
    start again from ``REGION`` while a cycle of them improves the plan, until ``WORK`` is spent. If the
    bound's side prices (``side_prices``, per row) are not all 0, then once ``PATIENCE`` of work passes without
    a better region, or ``PLAIN`` of ``WORK`` is spent, the regions weigh each pattern at its value less those
    prices times its rows for ``PRICED`` of the work left, then at its value alone again (module text).
    """
    if side_prices is None or not side_prices.any():  # nothing to price: the stage's own weights throughout
        return _improve(p, index, pool, weights, bonus_sign, rows, chosen, prices, options, WORK)[0]
    plan, spent, stalled = _improve(p, index, pool, weights, bonus_sign, rows, chosen, prices, options,
                                    PLAIN * WORK, PATIENCE)
    LOG.debug("regions: %s after %.1f of work; they re-plan at the bound's side prices",
              "stalled" if stalled else "done by the stage's weights", spent)
    y = side_prices.tolist()
    plan, used, _ = _improve(p, index, pool, reduced(p, rows, weights, side_prices),
                             bonus_sign - sum(v * row.bonus for row, v in zip(rows, y, strict=True)), rows,
                             plan, prices, options, PRICED * (WORK - spent))
    return _improve(p, index, pool, weights, bonus_sign, rows, plan, prices, options, WORK - spent - used)[0]


def _improve(p: CoreProblem, index: AgentArcs, pool: Pool, weights: np.ndarray, bonus_sign: float, rows: list[Row],
             chosen: list[int], prices: Prices, options: SolverOptions, budget: float,
             patience: float = math.inf) -> tuple[list[int], float, bool]:
    """``improve`` within ``budget`` of CP-SAT's deterministic time: the plan, the work used, whether it stalled.

    It stalls, and stops, once more than ``patience`` of the work passes without a better region.
    """
    links = _Links.of(p, pool)
    terms = _Terms(index, pool, weights, bonus_sign, rows)
    plan = _Plan.of(chosen, pool, links, terms)
    spent, size, better = 0.0, REGION, 0.0  # better: the work spent when a region last improved
    improved = False  # in this cycle of passes
    while spent < budget:
        freed: set[int] = set()
        for seed in _seeds(pool, prices, set(plan.of_agent.values()), len(p.capacity)):
            if spent >= budget:
                break
            if spent - better > patience:
                return sorted(plan.of_agent.values()), spent, True
            if seed in freed or seed not in links.patterns_of:
                continue
            region = _region(seed, links, size)
            freed |= region
            own = {plan.of_agent[a] for a in region if a in plan.of_agent}
            new, work = _replan(p, index, pool, links, terms, plan, own, region,
                                REGION_WORK * len(region) / REGION, options)
            spent += work
            if new is not None:
                plan.swap(own, new, pool, links, terms)
                freed -= region  # an improved region may open more: its agents may seed again
                better, improved = spent, True
        if size < min(len(links.patterns_of), LARGEST * REGION):
            size *= 2
        elif improved:  # the plan moved since the smallest regions saw it: they may find more
            LOG.debug("regions: the passes improved the plan; again from %d agents at %.1f of work", REGION, spent)
            size, improved = REGION, False
        else:
            break
    return sorted(plan.of_agent.values()), spent, False


def _met(pool: Pool, index: AgentArcs, row: Row, plan: list[int]) -> bool:
    return row_lhs(index, pool, row, plan) <= row.limit + 1e-6 * max(1.0, abs(row.limit))


def _replan(p: CoreProblem, index: AgentArcs, pool: Pool, links: _Links, terms: _Terms, plan: _Plan,
            own: set[int], region: set[int], work: float, options: SolverOptions) -> tuple[set[int] | None, float]:
    """The region's best patterns by CP-SAT in ``work``, the rest of ``plan`` kept, and the work it used.

    The patterns are None unless worth more than ``own`` (the region's patterns in the plan).
    """
    given = [k for a in sorted(region) for k in links.patterns_of.get(a, [])
             if all(plan.of_job.get(j, -1) in own or j not in plan.of_job for j in links.jobs[k])]
    used = plan.lhs - terms.lhs(own)
    left = [(row, row.limit - u) for row, u in zip(terms.rows, used.tolist(), strict=True)]
    must = sorted({j for k in own for j in links.jobs[k] if p.must_cover[j]})
    packed = pack(p, index, [pool.agent[k] for k in given], [pool.arcs[k] for k in given], terms.weights,
                  terms.bonus_sign, left, must, [k in own for k in given], work, options, PRESOLVE)
    if packed is None:
        return None, work
    new = {given[k] for k in packed.chosen}
    limits = np.array([row.limit for row in terms.rows])
    # Better by half a unit at least: a stage's weights are whole, priced ones fractional (their float noise is not)
    if terms.value(new) <= terms.value(own) + 0.5 or (used + terms.lhs(new) > limits + 1e-6).any():
        return None, packed.work
    LOG.debug("region of %d agents: %d patterns, %.1f -> %.1f", len(region), len(given), terms.value(own),
              terms.value(new))
    return new, packed.work


def _seeds(pool: Pool, prices: Prices, plan: set[int], agents: int) -> list[int]:
    """Agents by how much their plan pattern falls short of their best at the bound's prices, most first."""
    loss = prices.top[:agents].astype(np.float64).copy()
    for k in plan:
        loss[pool.agent[k]] -= prices.of(pool.arcs[k])
    return np.lexsort((np.arange(agents), -loss)).tolist()


def _region(seed: int, links: _Links, size: int) -> set[int]:
    """Up to ``size`` agents grown from ``seed`` breadth first through the jobs their patterns share."""
    region = {seed}
    queue = deque([seed])
    while queue and len(region) < size:
        agent = queue.popleft()
        jobs = sorted({j for k in links.patterns_of.get(agent, []) for j in links.jobs[k]})
        for j in jobs:
            for other in sorted(links.agents_of.get(j, ())):
                if other not in region and len(region) < size:
                    region.add(other)
                    queue.append(other)
    return region
