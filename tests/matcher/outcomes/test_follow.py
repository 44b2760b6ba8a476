"""Following agreements to their outcome, the track record, and the overstretch warning (DOMAIN §8)."""
from __future__ import annotations

from datetime import date

from matcher.outcomes import Agreement, Observation, follow, track
from matcher.outcomes.follow import add_months


def seen(code: str, day: str, segment: int, in_difficulty: bool) -> Observation:
    return Observation(code, date.fromisoformat(day), segment, 2, 2, in_difficulty)


AGREEMENT = Agreement("RXL", "RBV", "buddy", date(2024, 1, 15), date(2026, 1, 15), "test")
TODAY = date(2026, 12, 31)


def test_each_mark_is_the_data_of_the_refresh_nearest_after_it():
    history = [seen("RXL", "2023-12-31", 4, True), seen("RXL", "2024-06-30", 4, True),
               seen("RXL", "2025-03-31", 3, True), seen("RXL", "2026-03-31", 2, False)]
    outcome, = follow([AGREEMENT], history, TODAY)
    assert [m.observation.observed_on.isoformat() for m in outcome.marks if m.observation] == [
        "2023-12-31", "2025-03-31", "2026-03-31"]
    assert [m.label for m in outcome.marks] == ["at start", "at 12 months", "at 24 months"]
    assert outcome.status == "ended"
    assert outcome.left_difficulty is True and outcome.result == "out of difficulty"


def test_an_ended_agreement_is_judged_by_the_first_data_after_its_end_not_by_later_data():
    history = [seen("RXL", "2023-12-31", 4, True), seen("RXL", "2026-03-31", 4, True),
               seen("RXL", "2026-09-30", 2, False)]
    outcome, = follow([AGREEMENT], history, TODAY)
    assert outcome.latest.observed_on == date(2026, 3, 31)
    assert outcome.result == "still in difficulty"


def test_without_data_after_the_start_the_outcome_is_not_yet_known():
    outcome, = follow([AGREEMENT], [seen("RXL", "2023-12-31", 4, True)], TODAY)
    assert outcome.left_difficulty is None and outcome.result == "not yet known"
    assert outcome.marks[1].observation is None


def test_the_track_record_counts_ended_agreements_by_outcome_and_live_ones_apart():
    agreements = [AGREEMENT, Agreement("RXN", "RBV", "buddy", date(2022, 1, 1), date(2023, 6, 1), "test"),
                  Agreement("RAE", "RBV", "buddy", date(2026, 6, 1), None, "test")]
    history = [seen("RXL", "2023-12-31", 4, True), seen("RXL", "2026-03-31", 2, False),
               seen("RXN", "2021-12-31", 4, True), seen("RXN", "2023-06-30", 4, True)]
    record = track(follow(agreements, history, TODAY))["RBV"]
    assert (record.out_of_difficulty, record.still_in_difficulty, record.live, record.net) == (1, 1, 1, 0)
    assert record.sentence() == ("1 agreement ended with the recipient out of difficulty and 1 with it still in "
                                 "difficulty; 1 is live.")


def test_a_supporter_whose_own_segment_falls_while_supporting_is_flagged():
    history = [seen("RBV", "2023-12-31", 1, False), seen("RBV", "2024-09-30", 3, False)]
    outcome, = follow([AGREEMENT], history, TODAY)
    assert outcome.overstretch == ("RBV may be overstretched: its segment fell from 1 to 3 (data of 30 September "
                                   "2024) while supporting RXL")


def test_a_fall_after_the_agreement_ended_is_not_overstretch():
    history = [seen("RBV", "2023-12-31", 1, False), seen("RBV", "2026-09-30", 3, False)]
    assert follow([AGREEMENT], history, TODAY)[0].overstretch is None


def test_months_are_added_to_the_calendar():
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2024, 11, 15), 14) == date(2026, 1, 15)


def test_a_supporter_with_only_live_agreements_says_none_has_ended():
    record = track(follow([Agreement("RAE", "RBV", "buddy", date(2026, 6, 1), None, "test")], [], TODAY))["RBV"]
    assert record.sentence() == "No agreement has ended yet; 1 is live."
