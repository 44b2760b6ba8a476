"""Infeasibility diagnosis: the smallest set of relaxable rules whose relaxation makes a plan possible.

When must-match or locks leave no feasible plan, a relaxed model lets each relaxable rule be
switched off at a cost: an eligibility rule marked relaxable in ``matcher.rules`` (distance
limit, same-region rule, size limit) for a recipient and kind, a supporter's capacity, the
budget, a must-match or a lock. The model is built from the same constraint functions as
every other model (``constraints``), each given its relax switches. The cheapest set is then
verified by re-solving: with all of them relaxed the plan is feasible, and with any one of
them kept it is not, so every rule named is needed.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from ortools.sat.python import cp_model

from .. import rules
from ..domain import Pair
from ..errors import BuddyingError
from . import constraints
from .core import SolverOptions, _solver
from .instance import MatchInstance

#: Prefer naming a limit over dropping a must-match or a lock.
_LIMIT, _PROMISE = 10, 11
_WEIGHT = {**{rule.id: _LIMIT for rule in rules.RELAXABLE}, "capacity": _LIMIT, "budget": _LIMIT,
           "must_match": _PROMISE, "lock": _PROMISE}


@dataclass(frozen=True)
class Relaxation:
    """One relaxable rule: its kind, what it applies to, and how a policy officer would say it."""

    rule: str
    subject: str
    text: str


@dataclass(frozen=True)
class Diagnosis:
    """A minimal set of relaxations that restores feasibility, checked by re-solving."""

    relaxations: tuple[Relaxation, ...]
    verified_minimal: bool


class InfeasibleError(BuddyingError):
    """No plan satisfies the rules; carries the diagnosis (never an empty plan)."""

    def __init__(self, diagnosis: Diagnosis | None):
        self.diagnosis = diagnosis
        if diagnosis is None or not diagnosis.relaxations:
            message = "No plan satisfies the rules, and no relaxation of the relaxable rules would fix it."
        else:
            items = "\n".join(f"  - {r.text}" for r in diagnosis.relaxations)
            message = f"No plan satisfies the rules. Relaxing all of these would make one possible:\n{items}"
        super().__init__(message)


#: Seconds for the search of a small candidate set; minimality is then ensured by the deletion filter.
CANDIDATE_SEARCH_S = 3.0


def diagnose(instance: MatchInstance, options: SolverOptions = SolverOptions()) -> Diagnosis | None:
    """Find and verify a minimal set of relaxations, or ``None`` if even relaxing everything fails.

    A short search finds a cheap set of relaxations that restores feasibility; a deletion
    filter then drops every relaxation that is not needed (trying must-matches and locks
    first), so each one left is necessary. The result is re-verified by solving again.
    """
    relaxed = _RelaxedModel(instance)
    search = SolverOptions(min(options.time_limit_s, CANDIDATE_SEARCH_S), options.workers, options.seed)
    candidate = relaxed.cheapest(search)
    if candidate is None:
        candidate = set(relaxed.keys) if relaxed.feasible(set(relaxed.keys), options) else None
    if candidate is None:
        return None
    keep = set(candidate)
    for key in sorted(candidate, key=lambda k: (-_WEIGHT[k[0]], k)):
        if relaxed.feasible(keep - {key}, options):
            keep.discard(key)
    keys = sorted(keep)
    feasible_all = relaxed.feasible(set(keys), options)
    each_needed = all(not relaxed.feasible(set(keys) - {k}, options) for k in keys)
    return Diagnosis(tuple(relaxed.describe(k) for k in keys), verified_minimal=feasible_all and each_needed)


class _RelaxedModel:
    """Arcs that only relaxable rules reject, plus an on/off switch for every relaxable rule."""

    def __init__(self, instance: MatchInstance):
        self.instance = instance
        relaxable_mask = sum(rules.BIT[r.id] for r in rules.RELAXABLE)
        extra = instance.rejected[(instance.rejected["failed"] & ~relaxable_mask) == 0]
        self.arcs = _concat(instance.arcs.assign(failed=0), extra)
        self.recipients = list(instance.recipients["code"])
        self.supporters = list(instance.supporters["code"])
        self.job = pd.Index(self.recipients).get_indexer(self.arcs["recipient"].astype(str))
        self.agent = pd.Index(self.supporters).get_indexer(self.arcs["supporter"].astype(str))
        self.pairs = [Pair(str(s), str(r), str(k)) for s, r, k in
                      zip(self.arcs["supporter"], self.arcs["recipient"], self.arcs["kind"], strict=True)]
        self.needs = [[(rule, f"{p.recipient}|{p.kind}") for rule in ids]
                      for p, ids in zip(self.pairs, rules.relaxation_needs(self.arcs["failed"]), strict=True)]
        self.locked = self.arcs["locked"].to_numpy(bool)
        self.must_match = instance.recipients["must_match"].to_numpy(bool)
        self.keys = sorted({k for needs in self.needs for k in needs}
                           | {("lock", _pair_key(self.pairs[i])) for i in np.flatnonzero(self.locked)}
                           | {("capacity", s) for s in self.supporters} | {("budget", "all")}
                           | {("must_match", r) for r, m in zip(self.recipients, self.must_match, strict=True) if m})

    def _build(self, relax: set | None):
        """The relaxed model; ``relax`` fixes which switches are on (None = free, minimise their cost)."""
        model = cp_model.CpModel()
        inst = self.instance
        x = [model.new_bool_var(f"x{i}") for i in range(len(self.arcs))]
        y = {k: model.new_bool_var(f"relax_{k[0]}_{k[1]}") for k in self.keys}
        if relax is not None:
            for k, var in y.items():
                model.add(var == (k in relax))
        constraints.eligibility(model, x, [[y[k] for k in needs] for needs in self.needs])
        constraints.locks(model, x, self.locked, relax={int(i): y[("lock", _pair_key(self.pairs[i]))]
                                                        for i in np.flatnonzero(self.locked)})
        constraints.one_partnership_per_recipient(
            model, x, self.job, len(self.recipients), self.must_match,
            relax={j: y[("must_match", r)] for j, r in enumerate(self.recipients) if self.must_match[j]})
        constraints.supporter_capacity(model, x, self.agent, self.arcs["units"].to_numpy(np.int64),
                                       inst.supporters["capacity_units"].to_numpy(np.int64),
                                       relax={a: y[("capacity", s)] for a, s in enumerate(self.supporters)})
        constraints.budget(model, x, self.arcs["incentive_annual_gbp"].to_numpy(np.int64), inst.budget_annual_gbp,
                           relax=y[("budget", "all")])
        if relax is None:
            model.minimize(sum(_WEIGHT[k[0]] * var for k, var in y.items()))
        return model, y

    def cheapest(self, options: SolverOptions) -> set | None:
        model, y = self._build(None)
        solver = _solver(options)
        if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None  # none found in time (or none exists)
        return {k for k, var in y.items() if solver.boolean_value(var)}

    def feasible(self, relax: set, options: SolverOptions) -> bool:
        model, _ = self._build(relax)
        return _solver(options).solve(model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)

    def describe(self, key: tuple[str, str]) -> Relaxation:
        rule, subject = key
        s = self.instance.settings
        if rule == "capacity":
            units = int(self.instance.supporters.set_index("code").at[subject, "capacity_units"])
            return Relaxation(rule, subject, constraints.capacity_relaxation(subject, units))
        if rule == "budget":
            return Relaxation(rule, subject, constraints.budget_relaxation(s.incentives.annual_budget_gbp_m))
        if rule == "must_match":
            return Relaxation(rule, subject, constraints.must_match_relaxation(subject))
        if rule == "lock":
            return Relaxation(rule, subject, constraints.lock_relaxation(Pair(*subject.split("|"))))
        recipient, kind = subject.split("|")
        return Relaxation(rule, subject, rules.BY_ID[rule].relaxation(recipient, kind, s))


def _pair_key(pair: Pair) -> str:
    return f"{pair.supporter}|{pair.recipient}|{pair.kind}"


def _concat(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """Eligible arcs followed by the relaxable rejected pairs (which are never locked)."""
    out = pd.concat([a, b.assign(locked=False)], ignore_index=True)
    out["locked"] = out["locked"].fillna(False).astype(bool)
    return out
