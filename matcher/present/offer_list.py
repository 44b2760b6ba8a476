"""The regulator's list of offers and declared capacity: every offer with its answers, filterable.

Also each trust's latest declaration of willingness and spare capacity, with its note, flagged
when the trust is not a supporter in the current data (a trust in difficulty that volunteers
capacity is shown, and the regulator is told the matcher cannot use it), never silently ignored.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

STATUSES = ("pending", "accepted", "declined", "withdrawn")
STATUS_WORDS = {"pending": "Waiting for an answer", "accepted": "Accepted", "declined": "Declined",
                "withdrawn": "Withdrawn"}


@dataclass(frozen=True)
class OfferAnswer:
    """One trust's answer: who, yes or no, why (in words; empty for an acceptance) and when."""

    trust: str
    side: str
    decision: str
    reason: str
    at: datetime


@dataclass(frozen=True)
class OfferRow:
    """One offer as the regulator's list shows it."""

    id: int
    supporter: str
    recipient: str
    kind: str
    status: str
    run_id: int
    changed_at: datetime
    answers: tuple[OfferAnswer, ...]

    @property
    def status_words(self) -> str:
        """The status as a reader says it."""
        return STATUS_WORDS.get(self.status, self.status)

    def waiting_for(self) -> tuple[str, ...]:
        """The trusts that have not answered an offer still waiting for answers."""
        if self.status != "pending":
            return ()
        answered = {a.trust for a in self.answers}
        return tuple(code for code in (self.supporter, self.recipient) if code not in answered)


@dataclass(frozen=True)
class OfferFilters:
    """The list's filters: a status, a region (of either trust) and a trust (code or part of its name)."""

    status: str = ""
    region: str = ""
    trust: str = ""

    @property
    def active(self) -> bool:
        """True when any filter is set."""
        return bool(self.status or self.region or self.trust)


@dataclass(frozen=True)
class DeclaredCapacity:
    """A trust's latest declaration, and whether the matcher can use it."""

    trust: str
    willing: bool
    spare_units: int
    note: str
    at: datetime
    role: str  # "supporter", "recipient" or "neither" in the current data

    @property
    def flag(self) -> str:
        """Why the declaration cannot count, or "" when it can."""
        if not self.willing or self.role == "supporter":
            return ""
        if self.role == "recipient":
            return ("This trust is in difficulty, so the matcher does not use its capacity to support others. "
                    "Talk to the trust before relying on it.")
        return "This trust is not a supporter in the current data, so the matcher does not use its capacity."


def filter_offers(rows: Iterable[OfferRow], filters: OfferFilters, regions: Mapping[str, str],
                  names: Mapping[str, str]) -> list[OfferRow]:
    """The offers that match every filter set, in the order given."""
    needle = filters.trust.strip().lower()

    def matches(row: OfferRow) -> bool:
        codes = (row.supporter, row.recipient)
        return ((not filters.status or row.status == filters.status)
                and (not filters.region or any(regions.get(c) == filters.region for c in codes))
                and (not needle or any(needle == c.lower() or needle in names.get(c, "").lower() for c in codes)))
    return [row for row in rows if matches(row)]


def counts(rows: Iterable[OfferRow]) -> dict[str, int]:
    """How many offers have each status (every status, zero included)."""
    out = dict.fromkeys(STATUSES, 0)
    for row in rows:
        out[row.status] = out.get(row.status, 0) + 1
    return out
