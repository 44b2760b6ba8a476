"""The plan a solve returns, and the one typed value every reader of a plan uses.

A plan is written as JSON once (``Plan.to_dict``: the ``propose --format json`` contract, and
what a run stores) and read back with ``Plan.from_dict``; the command line, the service's
pages, the API and the exports all read the typed value, so each figure has one meaning.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

from .domain import Pair


@dataclass(frozen=True)
class Objective:
    """The three lexicographic objective values: coverage (severity units), score (points), spend (GBP a year)."""

    coverage: float
    score: int
    spend: int

    def to_dict(self) -> dict[str, float]:
        """As JSON-ready data."""
        return {"coverage": self.coverage, "score": self.score, "spend": self.spend}


@dataclass(frozen=True)
class Alternative:
    """Another option for a recipient, and why it was not chosen."""

    supporter: str
    kind: str
    eligible: bool
    score: int
    fit: float
    distance_km: float
    label: str
    why_not: str


@dataclass(frozen=True)
class Backup:
    """Who a re-match would propose for a recipient if its offer were declined (DOMAIN §8; regulators only).

    ``score_difference`` is the backup's score less the proposed pair's; ``other_changes`` the other
    pending offers that re-match would move to make room.
    """

    supporter: str
    kind: str
    score: int
    score_difference: int
    distance_km: float
    other_changes: int = 0


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
    alternatives: tuple[Alternative, ...] = ()
    locked: bool = False
    outside_past_practice: bool = False
    backup: Backup | None = None
    backup_reason: str | None = None

    @property
    def pair(self) -> Pair:
        """The partnership's identity."""
        return Pair(self.supporter, self.recipient, self.kind)


@dataclass(frozen=True)
class Uncovered:
    """A recipient left without a partnership, and the binding reasons in plain English."""

    recipient: str
    severity: float
    reasons: tuple[str, ...]
    alternatives: tuple[Alternative, ...] = ()
    #: The eligible supporters the reasons do not name, counted by reason ({"full": {cause: n}, "room": {reason: n}});
    #: None where every eligible supporter is named (at most ``matcher.explain.NAMED``).
    unnamed: dict[str, dict[str, int]] | None = None


@dataclass(frozen=True)
class SupporterUse:
    """A supporter's capacity and how much of it the plan uses."""

    code: str
    capacity_units: int
    used_units: int


@dataclass(frozen=True)
class Change:
    """A pending offer of the previous plan that the re-match moved (``to_supporter`` None: now uncovered)."""

    recipient: str
    from_supporter: str
    from_kind: str
    to_supporter: str | None
    to_kind: str | None


@dataclass(frozen=True)
class StageOutcome:
    """How one stage of the lexicographic solve ended: status, objective, proven bound, relative gap, seconds."""

    name: str
    status: str
    objective: float
    bound: float
    gap: float
    seconds: float


@dataclass(frozen=True)
class Fingerprint:
    """What a plan depends on: the data and configuration hashes, the solver and its settings, the date."""

    data: str
    config: str
    solver: str
    seed: int
    workers: int
    as_of: str


#: The partnerships on record (2013-2018), for comparison with a plan's quality figures (DOMAIN §6.1).
ON_RECORD = {"median_distance_km": 48.0, "share_within_80km": 0.59, "largest_corecipient_km": 45.0}


@dataclass(frozen=True)
class Quality:
    """The quality figures of one plan (DOMAIN §6.1)."""

    pairs: int
    share_same_peer_group: float
    median_distance_km: float
    share_within_80km: float
    recipients_per_supporter: dict[str, int]  # "1", "2", ... -> how many supporters take that many
    largest_corecipient_km: float
    largest_corecipient_supporter: str | None
    pairs_inside_group: int
    largest_size_ratio: float
    largest_size_ratio_pair: str | None
    largest_load_ratio: float
    largest_load_ratio_supporter: str | None
    outside_past_practice: tuple[str, ...]

    @property
    def past_practice(self) -> dict[str, float]:
        """The same figures for the partnerships on record."""
        return dict(ON_RECORD)



@dataclass(frozen=True)
class Plan:
    """The result of one solve: everything a regulator needs to read, store and compare."""

    status: str
    objective: Objective
    pairs: tuple[Partnership, ...]
    uncovered: tuple[Uncovered, ...]
    supporters: tuple[SupporterUse, ...]
    stages: tuple[StageOutcome, ...]
    fingerprint: Fingerprint
    changes: tuple[Change, ...] | None = None
    budget_annual_gbp: int = 0
    quality: Quality | None = None
    hold_tolerance: float = 0.0  # share of an earlier stage's value a later stage could give up (0: strict order)

    @property
    def tolerance_note(self) -> str:
        """What the run's hold tolerance means, in words; empty when the order was strict (tolerance 0)."""
        if not self.hold_tolerance:
            return ""
        share = f"{100 * self.hold_tolerance:.4g}%"
        return (f"Hold tolerance {share}: each later objective could give up at most {share} of an earlier "
                f"one's value (coverage first), so coverage may be up to {share} below its maximum.")

    @property
    def largest_gap(self) -> float:
        """The largest relative gap of any stage (0 when every stage is proven optimal)."""
        return max((s.gap for s in self.stages), default=0.0)

    def pair_for(self, recipient: str) -> Partnership | None:
        """The partnership of a recipient, if it has one."""
        return next((p for p in self.pairs if p.recipient == recipient), None)

    def use_of(self, supporter: str) -> SupporterUse | None:
        """A supporter's capacity and use, if it is a supporter in this plan."""
        return next((s for s in self.supporters if s.code == supporter), None)

    def to_dict(self) -> dict[str, Any]:
        """The plan as JSON-ready data (the ``propose --format json`` contract)."""
        out: dict[str, Any] = {
            "status": self.status,
            "objective": self.objective.to_dict(),
            "pairs": [asdict(p) | {"alternatives": [asdict(a) for a in p.alternatives]} for p in self.pairs],
            "uncovered": [{"recipient": u.recipient, "severity": u.severity, "reasons": list(u.reasons),
                           "alternatives": [asdict(a) for a in u.alternatives]}
                          | ({"unnamed": u.unnamed} if u.unnamed is not None else {}) for u in self.uncovered],
            "supporters": [asdict(s) for s in self.supporters],
            "stages": [asdict(s) for s in self.stages],
            "budget_annual_gbp": self.budget_annual_gbp,
            "hold_tolerance": self.hold_tolerance,
            "fingerprint": asdict(self.fingerprint),
        }
        if self.quality is not None:
            out["quality"] = asdict(self.quality) | {"outside_past_practice": list(self.quality.outside_past_practice),
                                                     "on_record": dict(ON_RECORD)}
        if self.changes is not None:
            out["changes"] = [{"recipient": c.recipient, "from": c.from_supporter, "from_kind": c.from_kind,
                               "to": c.to_supporter, "to_kind": c.to_kind} for c in self.changes]
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Plan:
        """Read back a plan written by ``to_dict`` (a stored run, or ``propose --format json``).

        Raises:
            KeyError, TypeError, ValueError: the data is not a plan in this form.
        """
        changes = data.get("changes")
        return cls(
            status=str(data["status"]),
            objective=Objective(**data["objective"]),
            pairs=tuple(_partnership(p) for p in data["pairs"]),
            uncovered=tuple(Uncovered(u["recipient"], u["severity"], tuple(u["reasons"]),
                                      tuple(Alternative(**a) for a in u.get("alternatives", ())), u.get("unnamed"))
                            for u in data["uncovered"]),
            supporters=tuple(SupporterUse(**s) for s in data["supporters"]),
            stages=tuple(StageOutcome(**s) for s in data["stages"]),
            fingerprint=Fingerprint(**data["fingerprint"]),
            changes=None if changes is None else tuple(
                Change(c["recipient"], c["from"], c["from_kind"], c["to"], c["to_kind"]) for c in changes),
            budget_annual_gbp=int(data.get("budget_annual_gbp", 0)),
            quality=_quality(data.get("quality")),
            hold_tolerance=float(data.get("hold_tolerance", 0.0)),
        )


_PARTNERSHIP_FIELDS = {f.name for f in fields(Partnership)}


def _partnership(data: dict[str, Any]) -> Partnership:
    values = {k: v for k, v in data.items() if k in _PARTNERSHIP_FIELDS}
    values["alternatives"] = tuple(Alternative(**a) for a in data.get("alternatives", ()))
    if values.get("backup") is not None:
        values["backup"] = Backup(**values["backup"])
    return Partnership(**values)


def _quality(data: dict[str, Any] | None) -> Quality | None:
    if data is None:
        return None
    values = {f.name: data[f.name] for f in fields(Quality)}
    values["outside_past_practice"] = tuple(values["outside_past_practice"])
    return Quality(**values)
