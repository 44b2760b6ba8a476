"""The plan a solve returns: partnerships, uncovered recipients, supporter use, objective and run facts."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Partnership:
    """One proposed partnership, with its numbers and the explanation shown to users."""

    supporter: str
    recipient: str
    kind: str
    units: int
    fit: float
    distance_km: float
    score: int
    incentive_annual_gbp: int
    incentive_term_gbp: int
    coverage: float
    explanation: str
    fit_breakdown: dict[str, float] = field(default_factory=dict)
    alternatives: tuple[dict[str, Any], ...] = ()
    locked: bool = False


@dataclass(frozen=True)
class Uncovered:
    """A recipient left without a partnership, and the binding reasons in plain English."""

    recipient: str
    severity: float
    reasons: tuple[str, ...]
    alternatives: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class SupporterUse:
    """A supporter's capacity and how much of it the plan uses."""

    code: str
    capacity_units: int
    used_units: int


@dataclass(frozen=True)
class Change:
    """A pending offer of the previous plan that the re-match moved (``to`` None = now uncovered)."""

    recipient: str
    from_supporter: str
    from_kind: str
    to_supporter: str | None
    to_kind: str | None


@dataclass(frozen=True)
class Plan:
    """The result of one solve: everything a regulator needs to read, store and compare."""

    status: str
    objective: dict[str, float]
    pairs: tuple[Partnership, ...]
    uncovered: tuple[Uncovered, ...]
    supporters: tuple[SupporterUse, ...]
    stages: tuple[dict[str, Any], ...]
    fingerprint: dict[str, Any]
    changes: tuple[Change, ...] | None = None
    budget_annual_gbp: int = 0

    def to_dict(self) -> dict[str, Any]:
        """The plan as JSON-ready data (the ``propose --format json`` contract)."""
        out: dict[str, Any] = {
            "status": self.status,
            "objective": dict(self.objective),
            "pairs": [asdict(p) | {"alternatives": list(p.alternatives)} for p in self.pairs],
            "uncovered": [{"recipient": u.recipient, "severity": u.severity, "reasons": list(u.reasons),
                           "alternatives": list(u.alternatives)} for u in self.uncovered],
            "supporters": [asdict(s) for s in self.supporters],
            "stages": list(self.stages),
            "budget_annual_gbp": self.budget_annual_gbp,
            "fingerprint": dict(self.fingerprint),
        }
        if self.changes is not None:
            out["changes"] = [{"recipient": c.recipient, "from": c.from_supporter, "from_kind": c.from_kind,
                               "to": c.to_supporter, "to_kind": c.to_kind} for c in self.changes]
        return out
