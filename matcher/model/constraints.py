"""One named function per constraint of the assignment core, each stating its rule in English.

Every function takes the CP-SAT model, the Boolean variable of each arc and plain arrays, and
is used by every model that holds the rule: the stage models (``core``), the CP-SAT polish of
large instances (``polish``) and the infeasibility diagnosis (``diagnose``). The diagnosis
passes a *relax switch* (a Boolean literal per recipient, supporter, lock or the budget): the
rule then holds only while its switch is off, and the diagnosis minimises the switches it
needs. Each constraint's name in a diagnosis is written beside it (``*_relaxation``).
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
from ortools.sat.python import cp_model

from ..domain import Pair

Var = cp_model.IntVar


def groups(keys: np.ndarray) -> dict[int, np.ndarray]:
    """Arc indices grouped by an integer key (recipient or supporter index)."""
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    cuts = np.flatnonzero(np.diff(sorted_keys)) + 1
    return {int(keys[idx[0]]): idx for idx in (order[s:e] for s, e in
            zip(np.r_[0, cuts], np.r_[cuts, len(keys)], strict=True)) if len(idx)}


def _weighted(x: Sequence[Var], idx: np.ndarray, coefficients: np.ndarray) -> cp_model.LinearExpr:
    return cp_model.LinearExpr.weighted_sum([x[int(i)] for i in idx], [int(c) for c in coefficients[idx]])


def one_partnership_per_recipient(model: cp_model.CpModel, x: Sequence[Var], job: np.ndarray, n_jobs: int,
                                  must_cover: np.ndarray, relax: Mapping[int, Var] | None = None,
                                  closed: np.ndarray | None = None) -> None:
    """A recipient has at most one partnership; exactly one where it must be covered.

    ``relax`` (recipient index -> switch) lets a must-match be dropped; ``closed`` marks
    recipients already covered elsewhere, whose arcs here must all stay unchosen.
    """
    arcs_of = groups(job)
    for j in range(n_jobs):
        arcs = [x[int(i)] for i in arcs_of.get(j, ())]
        if closed is not None and closed[j]:
            if arcs:
                model.add(sum(arcs) == 0)
            continue
        switch = relax.get(j) if relax is not None and must_cover[j] else None
        if switch is not None:
            if len(arcs) > 1:
                model.add_at_most_one(arcs)
            model.add_bool_or([*arcs, switch])
        elif must_cover[j]:
            model.add_exactly_one(arcs) if arcs else model.add_bool_or([])  # no arc: infeasible by design
        elif len(arcs) > 1:
            model.add_at_most_one(arcs)


def must_match_relaxation(recipient: str) -> str:
    """The diagnosis's name for dropping a recipient's must-match."""
    return f"must-match for {recipient}"


def supporter_capacity(model: cp_model.CpModel, x: Sequence[Var], agent: np.ndarray, use: np.ndarray,
                       capacity: np.ndarray, relax: Mapping[int, Var] | None = None) -> None:
    """The support units a supporter's partnerships use fit within its capacity (``relax``: supporter -> switch)."""
    for a, idx in groups(agent).items():
        if int(use[idx].sum()) > int(capacity[a]):
            constraint = model.add(_weighted(x, idx, use) <= int(capacity[a]))
            if relax is not None and a in relax:
                constraint.only_enforce_if(~relax[a])


def capacity_relaxation(supporter: str, units: int) -> str:
    """The diagnosis's name for lifting a supporter's capacity."""
    return f"capacity of {supporter} ({units} support units)"


def bounded_sum(model: cp_model.CpModel, x: Sequence[Var], coefficients: np.ndarray, low: float = -math.inf,
                high: float = math.inf, relax: Var | None = None) -> None:
    """A weighted count of chosen arcs stays within bounds (a side row: the budget, a held stage, a limit)."""
    nz = np.flatnonzero(coefficients)
    lo = int(low) if low > -math.inf else cp_model.INT_MIN
    hi = int(high) if high < math.inf else cp_model.INT_MAX
    constraint = model.add_linear_constraint(_weighted(x, nz, coefficients), lo, hi)
    if relax is not None:
        constraint.only_enforce_if(~relax)


def budget(model: cp_model.CpModel, x: Sequence[Var], cost: np.ndarray, limit: int, relax: Var | None = None) -> None:
    """The annual incentive payments of all chosen partnerships fit within the budget."""
    if int(cost.sum()) > limit:
        bounded_sum(model, x, cost, high=limit, relax=relax)


def budget_relaxation(budget_gbp_m: float) -> str:
    """The diagnosis's name for lifting the budget."""
    return f"budget (£{budget_gbp_m:g}m a year)"


def locks(model: cp_model.CpModel, x: Sequence[Var], locked: np.ndarray,
          relax: Mapping[int, Var] | None = None) -> None:
    """Locked (accepted) partnerships stay in the plan (``relax``: arc index -> switch)."""
    for i in np.flatnonzero(locked):
        constraint = model.add(x[int(i)] == 1)
        if relax is not None and int(i) in relax:
            constraint.only_enforce_if(~relax[int(i)])


def lock_relaxation(pair: Pair) -> str:
    """The diagnosis's name for breaking a lock."""
    return f"lock of {pair}"


def at_most(model: cp_model.CpModel, x: Sequence[Var], coefficients: np.ndarray, limit: int) -> None:
    """A weighted count of chosen arcs stays within a limit (used for the re-match disruption budget)."""
    bounded_sum(model, x, coefficients, high=limit)


def eligibility(model: cp_model.CpModel, x: Sequence[Var], needs: Sequence[Sequence[Var]]) -> None:
    """An arc that breaks a relaxable eligibility rule may be chosen only while that rule is relaxed."""
    for i, switches in enumerate(needs):
        for switch in switches:
            model.add_implication(x[i], switch)
