"""The figures behind a plan's charts: coverage by region, spend against budget, and how far apart partners are.

Pure functions of a typed plan and the trusts' regions.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass

from ..domain import Kind
from ..result import Plan

#: Distance bands in km (the last is open-ended); the management-contract limit is 80 km by default.
DISTANCE_BANDS = (0, 25, 50, 80, 120, 160, 200)


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its value, and (for shares) the whole it is part of."""

    label: str
    value: float
    whole: float = 0.0


def coverage_by_region(plan: Plan, region_of: dict[str, str]) -> tuple[Bar, ...]:
    """Per region: recipients covered, out of recipients in the plan (covered or not)."""
    covered: dict[str, int] = {}
    total: dict[str, int] = {}
    for code, is_covered in [(p.recipient, True) for p in plan.pairs] + [(u.recipient, False) for u in plan.uncovered]:
        region = region_of.get(code) or "Unknown region"
        total[region] = total.get(region, 0) + 1
        covered[region] = covered.get(region, 0) + is_covered
    return tuple(Bar(region, covered[region], total[region]) for region in sorted(total))


def spend_against_budget(plan: Plan) -> tuple[Bar, ...]:
    """Annual incentives by kind of support, each out of the annual budget."""
    budget = float(plan.budget_annual_gbp)
    by_kind = {Kind.BUDDY: 0.0, Kind.MANAGEMENT_CONTRACT: 0.0}
    for pair in plan.pairs:
        by_kind[Kind(pair.kind)] += pair.incentive_annual_gbp
    return (Bar("Buddying", by_kind[Kind.BUDDY], budget),
            Bar("Management contracts", by_kind[Kind.MANAGEMENT_CONTRACT], budget),
            Bar("All partnerships", sum(by_kind.values()), budget))


def distance_distribution(plan: Plan, bands: tuple[int, ...] = DISTANCE_BANDS) -> tuple[Bar, ...]:
    """How many partnerships fall in each distance band (km between head offices)."""
    labels = [f"{low}–{high} km" for low, high in itertools.pairwise(bands)] + [f"{bands[-1]} km or more"]
    counts = [0] * len(labels)
    for pair in plan.pairs:
        index = sum(pair.distance_km >= edge for edge in bands[1:])
        counts[index] += 1
    total = len(plan.pairs)
    return tuple(Bar(label, count, total) for label, count in zip(labels, counts, strict=True))
