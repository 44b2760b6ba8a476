"""Classification rules (DOMAIN §3) at their boundaries, with the exact reasons users see."""
from __future__ import annotations

from datetime import date

import pytest

from matcher.classify import classify_trust
from matcher.domain import Role
from matcher.settings import parse_settings
from tests.factories import AS_OF, GOOD, INADEQUATE, OUTSTANDING, RI, make_history, make_trust

NO_HISTORY = make_history()
NOT_PERSISTENT = (
    "Not shown to be in persistent difficulty: no special-measures entry on record (the history file is partial); "
    "inspection history not known (only the latest inspection is in the data; the rule needs 2 inspections in "
    "difficulty); segment history not known (only Q3 2025/26 is in the data; the rule needs 24 months in the "
    "intensive segment); no record of an earlier buddying"
)


def classify_one(settings, history=NO_HISTORY, **fields):
    return classify_trust(make_trust(**fields), history, settings, AS_OF)


# --- In difficulty (recipient) -------------------------------------------------------------

@pytest.mark.parametrize("segment, is_recipient", [(3, False), (4, True), (5, True)])
def test_intensive_segment_makes_a_recipient(settings, segment, is_recipient):
    result = classify_one(settings, segment=segment)
    assert (result.role is Role.RECIPIENT) == is_recipient
    reason = f"Recipient: oversight segment {segment} (intensive support) in Q3 2025/26"
    assert (reason in result.reasons) == is_recipient


def test_the_intensive_set_is_configurable():
    settings = parse_settings("segments:\n  intensive: [5]\n")
    assert classify_one(settings, segment=4).role is Role.NEITHER


@pytest.mark.parametrize("overall, well_led, segment, expected_role, reason", [
    (INADEQUATE, GOOD, 2, Role.RECIPIENT,
     "Recipient: CQC overall Inadequate (main location RAA01, published 2024-01-10)"),
    (RI, RI, 3, Role.RECIPIENT,
     "Recipient: CQC overall Requires improvement with well-led Requires improvement (main location RAA01, "
     "published 2024-01-10), and segment 3 in Q3 2025/26"),
    (RI, INADEQUATE, None, Role.RECIPIENT,
     "Recipient: CQC overall Requires improvement with well-led Inadequate (main location RAA01, "
     "published 2024-01-10), and no segment"),
    (RI, RI, 2, Role.NEITHER,
     "Not a recipient on ratings: CQC overall Requires improvement with well-led Requires improvement (main "
     "location RAA01, published 2024-01-10) is outweighed by the current segment 2 in Q3 2025/26"),
    (RI, RI, 1, Role.SUPPORTER,
     "Not a recipient on ratings: CQC overall Requires improvement with well-led Requires improvement (main "
     "location RAA01, published 2024-01-10) is outweighed by the current segment 1 in Q3 2025/26"),
    (RI, GOOD, 3, Role.NEITHER,
     "Not a recipient: segment 3 in Q3 2025/26 is not intensive support; CQC overall Requires improvement with "
     "well-led Good (main location RAA01, published 2024-01-10)"),
])
def test_rating_rules_for_recipients(settings, overall, well_led, segment, expected_role, reason):
    published = date(2016, 1, 10) if expected_role is Role.SUPPORTER else date(2024, 1, 10)
    result = classify_one(settings, cqc_overall=overall, cqc_well_led=well_led, segment=segment,
                          cqc_published=published)
    assert result.role is expected_role
    assert reason.replace("2024-01-10", published.isoformat()) in result.reasons


def test_missing_data_is_said_not_guessed(settings):
    result = classify_one(settings, segment=None, cqc_overall=None, cqc_well_led=None, cqc_published=None)
    assert result.role is Role.NEITHER
    assert result.reasons == (
        "No segment: the trust is not in the oversight segmentation, so the segment rules were not applied",
        "Not rated: no CQC rating in the data, so the rating rules were not applied",
        "Not a supporter: no segment (supporters need segment 1 or 2)",
    )


# --- Persistent difficulty -----------------------------------------------------------------

@pytest.mark.parametrize("event, when, persistent, reason", [
    ("entered", "2013-07-16", True, "Persistent difficulty: entered quality special measures on 2013-07-16"),
    ("entry_recommended", "2017-03", True,
     "Persistent difficulty: was recommended for quality special measures in 2017-03"),
    ("exited", "2016-01-01", False, NOT_PERSISTENT),
])
def test_special_measures_history_makes_a_recipient_persistent(settings, event, when, persistent, reason):
    history = make_history(("RAA", event, "quality special measures", when))
    result = classify_one(settings, history, segment=4)
    assert result.persistent is persistent
    assert reason in result.reasons


def test_history_does_not_make_a_trust_that_is_not_in_difficulty_persistent(settings):
    history = make_history(("RAA", "entered", "quality special measures", "2013-07-16"))
    result = classify_one(settings, history, segment=2)
    assert not result.persistent and result.role is Role.SUPPORTER


def test_which_history_events_count_is_configurable():
    settings = parse_settings("persistent:\n  history_events: [entered]\n")
    history = make_history(("RAA", "entry_recommended", "quality special measures", "2017-03"))
    assert not classify_one(settings, history, segment=4).persistent


def test_a_recipient_without_history_names_each_missing_history(settings):
    assert NOT_PERSISTENT in classify_one(settings, segment=4).reasons


# --- Supporters ----------------------------------------------------------------------------

@pytest.mark.parametrize("segment, is_supporter", [(1, True), (2, True), (3, False)])
def test_supporters_need_segment_1_or_2(settings, segment, is_supporter):
    result = classify_one(settings, segment=segment)
    assert (result.role is Role.SUPPORTER) == is_supporter
    if not is_supporter:
        assert "Not a supporter: segment 3 in Q3 2025/26 (supporters need segment 1 or 2)" in result.reasons


@pytest.mark.parametrize("published, overall, well_led, is_supporter, reason", [
    # a recent rating must be Good or better, overall and well-led
    (date(2024, 1, 10), GOOD, OUTSTANDING, True,
     "Supporter: segment 1 in Q3 2025/26, CQC overall Good and well-led Outstanding (main location RAA01, "
     "published 2024-01-10, within 5 years)"),
    (date(2021, 11, 24), GOOD, RI, False,
     "Not a supporter: CQC well-led Requires improvement (main location RAA01, published 2021-11-24) is within "
     "5 years and below Good"),
    # exactly five years old is no longer younger than five years: the segment counts alone
    (date(2021, 11, 23), GOOD, RI, True,
     "Supporter: CQC rating from 2021 is older than 5 years; segment 1 counts alone"),
    (date(2016, 5, 1), INADEQUATE, INADEQUATE, None,
     "Recipient: CQC overall Inadequate (main location RAA01, published 2016-05-01)"),
    (None, None, None, True, "Supporter: not rated; segment 1 in Q3 2025/26 counts alone"),
])
def test_supporter_rating_age_boundary(settings, published, overall, well_led, is_supporter, reason):
    result = classify_one(settings, segment=1, cqc_published=published, cqc_overall=overall, cqc_well_led=well_led)
    if is_supporter is None:
        assert result.role is Role.RECIPIENT  # an Inadequate rating of any age still makes a recipient
    else:
        assert (result.role is Role.SUPPORTER) == is_supporter
    assert reason in result.reasons


def test_the_rating_age_limit_is_configurable():
    settings = parse_settings("supporter:\n  max_rating_age_years: 10\n")
    result = classify_one(settings, segment=1, cqc_published=date(2018, 1, 1), cqc_well_led=RI)
    assert result.role is Role.NEITHER


# --- Management-contract supporters --------------------------------------------------------

@pytest.mark.parametrize("fields, is_mc, reason", [
    ({"cqc_overall": OUTSTANDING}, True,
     "Management-contract supporter: not in deficit, and overall Outstanding at its latest inspection "
     "(main location RAA01, published 2024-01-10)"),
    ({"cqc_well_led": OUTSTANDING, "segment": 2}, True,
     "Management-contract supporter: not in deficit, and well-led Outstanding at its latest inspection "
     "(main location RAA01, published 2024-01-10)"),
    ({"league_rank": 15, "league_size": 100}, True,
     "Management-contract supporter: not in deficit, segment 1 and league rank 15 of 100 (within the best 15%)"),
    ({"league_rank": 16, "league_size": 100}, False,
     "Not a management-contract supporter: no Outstanding rating, and league rank 16 of 100 is outside the best 15%"),
    ({"league_rank": 1, "league_size": 100, "segment": 2}, False,
     "Not a management-contract supporter: no Outstanding rating, and league rank 1 of 100; "
     "the league route needs segment 1"),
    ({"cqc_overall": OUTSTANDING, "deficit": 1}, False,
     "Not a management-contract supporter: in financial deficit (oversight segmentation Q3 2025/26)"),
    ({"cqc_overall": OUTSTANDING, "deficit": None, "deficit_source": None}, False,
     "Not a management-contract supporter: deficit status not known (no finance figure)"),
    ({"league_rank": None, "league_size": None}, False,
     "Not a management-contract supporter: no Outstanding rating, and no league rank"),
])
def test_management_contract_supporter_rules(settings, fields, is_mc, reason):
    result = classify_one(settings, **{"segment": 1, **fields})
    assert result.role is Role.SUPPORTER
    assert result.mc_supporter is is_mc
    assert reason in result.reasons


def test_a_recipient_is_never_a_management_contract_supporter(settings):
    result = classify_one(settings, segment=4, cqc_overall=OUTSTANDING)
    assert result.role is Role.RECIPIENT and not result.mc_supporter
    assert "Not a supporter: it is in difficulty" in result.reasons


# --- Severity ------------------------------------------------------------------------------

@pytest.mark.parametrize("fields, persistent, severity", [
    ({"segment": 3, "cqc_overall": RI, "cqc_well_led": RI}, False, 1.0),
    ({"segment": 3, "cqc_overall": INADEQUATE}, False, 3.0),
    ({"segment": 4}, False, 3.0),
    ({"segment": 4}, True, 8.0),
    ({"segment": 1}, False, 0.0),
])
def test_severity_weights(settings, fields, persistent, severity):
    history = make_history(("RAA", "entered", "quality special measures", "2013-07-16")) if persistent else NO_HISTORY
    assert classify_one(settings, history, **fields).severity == severity


def test_to_dict_has_the_cli_contract_keys(settings):
    out = classify_one(settings, segment=4).to_dict()
    assert set(out) >= {"code", "name", "sector", "region", "role", "persistent", "mc_supporter", "reasons"}
    assert out["role"] == "recipient" and isinstance(out["reasons"], list)
