"""Large-neighbourhood search: free a few jobs, re-solve them exactly with CP-SAT, keep any gain.

A plain CP-SAT call on one worker explores one search tree and, on the larger Chu-Beasley
instances, stalls a few units above the optimum. Re-solving small neighbourhoods from the
incumbent moves much faster. The neighbourhoods are guided by the LP relaxation, as in RINS:
the jobs whose current agent the LP does not fully agree with are always freed (about as many
as there are agents near the optimum), together with some random jobs or, every third time,
every job of two random agents. The number of random jobs adapts: it grows while
neighbourhoods are solved to optimality (they can afford to be bigger) and shrinks when one
runs out of time. A plan as good as the incumbent replaces it, so the search walks across
plateaus of equal cost instead of re-solving the same neighbourhood.
"""
from __future__ import annotations

import itertools
import time

import numpy as np

from .instance import GapInstance
from .relaxation import Relaxation, useful_arcs
from .subproblem import solve_on_arcs

#: Random jobs freed at first, the step by which that number adapts, and its bounds (measured on C).
START_FREE, STEP_FREE, MIN_FREE, MAX_FREE = 15, 1, 5, 30
#: Agents whose jobs are all freed in the alternate neighbourhood.
AGENTS_FREED = 2
#: At most this many of the jobs the LP disagrees on are freed at once (on Laguna E instances
#: with 20 agents, about 45 disagree, and freeing all of them makes every neighbourhood time out).
DISAGREE_CAP = 25
#: Neighbourhoods in a row without a strict gain after which the search gives up.
PATIENCE = 20
#: Seconds one neighbourhood may take (most take a few hundredths; far from the optimum, a
#: big neighbourhood cut short still gains a lot, as on the D and E instances).
NEIGHBOURHOOD_SECONDS = 0.5
#: The LP value below which an arc counts as disagreeing with the plan.
AGREES = 0.999


def improve_by_neighbourhoods(instance: GapInstance, cost: np.ndarray, relaxation: Relaxation, plan: np.ndarray,
                              lower: int, deadline: float, seed: int = 0) -> np.ndarray:
    """The best plan found by re-solving neighbourhoods.

    Stops at ``deadline``, when the plan costs ``lower``, or after ``PATIENCE`` neighbourhoods
    in a row without a strict gain (then CP-SAT makes better use of the time).
    """
    rng = np.random.default_rng(seed)
    jobs = np.arange(instance.jobs)
    value = int(cost[plan, jobs].sum())
    arcs = useful_arcs(relaxation, cost, plan)
    free_count = min(START_FREE, instance.jobs)
    last_gain = 0
    for iteration in itertools.count():
        remaining = deadline - time.perf_counter()
        if remaining <= 0 or value <= lower or iteration - last_gain >= PATIENCE:
            break
        free = _neighbourhood(relaxation, plan, free_count, by_agent=iteration % 3 == 2, rng=rng)
        if not free.any():  # two idle agents and an LP that agrees everywhere: nothing to re-solve
            continue
        capacity = instance.capacity - _load(instance, plan, ~free)
        outcome = solve_on_arcs(instance, cost, arcs, np.flatnonzero(free), capacity, plan,
                                min(NEIGHBOURHOOD_SECONDS, remaining), seed + iteration)
        # An equal plan is taken too: the search walks across plateaus.
        if outcome.plan is not None and (new_value := int(cost[outcome.plan, jobs].sum())) <= value:
            last_gain = iteration if new_value < value else last_gain
            plan, value = outcome.plan, new_value
            arcs = useful_arcs(relaxation, cost, plan)
        if outcome.status == "OPTIMAL":
            free_count = min(free_count + STEP_FREE, MAX_FREE)
        else:
            free_count = max(free_count - STEP_FREE, MIN_FREE)
    return plan


def _neighbourhood(relaxation: Relaxation, plan: np.ndarray, free_count: int, by_agent: bool,
                   rng: np.random.Generator) -> np.ndarray:
    """Jobs to free: where the LP disagrees, plus some at random.

    Those the LP disagrees on (a random ``DISAGREE_CAP`` of them when there are more), plus
    ``free_count`` random jobs or every job of a few random agents.
    """
    agents, jobs = relaxation.x.shape
    free = np.zeros(jobs, dtype=bool)
    disagree = np.flatnonzero(relaxation.x[plan, np.arange(jobs)] < AGREES)
    if len(disagree) > DISAGREE_CAP:
        disagree = rng.choice(disagree, size=DISAGREE_CAP, replace=False)
    free[disagree] = True
    if by_agent:
        free |= np.isin(plan, rng.choice(agents, size=min(AGENTS_FREED, agents), replace=False))
    else:
        free[rng.choice(jobs, size=min(free_count, jobs), replace=False)] = True
    return free


def _load(instance: GapInstance, plan: np.ndarray, jobs: np.ndarray) -> np.ndarray:
    """Capacity each agent uses for the selected jobs (a Boolean mask over jobs)."""
    chosen = np.flatnonzero(jobs)
    return np.bincount(plan[chosen], weights=instance.use[plan[chosen], chosen],
                       minlength=instance.agents).astype(np.int64)
