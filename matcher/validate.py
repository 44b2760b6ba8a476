"""Solver-independent checks: does a plan obey every rule of its instance, and what is its objective?

This is the executable specification of a correct plan. It never imports the solver; every
solve runs it on its own answer, and the tests run it on generated instances.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable

import pandas as pd

from .domain import COVERAGE_SCALE, Pair
from .errors import BuddyingError
from .geography import haversine_km
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
    columns = ["units", "score", "incentive_annual_gbp", "coverage_points", "load_gbp"]
    if len(instance.arcs) < 100_000:  # small: a dictionary lookup is fastest
        arcs = instance.arcs
        table = {(s, r, k): values for s, r, k, *values in
                 zip(arcs["supporter"], arcs["recipient"], arcs["kind"], *(arcs[c] for c in columns), strict=True)}
        found = [(p.supporter, p.recipient, p.kind) in table for p in pairs]
        values = [table.get((p.supporter, p.recipient, p.kind), (0, 0, 0, 0, 0)) for p in pairs]
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
                   "coverage_points", "load_gbp"]].astype({"supporter": str, "recipient": str, "kind": str})


def objective_of(instance: MatchInstance, pairs: Iterable[Pair]) -> Objective:
    """Recompute the objective from the instance's arc coefficients (pairs that are not arcs add nothing)."""
    pairs = list(pairs)
    rows = arc_rows(instance, pairs)
    rows = rows[rows["found"]]
    return Objective(coverage=int(rows["coverage_points"].sum()) / COVERAGE_SCALE,
                     score=int(rows["score"].sum()) + group_bonus(instance, pairs),
                     spend=int(rows["incentive_annual_gbp"].sum()))


def group_bonus(instance: MatchInstance, pairs: list[Pair]) -> int:
    """Score points for recipients of one group covered by the same supporter (each such pair of recipients)."""
    groups = instance.trusts.set_index("code")["groups"] if "groups" in instance.trusts.columns else None
    if groups is None or not instance.bonus_value:
        return 0
    names = {p.recipient: set(str(groups.get(p.recipient)).split(" · ")) for p in pairs
             if isinstance(groups.get(p.recipient), str)}
    together = [(a, b) for i, a in enumerate(pairs) for b in pairs[i + 1:]
                if a.supporter == b.supporter and a.recipient in names and b.recipient in names
                and a.recipient != b.recipient and names[a.recipient] & names[b.recipient]]
    return instance.bonus_value * len(together)


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
    problems += _load_and_spread(instance, pairs, rows)
    problems += pair_rule_violations(instance, pairs, rows)
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


def _load_and_spread(instance: MatchInstance, pairs: list[Pair], rows: pd.DataFrame) -> list[str]:
    """The overstretch guard (each supporter's load) and the spread between one supporter's recipients."""
    problems = []
    load: dict[str, int] = defaultdict(int)
    for p, value, found in zip(pairs, rows["load_gbp"], rows["found"], strict=True):
        if found:
            load[p.supporter] += int(value)
    limit = dict(zip(instance.supporters["code"], instance.supporters["load_limit_gbp"], strict=True))
    for supporter, total in load.items():
        if total > limit.get(supporter, 0):
            problems.append(f"{supporter} takes on recipients of £{total:,} income, over its load limit of "
                            f"£{int(limit.get(supporter, 0)):,}")
    where = instance.recipients.set_index("code")[["latitude", "longitude"]]
    km = instance.settings.geography.max_corecipient_km
    by_supporter: dict[str, list[str]] = defaultdict(list)
    for p in pairs:
        by_supporter[p.supporter].append(p.recipient)
    for supporter, recipients in by_supporter.items():
        for i, a in enumerate(recipients):
            for b in recipients[i + 1:]:
                apart = float(haversine_km(*where.loc[a], *where.loc[b])) if a in where.index and b in where.index \
                    else float("nan")
                if not apart <= km:
                    problems.append(f"{supporter}'s recipients {a} and {b} are {apart:.0f} km apart, over the "
                                    f"{km:g} km spread limit")
    return problems


#: The trust table's columns the pair rules read.
TRUST_FACTS = {"peer_groups", "income_gbp", "latitude", "longitude", "groups", "group_long_term", "region"}


def pair_rule_violations(instance: MatchInstance, pairs: list[Pair], rows: pd.DataFrame | None = None) -> list[str]:
    """Version 2's rules on each pair, from the trust table and the settings alone (not from the arcs).

    Peer groups (``may_support``; across peer groups, buddying only), the size ratio and distance
    limit of the kind, no pair inside a group, no management contract where the group is the
    recipient's long-term arrangement, the same region when required, units by kind, the
    overstretch guard on the supporter's whole load, and the least pair score. Checked when the
    trust table has the columns they read (every instance built from data does; a hand-made test
    instance may not).
    """
    if not set(instance.trusts.columns) >= TRUST_FACTS:
        return []
    settings, trusts = instance.settings, instance.trusts.set_index("code")
    rows = arc_rows(instance, pairs) if rows is None else rows
    may = {str(k): {str(g) for g in v} for k, v in settings.peer_groups.may_support.items()}
    problems: list[str] = []
    load: dict[str, float] = defaultdict(float)
    for p, score, units in zip(pairs, rows["score"], rows["units"], strict=True):
        if p.supporter not in trusts.index or p.recipient not in trusts.index:
            problems.append(f"{p}: a trust of the pair is not in the trust table")
            continue
        s, r = trusts.loc[p.supporter], trusts.loc[p.recipient]
        mc = p.kind == "management_contract"
        sp, rp = _cells(s.get("peer_groups"), "|"), _cells(r.get("peer_groups"), "|")
        if not any(g in may.get(a, ()) for a in sp for g in rp) or (mc and not set(sp) & set(rp)):
            problems.append(f"{p}: a {'/'.join(sp) or 'unknown'} trust may not support a {'/'.join(rp) or 'unknown'} "
                            f"trust this way")
        income_s, income_r = float(s["income_gbp"]), float(r["income_gbp"])
        limit = settings.max_size_ratio.management_contract if mc else settings.max_size_ratio.buddy
        if not income_r <= limit * income_s + 1e-6:
            problems.append(f"{p}: the recipient is {income_r / income_s:.2f} times the supporter's size, "
                            f"over {limit:g}")
        km = float(haversine_km(s["latitude"], s["longitude"], r["latitude"], r["longitude"]))
        most = settings.max_distance_km.management_contract if mc else settings.max_distance_km.buddy
        if not km <= most + 1e-6:
            problems.append(f"{p}: {km:.0f} km apart, over the {most:g} km limit")
        if set(_cells(s.get("groups"), " · ")) & set(_cells(r.get("groups"), " · ")):
            problems.append(f"{p}: both trusts are in one group")
        if mc and bool(r.get("group_long_term")) and not settings.groups.allow_mc_in_group:
            problems.append(f"{p}: a management contract where the recipient's group is its long-term arrangement")
        if settings.geography.same_region and s.get("region") != r.get("region"):
            problems.append(f"{p}: the trusts are in different regions")
        expected = settings.capacity.mc_units * math.ceil(income_r / income_s - 1e-9) if mc \
            else settings.capacity.buddy_units
        if int(units) != expected:
            problems.append(f"{p}: uses {int(units)} units, not the {expected} its kind and sizes give")
        if int(score) < settings.geography.min_pair_score:
            problems.append(f"{p}: scores {int(score)}, under the least pair score {settings.geography.min_pair_score}")
        load[p.supporter] += income_r
    for supporter, total in load.items():
        income = float(trusts.at[supporter, "income_gbp"])
        if not total <= settings.capacity.max_load_ratio * income + 1:
            problems.append(f"{supporter}'s recipients together are {total / income:.2f} times its income, over "
                            f"{settings.capacity.max_load_ratio:g}")
    return problems


def _cells(cell: object, separator: str) -> list[str]:
    return [c for c in cell.split(separator) if c] if isinstance(cell, str) else []


def check_pairs(instance: MatchInstance, pairs: list[Pair], reported: Objective | None = None) -> Objective:
    """Raise ``PlanInvalidError`` unless the pairs obey every rule (and match the reported objective)."""
    problems = violations(instance, pairs)
    if problems:
        raise PlanInvalidError(problems)
    objective = objective_of(instance, pairs)
    if reported is not None and reported != objective:
        raise PlanInvalidError([f"reported objective {reported} differs from the recomputed {objective}"])
    return objective
