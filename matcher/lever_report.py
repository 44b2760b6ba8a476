"""The typed result of trying the policy levers on a scenario (``matcher.levers``), and its JSON form.

Kept apart from the solving so the store can read and write a report without reaching the solver.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Recipient:
    """A recipient who would gain (or lose) a partner under a lever, with its severity and new supporter."""

    code: str
    name: str
    severity: float
    supporter: str | None = None
    supporter_name: str | None = None
    kind: str | None = None


@dataclass(frozen=True)
class Worse:
    """A §6.1 quality figure that gets worse under a lever: what it is, before and after."""

    figure: str
    before: str
    after: str


@dataclass(frozen=True)
class LeverResult:
    """One lever moved one notch and solved again, against the plan as it stands.

    ``gained_by_severity`` counts recipients gaining a partner less those losing one, by severity
    label; ``upgraded`` are recipients in persistent difficulty whose buddying becomes a management
    contract and ``downgraded`` the other way round (the rest of the coverage gained); ``error`` is
    set (and the figures are the base's) when no plan could be made.
    """

    id: str
    label: str
    change: str
    flag: str
    coverage: float
    coverage_gained: float
    gained_by_severity: dict[str, int]
    gained: tuple[Recipient, ...]
    lost: tuple[Recipient, ...]
    upgraded: tuple[Recipient, ...]
    downgraded: tuple[Recipient, ...]
    pairs: int
    spend: int
    spend_change: int
    worse: tuple[Worse, ...]
    error: str | None = None


@dataclass(frozen=True)
class LeverReport:
    """The plan as it stands and every lever's result, sorted by coverage gained (most first)."""

    coverage: float
    pairs: int
    covered: int
    recipients: int
    spend: int
    budget_annual_gbp: int
    levers: tuple[LeverResult, ...]
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        """As JSON-ready data (``python -m matcher levers --format json``, the API, a stored lever job)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LeverReport:
        """Read back ``to_dict``."""
        levers = tuple(LeverResult(**(item | {
            "gained": tuple(Recipient(**r) for r in item["gained"]),
            "lost": tuple(Recipient(**r) for r in item["lost"]),
            "upgraded": tuple(Recipient(**r) for r in item["upgraded"]),
            "downgraded": tuple(Recipient(**r) for r in item["downgraded"]),
            "worse": tuple(Worse(**w) for w in item["worse"])})) for item in data["levers"])
        return cls(**(data | {"levers": levers}))
