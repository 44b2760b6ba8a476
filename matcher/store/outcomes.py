"""Agreements and observations in the database, and the outcomes and track records read from them (DOMAIN §8).

An offer both trusts accept becomes a live agreement starting that day (``agreement_for_offer``, in the
answer's own transaction). Past partnerships come from a checked file (``import_agreements``: all rows
or none). Each data refresh records what it found of every trust (``record_observations``: one set per
date, replaced if the same date is recorded again). ``followed`` and ``track_records`` hand them to
``matcher.outcomes``.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..errors import InputError, Problem
from ..outcomes import Agreement, Observation, Outcome, TrackRecord, follow, track
from .audit import record
from .outcome_tables import AgreementRow, ObservationRow
from .tables import Offer


def agreement_for_offer(session: Session, offer: Offer, starts_on: date, user_id: int | None) -> AgreementRow:
    """The live agreement an accepted offer becomes (once: a second call returns the first)."""
    found = session.scalar(select(AgreementRow).where(AgreementRow.offer_id == offer.id))
    if found is not None:
        return found
    row = AgreementRow(recipient=offer.recipient, supporter=offer.supporter, kind=offer.kind, starts_on=starts_on,
                       ends_on=None, source=f"offer {offer.id}, accepted by both trusts in this service",
                       offer_id=offer.id, created_by=user_id)
    session.add(row)
    return row


def import_agreements(session: Session, agreements: list[Agreement], file_name: str, user_id: int | None) -> int:
    """Add checked past partnerships (row i of the file is ``agreements[i - 2]``); all of them or none.

    Raises:
        InputError: a partnership already on record, named by row.
    """
    existing = {(a.recipient, a.supporter, a.kind, a.starts_on) for a in session.scalars(select(AgreementRow))}
    problems = []
    for row, agreement in enumerate(agreements, start=2):
        if (agreement.recipient, agreement.supporter, agreement.kind, agreement.start) in existing:
            problems.append(Problem(file_name, "this partnership is already on record", row, "recipient"))
    if problems:
        raise InputError(problems)
    for agreement in agreements:
        session.add(AgreementRow(recipient=agreement.recipient, supporter=agreement.supporter, kind=agreement.kind,
                                 starts_on=agreement.start, ends_on=agreement.end, source=agreement.source,
                                 created_by=user_id))
    record(session, user_id, "agreements.import", file_name, rows=len(agreements))
    return len(agreements)


def record_observations(session: Session, observations: Iterable[Observation], fingerprint: str) -> int:
    """Keep what one data refresh found of each trust; a second record of the same date replaces the first."""
    items = list(observations)
    for day in {o.observed_on for o in items}:
        session.execute(delete(ObservationRow).where(ObservationRow.observed_on == day))
    session.add_all(ObservationRow(observed_on=o.observed_on, code=o.code, segment=o.segment, overall=o.overall,
                                   well_led=o.well_led, in_difficulty=o.in_difficulty, data_fingerprint=fingerprint)
                    for o in items)
    return len(items)


def agreements(session: Session) -> list[Agreement]:
    """Every agreement on record."""
    return [Agreement(r.recipient, r.supporter, r.kind, r.starts_on, r.ends_on, r.source)
            for r in session.scalars(select(AgreementRow).order_by(AgreementRow.starts_on, AgreementRow.id))]


def observations(session: Session, codes: set[str] | None = None) -> list[Observation]:
    """What the data refreshes observed (of ``codes`` only, when given)."""
    query = select(ObservationRow).order_by(ObservationRow.observed_on)
    if codes is not None:
        query = query.where(ObservationRow.code.in_(sorted(codes)))
    return [Observation(r.code, r.observed_on, r.segment, r.overall, r.well_led, r.in_difficulty)
            for r in session.scalars(query)]


def observation_dates(session: Session) -> list[date]:
    """The dates data refreshes were recorded on, oldest first."""
    return list(session.scalars(select(ObservationRow.observed_on).distinct().order_by(ObservationRow.observed_on)))


def followed(session: Session, today: date) -> list[Outcome]:
    """Every agreement followed to ``today``."""
    items = agreements(session)
    codes = {a.recipient for a in items} | {a.supporter for a in items}
    return follow(items, observations(session, codes), today)


def track_records(session: Session, today: date) -> dict[str, TrackRecord]:
    """Each supporter's track record as of ``today``."""
    return track(followed(session, today))
