"""Infeasibility diagnosis: the smallest set of relaxable rules whose relaxation makes a plan possible.

When must-match or locks leave no feasible plan, a relaxed model lets each relaxable rule be
switched off at a cost (distance limit, same-region rule or size limit for a recipient and
kind, a supporter's capacity, the budget, a must-match, a lock). The cheapest set is then
verified by re-solving: with all of them relaxed the plan is feasible, and with any one of
them kept it is not, so every rule named is needed.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from ortools.sat.python import cp_model

from ..candidates import BIT, KIND_LABEL
from ..errors import BuddyingError
from .core import SolverOptions, _solver
from .instance import MatchInstance, Pair

#: Rejections a relaxation can lift, and what that relaxation is called.
_RELAXABLE = {"distance": BIT["distance"], "same_region": BIT["same_region"], "size_ratio": BIT["size_ratio"]}
#: Prefer naming a limit over dropping a must-match or a lock.
_WEIGHT = {"distance": 10, "same_region": 10, "size_ratio": 10, "capacity": 10, "budget": 10,
           "must_match": 11, "lock": 11}


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
        relaxable_mask = sum(_RELAXABLE.values())
        extra = instance.rejected[(instance.rejected["failed"] & ~relaxable_mask) == 0]
        self.arcs = _concat(instance.arcs.assign(failed=0), extra)
        self.needs: list[list[tuple[str, str]]] = []
        for row in self.arcs.itertuples():
            needs = [(rule, f"{row.recipient}|{row.kind}") for rule, bit in _RELAXABLE.items() if row.failed & bit]
            if getattr(row, "locked", False):
                needs.append(("lock", f"{row.supporter}|{row.recipient}|{row.kind}"))
            self.needs.append(needs)
        self.keys = sorted({k for needs in self.needs for k in needs}
                           | {("capacity", s) for s in instance.supporters["code"]} | {("budget", "all")}
                           | {("must_match", r) for r in instance.recipients.loc[instance.recipients["must_match"], "code"]})

    def _build(self, relax: set | None):
        """The relaxed model; ``relax`` fixes which switches are on (None = free, minimise their cost)."""
        model = cp_model.CpModel()
        inst = self.instance
        x = [model.new_bool_var(f"x{i}") for i in range(len(self.arcs))]
        y = {k: model.new_bool_var(f"relax_{k[0]}_{k[1]}") for k in self.keys}
        if relax is not None:
            for k, var in y.items():
                model.add(var == (k in relax))
        for i, needs in enumerate(self.needs):
            for k in needs:
                if k[0] != "lock":
                    model.add_implication(x[i], y[k])
        by_recipient: dict[str, list[int]] = {}
        by_supporter: dict[str, list[int]] = {}
        for i, row in enumerate(self.arcs.itertuples()):
            by_recipient.setdefault(row.recipient, []).append(i)
            by_supporter.setdefault(row.supporter, []).append(i)
            if getattr(row, "locked", False):
                model.add(x[i] == 1).only_enforce_if(~y[("lock", f"{row.supporter}|{row.recipient}|{row.kind}")])
        for r, idx in by_recipient.items():
            model.add_at_most_one(x[i] for i in idx)
        for r in inst.recipients.loc[inst.recipients["must_match"], "code"]:
            model.add(sum(x[i] for i in by_recipient.get(r, [])) >= 1).only_enforce_if(~y[("must_match", r)])
        capacity = dict(zip(inst.supporters["code"], inst.supporters["capacity_units"]))
        units = self.arcs["units"].to_numpy()
        for s, idx in by_supporter.items():
            model.add(sum(int(units[i]) * x[i] for i in idx) <= int(capacity.get(s, 0))).only_enforce_if(~y[("capacity", s)])
        cost = self.arcs["incentive_annual_gbp"].to_numpy()
        model.add(sum(int(cost[i]) * x[i] for i in range(len(x))) <= inst.budget_annual_gbp).only_enforce_if(~y[("budget", "all")])
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
            cap = int(self.instance.supporters.set_index("code").at[subject, "capacity_units"])
            return Relaxation(rule, subject, f"capacity of {subject} ({cap} support units)")
        if rule == "budget":
            return Relaxation(rule, subject, f"budget (£{s.incentives.annual_budget_gbp_m:g}m a year)")
        if rule == "must_match":
            return Relaxation(rule, subject, f"must-match for {subject}")
        if rule == "lock":
            pair = Pair(*subject.split("|"))
            return Relaxation(rule, subject, f"lock of {pair}")
        recipient, kind = subject.split("|")
        if rule == "distance":
            limit = s.max_distance_km.management_contract if kind == "management_contract" else s.max_distance_km.buddy
            return Relaxation(rule, subject, f"distance limit of {limit:g} km for {KIND_LABEL[kind]} to {recipient}")
        if rule == "same_region":
            return Relaxation(rule, subject, f"same-region rule for {KIND_LABEL[kind]} to {recipient}")
        return Relaxation(rule, subject, f"size ratio limit of {s.capacity.max_size_ratio:g} for management "
                                         f"contracts to {recipient}")


def _concat(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """Eligible arcs followed by the relaxable rejected pairs (which are never locked)."""
    out = pd.concat([a, b.assign(locked=False)], ignore_index=True)
    out["locked"] = out["locked"].fillna(False).astype(bool)
    return out
