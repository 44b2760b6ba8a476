"""Comparing plans: the headline figures of one plan, and what changed between two.

Works on the typed plan (a stored run is read back with ``Plan.from_dict``), so any two
stored runs can be compared without re-solving.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from statistics import fmean

from ..domain import Kind
from ..result import Plan


@dataclass(frozen=True)
class PlanSummary:
    """The figures a regulator reads first."""

    pairs: int
    buddies: int
    management_contracts: int
    uncovered: int
    coverage: float
    score: int
    spend_gbp: int
    budget_gbp: int
    mean_distance_km: float
    mean_fit: float
    by_severity: tuple[tuple[float, int, int], ...]  # (severity, covered, recipients), most severe first

    @property
    def recipients(self) -> int:
        """Recipients in the plan, covered or not."""
        return self.pairs + self.uncovered


@dataclass(frozen=True)
class PairChange:
    """How one recipient's partnership differs between two plans (None = uncovered there)."""

    recipient: str
    before: tuple[str, str] | None  # (supporter, kind)
    after: tuple[str, str] | None

    @property
    def change(self) -> str:
        """``added``, ``removed`` or ``changed``."""
        return "added" if self.before is None else "removed" if self.after is None else "changed"


@dataclass(frozen=True)
class Comparison:
    """Two plans side by side and every recipient whose partnership differs."""

    a: PlanSummary
    b: PlanSummary
    changes: tuple[PairChange, ...]

    def count(self, change: str) -> int:
        """How many recipients were added, removed or changed."""
        return sum(c.change == change for c in self.changes)


def summarise(plan: Plan) -> PlanSummary:
    """The headline figures of a plan."""
    pairs, uncovered = plan.pairs, plan.uncovered
    kinds = Counter(p.kind for p in pairs)
    covered = Counter(float(p.coverage) for p in pairs)
    missing = Counter(float(u.severity) for u in uncovered)
    severities = sorted(set(covered) | set(missing), reverse=True)
    return PlanSummary(
        pairs=len(pairs), buddies=kinds[Kind.BUDDY], management_contracts=kinds[Kind.MANAGEMENT_CONTRACT],
        uncovered=len(uncovered), coverage=float(plan.objective.coverage),
        score=int(plan.objective.score), spend_gbp=int(plan.objective.spend), budget_gbp=plan.budget_annual_gbp,
        mean_distance_km=round(fmean(p.distance_km for p in pairs), 1) if pairs else 0.0,
        mean_fit=round(fmean(p.fit for p in pairs), 3) if pairs else 0.0,
        by_severity=tuple((s, covered[s], covered[s] + missing[s]) for s in severities))


def compare(a: Plan, b: Plan) -> Comparison:
    """Plan ``b`` against plan ``a``: figures of each, and each recipient whose partnership differs."""
    before = {p.recipient: (p.supporter, p.kind) for p in a.pairs}
    after = {p.recipient: (p.supporter, p.kind) for p in b.pairs}
    changes = tuple(PairChange(r, before.get(r), after.get(r)) for r in sorted(set(before) | set(after))
                    if before.get(r) != after.get(r))
    return Comparison(summarise(a), summarise(b), changes)
