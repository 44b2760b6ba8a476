"""Column generation for one stage of the pattern formulation, with smoothed prices.

Each round solves the restricted master LP (``pattern_master``: GLOP, or PDLP past
``PDLP_ABOVE`` patterns) over the patterns so far and prices every agent at once
(``pattern_batch``). Any job prices ``pi`` (at least 0 where a job may
stay uncovered) and side prices ``y >= 0`` give a proven bound, the Lagrangian

    L(pi, y) = sum(pi) + sum(y * limits) + sum over agents of max(0, best reduced pattern value),

so pricing need not happen at the LP's own duals. On large sets those jump from round to round
(the master is very degenerate) and the bound they give closes slowly. Following Wentges (1997),
each round prices at a point between the duals of the best bound so far (the *centre*) and the
LP's duals, ``alpha * centre + (1 - alpha) * LP``: the bound there is as valid, and tends to be
better. A pattern enters the LP only if it is worth more than its agent's price *at the LP's
duals*; if the smoothed point yields none (a *mis-pricing*), the round prices at the LP's duals
too and ``alpha`` is halved. Pricing at the LP's duals with nothing to add proves the LP optimal,
so column generation still stops only where it is done, or on its round limit.
"""
from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass

import numpy as np

from .pattern_batch import Found, price_all
from .pattern_master import PDLP_EPS, MasterLp, Row, meets
from .pattern_pool import Pool
from .pattern_pricing import AgentArcs
from .pattern_reach import Prices
from .problem import CoreProblem

LOG = logging.getLogger(__name__)

#: Column generation rounds per stage: 2,000 providers converge in 9 to 14; at 20,000 (seed 1) the coverage bound
#: took 27 (after 15 it was 855,807 against an LP of 790,495; after 30, 790,591) and the score bound 26.
MAX_ROUNDS = 30
LP_TOLERANCE = 2e-5     # stop pricing once the LP is this close (relative) to the best bound
#: The same for a PDLP master, whose LP value is itself only within PDLP_EPS (at 20,000 it moved by about 1e-4 from
#: round to round, and once stood above the proven bound).
PDLP_TOLERANCE = 2 * PDLP_EPS
QUICK_ROUNDS = 4        # rounds priced by the quick search first (pattern_batch.QUICK_LIMIT)
#: The same for a PDLP master without elastic columns (a later stage at scale, its pool holding the earlier
#: stages' patterns). At 20,000 providers the quick search gave the spend stage a bound of -1.43e9 for four rounds of
#: 60 to 95 s each, the exact one -3.134e9 at once (the LP -3.135e9 from the first round); it prices in 5 to 7 s.
LEAN_QUICK_ROUNDS = 0
PDLP_ABOVE = 15_000     # patterns past which the master is solved by PDLP (pattern_master; 2,000 providers: 3 to 7,000)
SUPPORT = 1e-3          # a pattern the LP takes more of is in its support (PDLP's solutions are approximate)
SMOOTHING = 0.5         # alpha: the centre's share of the point priced (0: the LP's duals, as unsmoothed)


@dataclass(frozen=True)
class Duals:
    """Job prices and side-row prices (per unit of each row's own coefficients)."""

    job: np.ndarray
    side: np.ndarray

    def towards(self, other: Duals, alpha: float) -> Duals:
        """``alpha`` of these and ``1 - alpha`` of ``other``: prices of the same signs, so a bound holds there too."""
        return Duals(alpha * self.job + (1 - alpha) * other.job, alpha * self.side + (1 - alpha) * other.side)


@dataclass(frozen=True)
class Generated:
    """What column generation left: the prices of the best bound, the last LP's value, plan and support.

    The plan is every pattern the LP takes more than half of, its support every pattern it takes
    any of, most taken first (both as pool positions).
    """

    prices: Prices
    side_prices: np.ndarray  # of the best bound, per side row
    lp_value: float
    rounded: list[int]
    support: list[int]


class _Stage:
    """One stage's weights and side rows: reduced arc values at any prices."""

    def __init__(self, p: CoreProblem, index: AgentArcs, rows: list[Row], weights: np.ndarray, bonus_sign: float):
        self.p, self.index, self.rows, self.weights, self.bonus_sign = p, index, rows, weights, bonus_sign

    def reduced(self, duals: Duals) -> Prices:
        """Each arc's value less its job's and the side rows' prices; ``bound`` holds only the prices' part of L."""
        value = self.weights - duals.job[self.p.job]
        side = duals.side.tolist()
        for row, y in zip(self.rows, side, strict=True):
            if y:
                value = value - y * row.coef
        # A pattern's bonus counts (bonus_sign - the side rows' bonus prices) per bonus pair.
        bonus_weight = self.bonus_sign - sum(y * r.bonus for r, y in zip(self.rows, side, strict=True))
        priced, with_bonus = _scaled(self.index, bonus_weight)
        base = float(duals.job.sum()) + float(sum(y * r.limit for r, y in zip(self.rows, side, strict=True)))
        return Prices(base, value, priced, with_bonus, np.zeros(0))


def generate(p: CoreProblem, index: AgentArcs, pool: Pool, weights: np.ndarray, bonus_sign: float,
             rows: list[Row], plan: list[int] | None = None) -> Generated | None:
    """Column generation for one stage (see the module text); None when the LP has no solution (no plan exists).

    ``plan`` (pool positions), if it meets every row, spares a PDLP master its elastic columns (``pattern_master``;
    a GLOP master keeps them: without them, at 2,000 providers, column generation took other paths, the spend
    stage of seed 4 ended 0.047 % from its bound where it had been proven, and its stages took 54.6 s, not 24.3).
    """
    stage = _Stage(p, index, rows, weights, bonus_sign)
    method = "PDLP" if len(pool.arcs) > PDLP_ABOVE else "GLOP"
    lean = method == "PDLP" and plan is not None and meets(p, index, rows, [(pool.agent[k], pool.arcs[k])
                                                                             for k in plan])
    lp = MasterLp(p, index, rows, weights, bonus_sign, method, elastic=not lean)
    LOG.debug("master by %s over %d patterns, elastic columns: %s", method, len(pool.arcs), not lean)
    for agent, arcs in zip(pool.agent, pool.arcs, strict=True):
        lp.add(agent, arcs)
    best = _Best(alpha=SMOOTHING)
    quick_rounds = LEAN_QUICK_ROUNDS if lean else QUICK_ROUNDS
    added, lp_value = 0, -np.inf
    for round_ in range(MAX_ROUNDS):
        started = time.perf_counter()
        if not lp.solve():
            return None
        solved = time.perf_counter()
        lp_value = lp.value_of_solution()
        duals = Duals(*lp.duals())
        at_lp = stage.reduced(duals)
        agent_price = np.array([c.dual_value() for c in lp.agent_rows])
        # The first rounds search quickly (prices are low and many patterns tie; not for a lean master, whose pool
        # holds the earlier stages'); the exact search follows when a quick one finds nothing, and prices every
        # later round, so the bound tightens as the LP does.
        for quick in ((True, False) if round_ < quick_rounds else (False,)):
            for point in best.points(duals):
                here, found = _priced(p, at_lp if point is duals else stage.reduced(point), quick)
                best.keep(here, point)
                added = _add(pool, lp, found, at_lp, agent_price)
                if added:
                    break
                if point is not duals:  # mis-priced: nothing the LP wants at the smoothed point
                    best.alpha /= 2
            tolerance = PDLP_TOLERANCE if lp.method == "PDLP" else LP_TOLERANCE
            converged = best.bound() - lp_value <= tolerance * max(1.0, abs(lp_value))
            if added or converged:
                break
        LOG.debug("patterns: LP %.1f, bound %.1f, %d added (alpha %.3f); LP %.2f s, pricing %.2f s", lp_value,
                  best.bound(), added, best.alpha, solved - started, time.perf_counter() - solved)
        if not added or converged:
            break
    else:  # out of rounds: the LP has new patterns; price once more, exactly, for the bound
        if not lp.solve():
            return None
        lp_value = lp.value_of_solution()
        point = best.points(Duals(*lp.duals()))[0]
        best.keep(_priced(p, stage.reduced(point), False)[0], point)
        added = 0
    if added:  # the rounded plan below is read from the LP over every pattern added
        if not lp.solve():
            return None
        lp_value = lp.value_of_solution()
    if best.prices is None:  # unreachable: MAX_ROUNDS is at least 1
        return None
    taken = np.array([v.solution_value() for v in lp.columns])
    support = np.flatnonzero(taken > SUPPORT)
    side = best.centre.side if best.centre is not None else np.zeros(len(rows))
    return Generated(best.prices, side, lp_value, np.flatnonzero(taken > 0.5).tolist(),
                     support[np.argsort(-taken[support], kind="stable")].tolist())


@dataclass
class _Best:
    """The best bound so far, the prices that gave it (the centre), and the centre's share of the next point priced."""

    alpha: float
    prices: Prices | None = None
    centre: Duals | None = None

    def bound(self) -> float:
        return self.prices.bound if self.prices is not None else math.inf

    def points(self, duals: Duals) -> list[Duals]:
        """Where to price, in order: the smoothed point (if any), then the LP's own duals."""
        if self.centre is None or not self.alpha:
            return [duals]
        return [self.centre.towards(duals, self.alpha), duals]

    def keep(self, here: Prices, point: Duals) -> None:
        """Keep ``here`` if its bound is the best so far, and its prices as the centre."""
        if here.bound < self.bound():
            self.prices, self.centre = here, point


def _priced(p: CoreProblem, at: Prices, quick: bool) -> tuple[Prices, list[Found]]:
    """Every agent priced at ``at``'s prices: the bound there, with each agent's top, and each agent's patterns."""
    tops, found = price_all(p, at.index, at.value, at.with_bonus, quick)
    return Prices(at.bound + float(tops.sum()), at.value, at.index, at.with_bonus, tops), found


def _add(pool: Pool, lp: MasterLp, found: list[Found], at_lp: Prices, agent_price: np.ndarray) -> int:
    """Add to the pool and the LP every found pattern worth more than its agent's price at the LP's duals.

    Patterns found at a smoothed point are valued again at the LP's duals (``at_lp``); how many were new.
    """
    added = 0
    for a, patterns in enumerate(found):
        for _, arcs in patterns:
            if not arcs:
                continue
            v = at_lp.of(arcs)
            if v - agent_price[a] > 1e-6 * max(1.0, abs(v)) and pool.add(a, arcs):
                lp.add(a, arcs)
                added += 1
    return added


def _scaled(index: AgentArcs, bonus_weight: float) -> tuple[AgentArcs, bool]:
    """The arcs with each bonus pair worth ``bonus_weight`` times its bonus, and whether bonuses count at all.

    A bonus weight of 0 or less is left out of pricing: it can only lower a pattern, so the bound still holds.
    """
    if bonus_weight <= 1e-12 or not index.bonus:
        return index, False
    if bonus_weight == 1.0:
        return index, True
    return AgentArcs(index.order, index.starts, index.fixed, {k: v * bonus_weight for k, v in index.bonus.items()},
                     index.bonus_of_arc * bonus_weight, index.bonus_ptr, index.bonus_other,
                     index.bonus_worth * bonus_weight), True
