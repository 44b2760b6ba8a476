"""Solver-independent checks: does a plan obey every rule of its instance, and what is its objective?

This is the executable specification of a correct plan. It never imports the solver; every
solve runs it on its own answer, and the tests run it on generated instances.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Iterable

from .errors import BuddyingError
from .model.instance import MatchInstance, Pair


@dataclass(frozen=True)
class Objective:
    """The three lexicographic objective values: coverage (severity units), score (points), spend (GBP a year)."""

    coverage: float
    score: int
    spend: int

    def to_dict(self) -> dict[str, float]:
        return {"coverage": self.coverage, "score": self.score, "spend": self.spend}


class PlanInvalidError(BuddyingError):
    """A plan broke a rule of its instance (a defect: plans from ``solve`` are always checked)."""

    def __init__(self, problems: list[str]):
        self.problems = tuple(problems)
        super().__init__("The plan breaks its rules:\n" + "\n".join(f"  - {p}" for p in problems))


def objective_of(instance: MatchInstance, pairs: Iterable[Pair]) -> Objective:
    """Recompute the objective from the instance's arc coefficients."""
    arcs = instance.arcs.set_index(["supporter", "recipient", "kind"])
    rows = [arcs.loc[(p.supporter, p.recipient, p.kind)] for p in pairs]
    coverage = sum(int(r["coverage_points"]) for r in rows) / 100
    return Objective(coverage=coverage, score=sum(int(r["score"]) for r in rows),
                     spend=sum(int(r["incentive_annual_gbp"]) for r in rows))


def violations(instance: MatchInstance, pairs: list[Pair]) -> list[str]:
    """Every rule the pairs break, in plain English (empty when the plan is valid)."""
    problems: list[str] = []
    arcs = instance.arc_index()
    for p in pairs:
        if p not in arcs:
            problems.append(f"{p} is not an eligible partnership")
        if any(e.supporter == p.supporter and e.recipient == p.recipient and e.kind in (None, p.kind)
               for e in instance.exclusions):
            problems.append(f"{p} is excluded")
    for recipient, count in Counter(p.recipient for p in pairs).items():
        if count > 1:
            problems.append(f"{recipient} has {count} partnerships; at most one is allowed")
    used: dict[str, int] = defaultdict(int)
    table = instance.arcs.set_index(["supporter", "recipient", "kind"])
    for p in pairs:
        if p in arcs:
            used[p.supporter] += int(table.loc[(p.supporter, p.recipient, p.kind), "units"])
    capacity = dict(zip(instance.supporters["code"], instance.supporters["capacity_units"]))
    for supporter, units in used.items():
        if units > capacity.get(supporter, 0):
            problems.append(f"{supporter} uses {units} units, over its capacity of {capacity.get(supporter, 0)}")
    valid = [p for p in pairs if p in arcs]
    spend = objective_of(instance, valid).spend
    if spend > instance.budget_annual_gbp:
        problems.append(f"annual incentives £{spend:,} are over the budget of £{instance.budget_annual_gbp:,}")
    chosen = set(pairs)
    for lock in instance.locked:
        if lock not in chosen:
            problems.append(f"locked partnership {lock} is missing")
    covered = {p.recipient for p in pairs}
    for code in instance.recipients.loc[instance.recipients["must_match"], "code"]:
        if code not in covered:
            problems.append(f"{code} must be covered but is not")
    if instance.pending and instance.disruption_budget is not None:
        changed = sum(p not in chosen for p in instance.pending)
        if changed > instance.disruption_budget:
            problems.append(f"{changed} pending offers change, over the disruption budget of {instance.disruption_budget}")
    return problems


def check_pairs(instance: MatchInstance, pairs: list[Pair], reported: Objective | None = None) -> Objective:
    """Raise ``PlanInvalidError`` unless the pairs obey every rule (and match the reported objective)."""
    problems = violations(instance, pairs)
    if problems:
        raise PlanInvalidError(problems)
    objective = objective_of(instance, pairs)
    if reported is not None and reported != objective:
        raise PlanInvalidError([f"reported objective {reported} differs from the recomputed {objective}"])
    return objective
