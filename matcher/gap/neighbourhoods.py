"""Adaptive large-neighbourhood search: free some jobs, re-solve them exactly with CP-SAT, keep any gain.

A plain CP-SAT call on one worker explores one search tree and stalls above the optimum on the
larger Chu-Beasley instances; re-solving small neighbourhoods from the incumbent moves much
faster. Four kinds of neighbourhood, three guided by a relaxation (fix-and-optimise on the
jobs the relaxations are least sure of, as in RINS) and one by other good plans:

- ``lp``: the jobs whose current agent the LP does not fully agree with (at most
  ``DISAGREE_CAP`` of them) and some random jobs;
- ``lagrangian``: jobs drawn from those whose current agent least often took them in the
  Lagrangian knapsack solutions (``LagrangianDual.frequency``);
- ``agents``: the LP's disagreements and every job of ``AGENTS_FREED`` random agents;
- ``elite``: the jobs on which the plan and another of the best plans found (by the repairs
  or by this search) disagree, and a few random jobs: path relinking (Glover; Yagiura, Ibaraki
  and Glover 2006) with CP-SAT choosing the best mix of the two.

Which kind works depends on the family (measured with the same work on the generated D and E
instances and OR-Library's C: ``lp`` gains most on D, ``lagrangian`` on E; with ``elite`` the
worst of 20 D instances went from 0.73 % to 0.32 % above the best known), so each is drawn
with a probability that follows its recent gains (adaptive LNS, Ropke and Pisinger 2006). Each
kind's size adapts: it grows while its neighbourhoods are solved to optimality and shrinks when
one runs out of work. A plan as good as the incumbent replaces it, so the search walks across
plateaus of equal cost. Every limit is work (CP-SAT deterministic time, each call counted as at
least ``CALL_WORK`` for building the model), so a run repeats itself; the deadline is only a
safety net.
"""
from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Sequence

import numpy as np

from .instance import GapInstance
from .subproblem import solve_on_arcs

KINDS = ("lp", "lagrangian", "agents", "elite")
#: Jobs each kind frees at first (besides the LP's disagreements), the step by which that number adapts,
#: and its lower limit.
START_FREE, STEP_FREE, MIN_FREE = {"lp": 15, "lagrangian": 30, "agents": 0, "elite": 5}, 2, 5
#: Distinct best plans kept for the ``elite`` neighbourhood.
ELITE = 5
#: Agents whose jobs are all freed in the ``agents`` neighbourhood.
AGENTS_FREED = 2
#: At most this many of the jobs the LP disagrees on are freed at once (on Laguna E instances
#: with 20 agents, about 45 disagree, and freeing all of them makes every neighbourhood time out).
DISAGREE_CAP = 25
#: The ``lagrangian`` neighbourhood draws its jobs from this many times as many least-agreed jobs.
POOL = 1.5
#: The LP value below which an arc counts as disagreeing with the plan.
AGREES = 0.999
#: CP-SAT deterministic time one neighbourhood may take, and the least any call is counted as
#: (building the model costs about as much as a hundredth of a unit of search).
NEIGHBOURHOOD_WORK, CALL_WORK = 0.1, 0.01
#: Weight of a kind's past in its score, and the reward of a neighbourhood that gained (others get 1).
DECAY, GAIN_REWARD = 0.8, 5.0
#: Neighbourhoods in a row without a strict gain after which the search gives up.
PATIENCE = 60


def improve_by_neighbourhoods(instance: GapInstance, cost: np.ndarray, lp_x: np.ndarray, frequency: np.ndarray,
                              plan: np.ndarray, lower: int, work: float, deadline: float, seed: int,
                              arcs_for: Callable[[np.ndarray], np.ndarray],
                              others: Sequence[np.ndarray] = ()) -> tuple[np.ndarray, float]:
    """The best plan found by re-solving neighbourhoods, and the work used.

    ``lp_x`` is the LP solution and ``frequency`` the share of kept knapsack solutions that
    took each arc (both agents x jobs); ``arcs_for(plan)`` gives the arcs that may be in a plan
    cheaper than ``plan``; ``others`` are other good plans (the ``elite`` neighbourhood relinks
    the plan with them). Stops once ``work`` is used, when the plan costs ``lower``, or after
    ``PATIENCE`` neighbourhoods in a row without a strict gain.
    """
    rng = np.random.default_rng(seed)
    jobs = np.arange(instance.jobs)
    value = int(cost[plan, jobs].sum())
    elite = _best_distinct([plan, *others], cost)
    arcs = arcs_for(plan)
    size = dict(START_FREE)
    score = dict.fromkeys(KINDS, 1.0)
    last_gain, used = 0, 0.0
    for iteration in itertools.count():
        remaining = deadline - time.perf_counter()
        if used >= work or remaining <= 0 or value <= lower or iteration - last_gain >= PATIENCE:
            break
        weights = np.array([score[kind] for kind in KINDS])
        kind = KINDS[int(rng.choice(len(KINDS), p=weights / weights.sum()))]
        free = _neighbourhood(kind, lp_x, frequency, plan, size[kind], rng, elite)
        capacity = instance.capacity - _load(instance, plan, ~free)
        outcome = solve_on_arcs(instance, cost, arcs, np.flatnonzero(free), capacity, plan,
                                min(NEIGHBOURHOOD_WORK, work - used), remaining, seed + iteration)
        used += max(outcome.work, CALL_WORK)
        new_value = None if outcome.plan is None else int(cost[outcome.plan, jobs].sum())
        reward = 1.0
        if outcome.plan is not None and new_value is not None and new_value <= value:
            # An equal plan is taken too: the search walks across plateaus.
            if new_value < value:
                last_gain, reward = iteration, GAIN_REWARD
                arcs = arcs_for(outcome.plan)
                elite = _best_distinct([outcome.plan, *elite], cost)
            plan, value = outcome.plan, new_value
        score[kind] = DECAY * score[kind] + (1 - DECAY) * reward
        if outcome.status == "OPTIMAL":
            size[kind] = min(size[kind] + STEP_FREE, instance.jobs)
        else:
            size[kind] = max(size[kind] - STEP_FREE, MIN_FREE)
    return plan, used


def _neighbourhood(kind: str, lp_x: np.ndarray, frequency: np.ndarray, plan: np.ndarray, count: int,
                   rng: np.random.Generator, elite: list[np.ndarray]) -> np.ndarray:
    """The jobs to free (a Boolean mask) for one neighbourhood of the given kind (see the module docstring)."""
    agents, jobs = lp_x.shape
    free = np.zeros(jobs, dtype=bool)
    others = [other for other in elite if not np.array_equal(other, plan)]
    if kind == "elite" and others:
        free = plan != others[int(rng.integers(len(others)))]
        free[rng.choice(jobs, size=min(count, jobs), replace=False)] = True
        return free
    if kind == "lagrangian":
        agreement = frequency[plan, np.arange(jobs)] + 1e-9 * rng.random(jobs)   # random among equals
        pool = np.argsort(agreement, kind="stable")[:min(int(POOL * count) + 1, jobs)]
        free[rng.choice(pool, size=min(count, len(pool)), replace=False)] = True
        return free
    disagree = np.flatnonzero(lp_x[plan, np.arange(jobs)] < AGREES)
    if len(disagree) > DISAGREE_CAP:
        disagree = rng.choice(disagree, size=DISAGREE_CAP, replace=False)
    free[disagree] = True
    if kind == "agents":
        free |= np.isin(plan, rng.choice(agents, size=min(AGENTS_FREED, agents), replace=False))
    free[rng.choice(jobs, size=min(count, jobs), replace=False)] = True
    return free


def _best_distinct(plans: Sequence[np.ndarray], cost: np.ndarray) -> list[np.ndarray]:
    """The ``ELITE`` cheapest distinct plans, cheapest first (ties keep their order)."""
    kept: list[np.ndarray] = []
    for plan in sorted(plans, key=lambda p: int(cost[p, np.arange(cost.shape[1])].sum())):
        if not any(np.array_equal(plan, other) for other in kept):
            kept.append(plan)
    return kept[:ELITE]


def _load(instance: GapInstance, plan: np.ndarray, jobs: np.ndarray) -> np.ndarray:
    """Capacity each agent uses for the selected jobs (a Boolean mask over jobs)."""
    chosen = np.flatnonzero(jobs)
    return np.bincount(plan[chosen], weights=instance.use[plan[chosen], chosen],
                       minlength=instance.agents).astype(np.int64)
