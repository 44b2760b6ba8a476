"""Offers as a chief executive reads them: the glue between the offers table and ``matcher.present.offer_letter``.

The timetable (days to reply and to start) and the contact come from the environment, checked
when the service starts: ``BUDDYING_OFFER_REPLY_DAYS`` (default 28), ``BUDDYING_OFFER_START_DAYS``
(default 56) and ``BUDDYING_OFFER_CONTACT``.
"""
from __future__ import annotations

import os
from datetime import UTC, date, datetime

from flask import current_app

from matcher.errors import BuddyingError
from matcher.parsing import count_from
from matcher.present.offer_letter import Answer, OfferText, Timetable, offer_text
from matcher.result import Partnership
from matcher.store.offers import reason_words
from matcher.store.runs import plan_of
from matcher.store.tables import Offer, Run

from . import data, db

DEFAULT_CONTACT = "The buddying programme team at the regulator: buddying.programme@example.nhs.uk"


def timetable_from(environ: dict[str, str] | None = None) -> Timetable:
    """The offers' timetable from ``BUDDYING_OFFER_REPLY_DAYS`` and ``BUDDYING_OFFER_START_DAYS``.

    Raises:
        BuddyingError: a value that is not a whole number of days from 1 to 365, or a start before the reply-by.
    """
    env = environ if environ is not None else os.environ
    days = {}
    for key, default in (("BUDDYING_OFFER_REPLY_DAYS", 28), ("BUDDYING_OFFER_START_DAYS", 56)):
        raw = env.get(key, "").strip() or str(default)
        value = count_from(raw, 1, 365)
        if value is None:
            raise BuddyingError(f"{key} must be a whole number of days from 1 to 365 (got {raw[:20]!r})")
        days[key] = value
    reply, start = days["BUDDYING_OFFER_REPLY_DAYS"], days["BUDDYING_OFFER_START_DAYS"]
    if start < reply:
        raise BuddyingError(f"BUDDYING_OFFER_START_DAYS ({start}) must not be fewer than "
                            f"BUDDYING_OFFER_REPLY_DAYS ({reply}): a partnership starts after the trusts reply")
    return Timetable(reply, start)


def contact_from(environ: dict[str, str] | None = None) -> str:
    """Who trusts contact about an offer (``BUDDYING_OFFER_CONTACT``)."""
    env = environ if environ is not None else os.environ
    return env.get("BUDDYING_OFFER_CONTACT", "").strip()[:300] or DEFAULT_CONTACT


def answers_of(offer: Offer) -> list[Answer]:
    """The offer's answers, oldest first, in words."""
    return [Answer(d.trust_code, d.decision, reason_words(d) if d.decision == "declined" else "",
                   d.decided_at.date()) for d in offer.decisions]


def for_offer(offer: Offer, trust: str, pair: Partnership) -> OfferText:
    """The offer as the chief executive of ``trust`` (one of its two trusts) reads it."""
    side = "supporter" if offer.supporter == trust else "recipient"
    return _text(trust, side, pair, offer, offer.run_id)


def for_pair(pair: Partnership, side: str, offer: Offer | None, run: Run) -> OfferText:
    """A run's partnership as the letter to its ``side`` trust puts it (before or after publication)."""
    return _text(getattr(pair, side), side, pair, offer, run.id)


def _text(trust: str, side: str, pair: Partnership, offer: Offer | None, run_id: int) -> OfferText:
    partner = pair.recipient if side == "supporter" else pair.supporter
    run = db.session().get(Run, run_id)
    use = plan_of(db.session(), run).use_of(pair.supporter) if run is not None and side == "supporter" else None
    today = datetime.now(UTC).date()
    offered: date = offer.created_at.date() if offer is not None else today
    return offer_text(
        trust=trust, side=side, partner=partner, kind=pair.kind, status=offer.status if offer else "pending",
        pair=pair, names=data.names(), own_capacity=use.capacity_units if use else None, offered_on=offered,
        changed_on=offer.updated_at.date() if offer is not None else today,
        answers=answers_of(offer) if offer is not None else [], timetable=current_app.extensions["offer_timetable"],
        contact=current_app.extensions["offer_contact"])
