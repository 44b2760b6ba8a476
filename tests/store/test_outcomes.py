"""Agreements and observations in the database: an accepted offer goes live, imports are all or nothing."""
from __future__ import annotations

from datetime import date

import pytest

from matcher.errors import InputError
from matcher.outcomes import Agreement, Observation
from matcher.store.offers import DecisionRequest, decide
from matcher.store.outcomes import (
    agreements,
    followed,
    import_agreements,
    observation_dates,
    observations,
    record_observations,
)
from matcher.store.tables import utcnow
from tests.running import make_offer

PAST = [Agreement("RXL", "RBV", "buddy", date(2024, 1, 15), date(2026, 1, 15), "https://example.nhs.uk/a"),
        Agreement("RXN", "RBV", "buddy", date(2025, 4, 1), None, "board papers")]


def test_an_offer_both_trusts_accept_becomes_a_live_agreement_from_that_day(db):
    with db.begin() as session:
        offer_id = make_offer(session, "RSUP", "RREC").id
    decide(db, DecisionRequest(offer_id, "RSUP", "accepted"), None)
    with db() as session:
        assert agreements(session) == []
    decide(db, DecisionRequest(offer_id, "RREC", "accepted"), None)
    with db() as session:
        live, = agreements(session)
    assert (live.supporter, live.recipient, live.kind, live.start, live.end) == (
        "RSUP", "RREC", "buddy", utcnow().date(), None)
    assert live.source == f"offer {offer_id}, accepted by both trusts in this service"


def test_importing_past_partnerships_twice_is_refused_and_adds_nothing(db):
    with db.begin() as session:
        assert import_agreements(session, PAST, "past.csv", None) == 2
    with pytest.raises(InputError) as caught, db.begin() as session:
        import_agreements(session, [PAST[1], *PAST[:1]], "past.csv", None)
    assert [str(p) for p in caught.value.problems] == [
        "past.csv, row 2, column 'recipient': this partnership is already on record",
        "past.csv, row 3, column 'recipient': this partnership is already on record"]
    with db() as session:
        assert agreements(session) == PAST


def test_recording_a_refresh_again_on_the_same_date_replaces_it(db):
    first = [Observation("RXL", date(2026, 3, 31), 4, 2, 2, True)]
    again = [Observation("RXL", date(2026, 3, 31), 3, 2, 2, True), Observation("RBV", date(2026, 3, 31), 1, 4, 4,
                                                                                 False)]
    with db.begin() as session:
        record_observations(session, first, "abc")
    with db.begin() as session:
        record_observations(session, again, "def")
    with db() as session:
        assert sorted(observations(session), key=lambda o: o.code) == sorted(again, key=lambda o: o.code)
        assert observation_dates(session) == [date(2026, 3, 31)]


def test_outcomes_are_read_from_what_is_stored(db):
    with db.begin() as session:
        import_agreements(session, PAST[:1], "past.csv", None)
        record_observations(session, [Observation("RXL", date(2023, 12, 31), 4, 2, 2, True),
                                      Observation("RXL", date(2026, 3, 31), 2, 3, 3, False)], "abc")
    with db() as session:
        outcome, = followed(session, date(2026, 12, 31))
    assert outcome.result == "out of difficulty"
