"""Offers and decisions: each trust answers once, and the answers become the next run's rules.

An offer is accepted when both trusts accept and declined as soon as either declines. Two
answers for the same side racing each other cannot both land: the decision table allows one
per side and the offer's version column refuses a stale update; the loser is told it was
already decided.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from ..domain import Exclusion, Pair
from ..errors import BuddyingError
from ..present.offer_list import OfferAnswer, OfferRow
from ..rematch import Rematch, RuledOut
from .audit import record
from .outcomes import agreement_for_offer
from .tables import ANSWERS, Decision, Declaration, Offer, PairRule, utcnow

DECLINE_REASONS = {
    "capacity": "We do not have the capacity at the moment",
    "distance": "The partner trust is too far away to support well",
    "fit": "Our services are not a good match for what is needed",
    "conflict": "There is a conflict of interest",
    "board": "Our board has decided against it",
    "other": "Another reason (please explain)",
}
ACCEPT_REASON = "accepted"


class AlreadyDecided(BuddyingError):
    """Someone answered this offer for this trust first, or it changed since the page was opened."""


def side_of(offer: Offer, trust_code: str) -> str | None:
    """Which side of the offer a trust is on (None if it is not part of it)."""
    return "supporter" if offer.supporter == trust_code else "recipient" if offer.recipient == trust_code else None


def offers_for_trust(session: Session, trust_code: str, include_withdrawn: bool = False) -> list[Offer]:
    """Every offer a trust is part of, newest first."""
    query = select(Offer).where(or_(Offer.supporter == trust_code, Offer.recipient == trust_code))
    if not include_withdrawn:
        query = query.where(Offer.status != "withdrawn")
    return list(session.scalars(query.order_by(Offer.updated_at.desc(), Offer.id.desc())))


_VERSIONS = (select(Offer.id, Offer.version)
             .where(or_(Offer.supporter == bindparam("trust"), Offer.recipient == bindparam("trust")))
             .order_by(Offer.id))


def offer_versions(session: Session, trust_code: str) -> tuple[tuple[int, int], ...]:
    """(id, version) of every offer a trust is part of: changes whenever any of them does."""
    rows = session.connection().execute(_VERSIONS, {"trust": trust_code})
    return tuple((row.id, row.version) for row in rows)


def offer_for_trust(session: Session, offer_id: int, trust_code: str) -> Offer | None:
    """The offer if this trust is part of it, else None (so another trust's offer looks absent)."""
    offer = session.get(Offer, offer_id)
    return offer if offer is not None and side_of(offer, trust_code) else None


@dataclass(frozen=True)
class DecisionRequest:
    """One trust's answer as submitted: which offer, which version it saw, yes or no and why."""

    offer_id: int
    trust_code: str
    decision: str
    reason_code: str = ""
    reason_text: str = ""
    seen_version: int | None = None


def check_request(request: DecisionRequest) -> dict[str, str]:
    """Field problems in an answer, as field -> message (empty when it is complete)."""
    problems = {}
    if request.decision not in ANSWERS:
        problems["decision"] = "Select whether you accept or decline the offer"
    elif request.decision == "declined":
        if request.reason_code not in DECLINE_REASONS:
            problems["reason_code"] = "Select a reason for declining"
        elif request.reason_code == "other" and not request.reason_text.strip():
            problems["reason_text"] = "Explain why you are declining"
    if len(request.reason_text) > 2000:
        problems["reason_text"] = "Keep the explanation to 2,000 characters or fewer"
    return problems


def decide(sessions: sessionmaker[Session], request: DecisionRequest, user_id: int | None) -> Offer:
    """Store one trust's answer in its own transaction.

    Raises:
        LookupError: no such offer for this trust.
        BuddyingError: the answer is incomplete (see ``check_request``).
        AlreadyDecided: this trust already answered, the offer was withdrawn, or it changed
            since the page was opened.
    """
    problems = check_request(request)
    if problems:
        raise BuddyingError("; ".join(problems.values()))
    try:
        with sessions.begin() as session:
            offer = offer_for_trust(session, request.offer_id, request.trust_code)
            if offer is None:
                raise LookupError(request.offer_id)
            side = side_of(offer, request.trust_code)
            if offer.status == "withdrawn":
                raise AlreadyDecided("This offer has been withdrawn by the regulator, so it cannot be answered.")
            if any(d.side == side for d in offer.decisions):
                raise AlreadyDecided("Your trust has already answered this offer.")
            if request.seen_version is not None and request.seen_version != offer.version:
                raise AlreadyDecided("This offer changed since you opened it; read it again before answering.")
            reason_code = request.reason_code if request.decision == "declined" else ACCEPT_REASON
            session.add(Decision(offer_id=offer.id, side=side, trust_code=request.trust_code,
                                 decision=request.decision, reason_code=reason_code,
                                 reason_text=request.reason_text.strip(), user_id=user_id))
            others = {d.side: d.decision for d in offer.decisions} | {side: request.decision}
            if "declined" in others.values():
                offer.status = "declined"
            elif others.get("supporter") == others.get("recipient") == "accepted":
                offer.status = "accepted"
                agreement_for_offer(session, offer, utcnow().date(), user_id)  # a live agreement from today
            offer.updated_at = utcnow()
            session.flush()
            record(session, user_id, f"offer.{request.decision}", f"offer {offer.id}", trust=request.trust_code,
                   side=side, reason=reason_code, status=offer.status)
            return offer
    except (IntegrityError, StaleDataError):
        landed = _what_landed_first(sessions, request)
        if landed is None:
            raise
        raise landed from None


def _what_landed_first(sessions: sessionmaker[Session], request: DecisionRequest) -> AlreadyDecided | None:
    """After a refused write, say what another request changed first: this trust's own answer, or the offer.

    None: nothing did, so the error is a defect (a bad user id, say) and is not dressed up as a race.
    """
    with sessions() as session:
        offer = session.get(Offer, request.offer_id)
        side = side_of(offer, request.trust_code) if offer else None
        if offer is not None and any(d.side == side for d in offer.decisions):
            return AlreadyDecided("Your trust has already answered this offer.")
        if offer is not None and (offer.decisions or offer.status != "pending"
                                  or (request.seen_version is not None and offer.version != request.seen_version)):
            return AlreadyDecided("This offer changed while you were answering; read it again before answering.")
    return None


def rematch_from_offers(session: Session) -> Rematch:
    """What the offers, the regulator's rules and the declarations add to the next run.

    Accepted offers and regulator locks are kept; declined offers (of that supporter for that
    recipient, under either kind) and exclusions never return; pending offers are changed as
    little as possible; declarations adjust capacity (a trust that declared itself unwilling
    keeps only what its accepted partnerships use).
    """
    locks: dict[Pair, None] = {}  # a dict, for order without repeats
    exclusions: list[Exclusion] = []
    pending: list[Pair] = []
    for offer in session.scalars(select(Offer).where(Offer.status != "withdrawn").order_by(Offer.id)):
        pair = Pair(offer.supporter, offer.recipient, offer.kind)
        if offer.status == "accepted":
            locks[pair] = None
        elif offer.status == "declined":
            who = ", ".join(f"{d.trust_code} ({reason_words(d)})" for d in offer.decisions if d.decision == "declined")
            exclusions.append(Exclusion(offer.supporter, offer.recipient, None, f"declined by {who}"))
        else:
            pending.append(pair)
    for rule in session.scalars(select(PairRule).where(PairRule.removed_at.is_(None)).order_by(PairRule.id)):
        if rule.rule == "lock":
            if rule.kind is None:  # the rules page refuses one; the table itself does not
                raise BuddyingError(f"Lock {rule.id} ({rule.supporter} to {rule.recipient}) names no kind of support")
            locks[Pair(rule.supporter, rule.recipient, rule.kind)] = None
        else:
            exclusions.append(Exclusion(rule.supporter, rule.recipient, rule.kind, f"excluded: {rule.reason}"))
    declarations = latest_declarations(session).values()
    extra = {d.trust_code: d.spare_units for d in declarations if d.willing and d.spare_units}
    unwilling = frozenset(d.trust_code for d in declarations if not d.willing)
    locked = set(locks)
    return Rematch(tuple(locks), tuple(exclusions), tuple(p for p in pending if p not in locked), extra, unwilling)


def ruled_out(session: Session) -> dict[tuple[str, str], RuledOut]:
    """Every pair (supporter, recipient) a trust declined or the regulator excluded, with who and why."""
    out: dict[tuple[str, str], RuledOut] = {}
    for offer in session.scalars(select(Offer).where(Offer.status == "declined").order_by(Offer.id)):
        first = next(d for d in offer.decisions if d.decision == "declined")
        out[(offer.supporter, offer.recipient)] = RuledOut(offer.supporter, offer.recipient, first.trust_code,
                                                           reason_words(first))
    rules = select(PairRule).where(PairRule.rule == "exclude", PairRule.removed_at.is_(None)).order_by(PairRule.id)
    for rule in session.scalars(rules):
        out.setdefault((rule.supporter, rule.recipient), RuledOut(rule.supporter, rule.recipient, None, rule.reason))
    return out


def unwilling(session: Session) -> frozenset[str]:
    """Trusts whose latest declaration says they can take on no more support."""
    return frozenset(d.trust_code for d in latest_declarations(session).values() if not d.willing)


def reason_words(decision: Decision) -> str:
    """Why a trust declined, in words: its own words for "another reason", else the reason it picked."""
    if decision.reason_code == "other" and decision.reason_text:
        return decision.reason_text
    return DECLINE_REASONS.get(decision.reason_code, decision.reason_code).lower()


def offer_rows(session: Session) -> list[OfferRow]:
    """Every offer ever made with its answers, the latest changed first (the regulator's list)."""
    offers = session.scalars(select(Offer).options(selectinload(Offer.decisions))
                             .order_by(Offer.updated_at.desc(), Offer.id.desc()))
    return [OfferRow(o.id, o.supporter, o.recipient, o.kind, o.status, o.run_id, o.updated_at,
                     tuple(OfferAnswer(d.trust_code, d.side, d.decision,
                                       reason_words(d) if d.decision == "declined" else "", d.decided_at)
                           for d in o.decisions)) for o in offers]


def latest_declarations(session: Session) -> dict[str, Declaration]:
    """Each trust's newest declaration."""
    latest: dict[str, Declaration] = {}
    for declaration in session.scalars(select(Declaration).order_by(Declaration.id)):
        latest[declaration.trust_code] = declaration
    return latest
