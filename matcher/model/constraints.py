"""One named function per constraint of the assignment core, each stating its rule in English.

Every function takes the CP-SAT model, the Boolean variable of each arc, and plain arrays.
The names are reused in explanations and in the infeasibility diagnosis.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
from ortools.sat.python import cp_model


def _groups(keys: np.ndarray) -> dict[int, np.ndarray]:
    """Arc indices grouped by an integer key (recipient or supporter index)."""
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    cuts = np.flatnonzero(np.diff(sorted_keys)) + 1
    return {int(keys[idx[0]]): idx for idx in (order[s:e] for s, e in
            zip(np.r_[0, cuts], np.r_[cuts, len(keys)])) if len(idx)}


def one_partnership_per_recipient(model: cp_model.CpModel, x: Sequence[cp_model.IntVar], job: np.ndarray,
                                  n_jobs: int, must_cover: np.ndarray) -> None:
    """A recipient has at most one partnership; exactly one where it must be covered."""
    groups = _groups(job)
    for j in range(n_jobs):
        arcs = [x[i] for i in groups.get(j, ())]
        if must_cover[j]:
            model.add_exactly_one(arcs) if arcs else model.add_bool_or([])  # no arc: infeasible by design
        elif len(arcs) > 1:
            model.add_at_most_one(arcs)


def supporter_capacity(model: cp_model.CpModel, x: Sequence[cp_model.IntVar], agent: np.ndarray,
                       use: np.ndarray, capacity: np.ndarray) -> None:
    """The support units a supporter's partnerships use fit within its capacity."""
    for a, idx in _groups(agent).items():
        if int(use[idx].sum()) > int(capacity[a]):
            model.add(sum(int(use[i]) * x[i] for i in idx) <= int(capacity[a]))


def budget(model: cp_model.CpModel, x: Sequence[cp_model.IntVar], cost: np.ndarray, limit: int) -> None:
    """The annual incentive payments of all chosen partnerships fit within the budget."""
    if int(cost.sum()) > limit:
        model.add(sum(int(c) * x[i] for i, c in enumerate(cost) if c) <= limit)


def locks(model: cp_model.CpModel, x: Sequence[cp_model.IntVar], locked: np.ndarray) -> None:
    """Locked (accepted) partnerships stay in the plan."""
    for i in np.flatnonzero(locked):
        model.add(x[int(i)] == 1)


def at_most(model: cp_model.CpModel, x: Sequence[cp_model.IntVar], coefficients: np.ndarray, limit: int) -> None:
    """A weighted count of chosen arcs stays within a limit (used for the re-match disruption budget)."""
    model.add(sum(int(c) * x[i] for i, c in enumerate(coefficients) if c) <= limit)
