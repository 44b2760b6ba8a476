"""An offer in a chief executive's words: what is asked of their trust, the partner, workload, payment and dates.

The read model of a trust executive's offer page and of the offer letters. It says only what
concerns the two trusts of the offer: never the solver's reasoning, scores or other trusts'
commitments (the regulator's pair page keeps those). Reply-by and start dates follow from the
day the offer was made and a ``Timetable`` (the service's ``BUDDYING_OFFER_REPLY_DAYS`` and
``BUDDYING_OFFER_START_DAYS``).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from ..result import Partnership

#: How the fit breakdown's areas read in a letter (others are used as they are).
AREA_WORDS = {"similar size": "", "A&E 4-hour": "A&E waits within 4 hours",
              "18-week RTT": "waiting times for planned care", "mortality (SHMI)": "mortality",
              "safe (CQC)": "safety (CQC rating)", "effective (CQC)": "effectiveness (CQC rating)",
              "caring (CQC)": "caring (CQC rating)", "responsive (CQC)": "responsiveness (CQC rating)",
              "well-led (CQC)": "leadership (CQC well-led rating)"}
KIND_WORDS = {"buddy": "Buddying", "management_contract": "Management contract"}
STATUS_WORDS = {"pending": "Waiting for an answer", "accepted": "Accepted", "declined": "Declined",
                "withdrawn": "Withdrawn"}


@dataclass(frozen=True)
class Timetable:
    """Days from the offer to the reply-by date and to the proposed start (each 1 to 365)."""

    reply_days: int = 28
    start_days: int = 56

    def __post_init__(self) -> None:
        """Refuse a timetable that would put the start before the reply-by date, or a year away."""
        for name in ("reply_days", "start_days"):
            value = getattr(self, name)
            if not 1 <= value <= 365:
                raise ValueError(f"{name} must be from 1 to 365 days, got {value}")
        if self.start_days < self.reply_days:
            raise ValueError(f"start_days ({self.start_days}) must not be before reply_days ({self.reply_days})")


@dataclass(frozen=True)
class Answer:
    """One trust's answer to an offer, as it is shown to the trusts."""

    trust: str
    decision: str  # "accepted" or "declined"
    reason: str  # in words, empty for an acceptance
    on: date


@dataclass(frozen=True)
class OfferText:
    """Everything a chief executive reads about one offer to their trust."""

    trust: str
    trust_name: str
    side: str  # "supporter" (asked to support) or "recipient" (to be supported)
    partner: str
    partner_name: str
    kind: str
    status: str
    status_words: str
    heading: str
    status_detail: str
    asked: str
    workload: str
    payment: str
    why: str
    offered_on: date
    reply_by: date
    start: date
    contact: str

    @property
    def kind_words(self) -> str:
        """``Buddying`` or ``Management contract``."""
        return KIND_WORDS.get(self.kind, self.kind)


def offer_text(*, trust: str, side: str, partner: str, kind: str, status: str, pair: Partnership,
               names: Mapping[str, str], own_capacity: int | None, offered_on: date, changed_on: date,
               answers: Sequence[Answer], timetable: Timetable, contact: str) -> OfferText:
    """The offer as its trust's chief executive reads it.

    Args:
        trust: the reader's trust.
        side: its side of the offer ("supporter" or "recipient").
        partner: the other trust.
        kind: the kind of support.
        status: the offer's status.
        pair: the partnership in the run that published the offer (its units, payment, fit and distance).
        names: trust code -> name.
        own_capacity: the supporter's capacity in support units (shown to the supporter only).
        offered_on: when the offer was made (the reply-by and start dates follow from it).
        changed_on: when the offer last changed (the day it was withdrawn, for a withdrawn offer).
        answers: the trusts' answers so far.
        timetable: days to the reply-by date and to the proposed start.
        contact: who to contact about the offer.
    """
    def name(code: str) -> str:
        return names.get(code, code)

    asked = side == "supporter"
    supporter, recipient = (trust, partner) if asked else (partner, trust)
    return OfferText(
        trust=trust, trust_name=name(trust), side=side, partner=partner, partner_name=name(partner), kind=kind,
        status=status, status_words=STATUS_WORDS.get(status, status),
        heading=_heading(status, asked, f"{name(partner)} ({partner})"),
        status_detail=_status_detail(status, trust, answers, changed_on, name),
        asked=_asked(kind, asked, name(partner)),
        workload=_workload(pair.units, kind, asked, name(supporter), own_capacity),
        payment=_payment(pair, asked, name(supporter)),
        why=_why(pair, name(supporter), name(recipient)),
        offered_on=offered_on, reply_by=offered_on + timedelta(days=timetable.reply_days),
        start=offered_on + timedelta(days=timetable.start_days), contact=contact)


def _heading(status: str, asked: bool, partner: str) -> str:
    if status == "accepted":
        return f"Agreed: your trust will support {partner}" if asked else f"Agreed: {partner} will support your trust"
    what = (f"the offer for your trust to support {partner}" if asked
            else f"the offer for {partner} to support your trust")
    if status in ("declined", "withdrawn"):
        return f"{STATUS_WORDS[status]}: {what}"
    return f"Your trust is asked to support {partner}" if asked else f"{partner} is proposed to support your trust"


def _status_detail(status: str, trust: str, answers: Sequence[Answer], changed_on: date, name) -> str:
    """Where the offer stands, with who answered, when and why."""
    said = "; ".join(f"{'your trust' if a.trust == trust else name(a.trust)} {a.decision} it on {_day(a.on)}"
                     + (f": {a.reason}" if a.reason else "") for a in answers)
    if status == "withdrawn":
        return (f"The regulator withdrew this offer on {_day(changed_on)}, when it published a new proposal "
                "that no longer includes this partnership. There is nothing to answer.")
    if status == "declined":
        return f"This offer will not go ahead: {said}. The regulator will not propose this partnership again."
    if status == "accepted":
        return f"Both trusts accepted: {said}."
    if said:
        return f"Waiting for the other trust's answer ({said})."
    return "Waiting for both trusts' answers."


def _asked(kind: str, asked: bool, partner: str) -> str:
    if kind == "management_contract":
        return (f"A management contract: your trust would take on the running of {partner}." if asked
                else f"A management contract: {partner} would take on the running of your trust.")
    return (f"Buddying: your trust's leaders would work alongside the leaders of {partner} to help it improve."
            if asked else f"Buddying: the leaders of {partner} would work alongside your trust's leaders to help "
                          "your trust improve.")


def _workload(units: int, kind: str, asked: bool, supporter: str, own_capacity: int | None) -> str:
    plural = "s" if units != 1 else ""
    what = "a buddying takes 1" if kind == "buddy" else "a management contract takes 2 or more, by the trusts' sizes"
    if asked:
        room = (f" Your trust can take on {own_capacity} unit{'s' if own_capacity != 1 else ''} of support in all, "
                "set by its size and any spare capacity it declared.") if own_capacity else ""
        return f"{units} support unit{plural} of your trust's capacity to support others ({what}).{room}"
    return f"{units} support unit{plural} of {supporter}'s capacity to support others ({what})."


def _payment(pair: Partnership, asked: bool, supporter: str) -> str:
    years = round(pair.incentive_term_gbp / pair.incentive_annual_gbp) if pair.incentive_annual_gbp else 0
    term = f" of {years} year{'s' if years != 1 else ''}" if years else ""
    to = "your trust" if asked else supporter
    return (f"{_money(pair.incentive_annual_gbp)} a year; {_money(pair.incentive_term_gbp)} over the whole term{term}, "
            f"paid to {to}. Incentive payments are policy choices, not published rates.")


def _why(pair: Partnership, supporter: str, recipient: str) -> str:
    """Where the supporter is strong and the recipient needs help most, and how far apart they are."""
    areas = [AREA_WORDS.get(k, k).replace(" segment", " (NHS oversight framework)")
             for k, v in sorted(pair.fit_breakdown.items(), key=lambda kv: -kv[1]) if v > 0]
    areas = [a for a in areas if a][:3]
    strengths = (f"{supporter} does well where {recipient} most needs to improve: {_and(areas)}. "
                 if areas else "")
    return f"{strengths}Their head offices are {pair.distance_km:,.0f} km apart."


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _money(value: float) -> str:
    return f"£{value / 1e6:,.2f}m" if abs(value) >= 1e6 else f"£{value:,.0f}"


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"
