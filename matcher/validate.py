"""Solver-independent checks: does a plan obey every rule of its instance, and what is its objective?

This is the executable specification of a correct plan. It never imports the solver; every
solve runs it on its own answer, and the tests run it on generated instances.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

import pandas as pd

from .domain import COVERAGE_SCALE, Pair
from .errors import BuddyingError
from .model.instance import MatchInstance
from .result import Objective


class PlanInvalidError(BuddyingError):
    """A plan broke a rule of its instance (a defect: plans from ``solve`` are always checked)."""

    def __init__(self, problems: list[str]):
        self.problems = tuple(problems)
        super().__init__("The plan breaks its rules:\n" + "\n".join(f"  - {p}" for p in problems))


def arc_rows(instance: MatchInstance, pairs: Iterable[Pair]) -> pd.DataFrame:
    """The instance's arc row for each pair, in order; ``found`` is False where a pair is not an arc."""
    pairs = list(pairs)
    columns = ["units", "score", "incentive_annual_gbp", "coverage_points"]
    if len(instance.arcs) < 100_000:  # small: a dictionary lookup is fastest
        arcs = instance.arcs
        table = {(s, r, k): values for s, r, k, *values in
                 zip(arcs["supporter"], arcs["recipient"], arcs["kind"], *(arcs[c] for c in columns), strict=True)}
        found = [(p.supporter, p.recipient, p.kind) in table for p in pairs]
        values = [table.get((p.supporter, p.recipient, p.kind), (0, 0, 0, 0)) for p in pairs]
        return pd.DataFrame(values, columns=columns).assign(found=pd.Series(found, dtype=bool))
    wanted = pd.DataFrame({"supporter": [p.supporter for p in pairs], "recipient": [p.recipient for p in pairs],
                           "kind": [p.kind for p in pairs]})
    merged = wanted.merge(_arcs_for(instance, wanted), on=["supporter", "recipient", "kind"], how="left",
                          indicator=True)
    merged["found"] = merged.pop("_merge").eq("both")
    return merged.fillna(dict.fromkeys(columns, 0))


def _arcs_for(instance: MatchInstance, wanted: pd.DataFrame) -> pd.DataFrame:
    """Only the arcs of the recipients asked about (keeps lookups cheap on millions of arcs)."""
    arcs = instance.arcs
    subset = arcs[arcs["recipient"].astype(str).isin(set(wanted["recipient"]))]
    return subset[["supporter", "recipient", "kind", "units", "score", "incentive_annual_gbp",
                   "coverage_points"]].astype({"supporter": str, "recipient": str, "kind": str})


def objective_of(instance: MatchInstance, pairs: Iterable[Pair]) -> Objective:
    """Recompute the objective from the instance's arc coefficients (pairs that are not arcs add nothing)."""
    rows = arc_rows(instance, pairs)
    rows = rows[rows["found"]]
    return Objective(coverage=int(rows["coverage_points"].sum()) / COVERAGE_SCALE, score=int(rows["score"].sum()),
                     spend=int(rows["incentive_annual_gbp"].sum()))


def violations(instance: MatchInstance, pairs: list[Pair]) -> list[str]:
    """Every rule the pairs break, in plain English (empty when the plan is valid)."""
    problems: list[str] = []
    rows = arc_rows(instance, pairs)
    for p, found in zip(pairs, rows["found"], strict=True):
        if not found:
            problems.append(f"{p} is not an eligible partnership")
        if any(e.matches(p) for e in instance.exclusions):
            problems.append(f"{p} is excluded")
    for recipient, count in Counter(p.recipient for p in pairs).items():
        if count > 1:
            problems.append(f"{recipient} has {count} partnerships; at most one is allowed")
    used: dict[str, int] = defaultdict(int)
    for p, units, found in zip(pairs, rows["units"], rows["found"], strict=True):
        if found:
            used[p.supporter] += int(units)
    capacity = dict(zip(instance.supporters["code"], instance.supporters["capacity_units"], strict=True))
    for supporter, units in used.items():
        if units > capacity.get(supporter, 0):
            problems.append(f"{supporter} uses {units} units, over its capacity of {capacity.get(supporter, 0)}")
    spend = int(rows.loc[rows["found"], "incentive_annual_gbp"].sum())
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
            problems.append(f"{changed} pending offers change, "
                            f"over the disruption budget of {instance.disruption_budget}")
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
