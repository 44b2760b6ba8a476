"""Classification rules (DOMAIN §3, version 2) at their boundaries, with the exact reasons users see."""
from __future__ import annotations

from datetime import date

import pytest

from matcher.classify import classify_trust
from matcher.classify.facts import QuarterSegment
from matcher.domain import Role
from matcher.settings import parse_settings
from tests.factories import AS_OF, GOOD, INADEQUATE, OUTSTANDING, RI, make_history, make_trust

NO_HISTORY = make_history()
NOT_PERSISTENT = (
    "Not shown to be in persistent difficulty: no special-measures entry on record (the history file is partial); "
    "inspection history not known (only the latest inspection is in the data; the rule needs 2 inspections in "
    "difficulty); 1 quarter of segment history known (Q3 2025/26), 0 months of them in the intensive segment "
    "(the rule needs 24); no record of an earlier buddying"
)


def classify_one(settings, history=NO_HISTORY, segments=None, **fields):
    return classify_trust(make_trust(**fields), history, settings, AS_OF, segments)


def quarters(*segments: int) -> list[QuarterSegment]:
    """Segments of consecutive quarters, newest first, from Q3 2025/26.

    Quarters before 2025/26 are of the 2021-25 framework, as the real files are.
    """
    names = ["Q3 2025/26", "Q2 2025/26", "Q1 2025/26", "Q4 2024/25", "Q3 2024/25", "Q2 2024/25", "Q1 2024/25",
             "Q4 2023/24", "Q3 2023/24"]
    return [QuarterSegment(q, "2025/26" if q.endswith("2025/26") else "2021-25", s)
            for q, s in zip(names, segments, strict=False)]


# --- In difficulty (recipient) -------------------------------------------------------------

def test_segment_5_is_intensive_support(settings):
    result = classify_one(settings, segment=5)
    assert result.role is Role.RECIPIENT and result.intensive
    assert "Recipient: oversight segment 5 (intensive support under the 2025/26 framework) in Q3 2025/26" \
        in result.reasons


def test_segment_4_is_the_lowest_quartile_not_intensive_support(settings):
    result = classify_one(settings, segment=4)
    assert result.role is Role.RECIPIENT and not result.intensive and result.severity == 1.0
    assert "Recipient: oversight segment 4 in Q3 2025/26 (the lowest quartile under the 2025/26 framework)" \
        in result.reasons


def test_segment_3_alone_is_not_difficulty(settings):
    result = classify_one(settings, segment=3)
    assert result.role is Role.NEITHER
    assert ("Not a recipient: segment 3 in Q3 2025/26 is not intensive support or the lowest quartile; CQC overall "
            "Good with well-led Good (main location RAA01, published 2024-01-10)") in result.reasons


def test_which_segments_mean_what_is_configurable():
    settings = parse_settings("segments:\n  difficulty: []\n")
    assert classify_one(settings, segment=4).role is Role.NEITHER


def test_a_version_1_configuration_reads_segment_4_as_the_lowest_quartile():
    """Scenarios saved under version 1 listed intensive: [4, 5]; version 2 reads that as intensive 5, difficulty 4."""
    settings = parse_settings("segments:\n  intensive: [4, 5]\n")
    assert settings.segments.intensive == (5,) and settings.segments.difficulty == (4,)


def test_in_the_programme_now_by_the_special_measures_history(settings):
    history = make_history(("RAA", "entered", "NOF segment 4 / Recovery Support Programme", "2025"))
    result = classify_one(settings, history, segment=3)
    assert result.role is Role.RECIPIENT and result.intensive
    assert ("Recipient: entered the NOF segment 4 / Recovery Support Programme in 2025 and the special-measures "
            "history records no exit, so it is in intensive support now") in result.reasons


@pytest.mark.parametrize("event, when, in_programme", [
    ("entered", "2019-05", False),   # before the programme's rules began (2021): history only
    ("exited", "2026-02", False),    # an exit after the entry
])
def test_an_old_or_ended_programme_entry_is_not_intensive_support_now(settings, event, when, in_programme):
    history = make_history(("RAA", "entered", "Recovery Support Programme", "2019-05"),
                           ("RAA", event, "Recovery Support Programme", when))
    assert classify_one(settings, history, segment=3).intensive is in_programme


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
    (RI, GOOD, 3, Role.NEITHER,
     "Not a recipient: segment 3 in Q3 2025/26 is not intensive support or the lowest quartile; CQC overall "
     "Requires improvement with well-led Good (main location RAA01, published 2024-01-10)"),
])
def test_recent_rating_rules_for_recipients(settings, overall, well_led, segment, expected_role, reason):
    result = classify_one(settings, cqc_overall=overall, cqc_well_led=well_led, segment=segment)
    assert result.role is expected_role
    assert reason in result.reasons


def test_a_stale_rating_cannot_on_its_own_make_a_recipient(settings):
    result = classify_one(settings, segment=3, cqc_overall=INADEQUATE, cqc_well_led=INADEQUATE,
                          cqc_published=date(2018, 6, 1))
    assert result.role is Role.NEITHER
    assert ("CQC rating from 2018 is older than 5 years and is not used alone (CQC overall Inadequate with well-led "
            "Inadequate (main location RAA01, published 2018-06-01))") in result.reasons


def test_a_stale_inadequate_rating_does_not_raise_the_severity_of_a_segment_4_recipient(settings):
    result = classify_one(settings, segment=4, cqc_overall=INADEQUATE, cqc_published=date(2018, 6, 1))
    assert result.role is Role.RECIPIENT and result.severity == 1.0


def test_the_recipient_rating_age_is_configurable():
    settings = parse_settings("recipient:\n  max_rating_age_years: 10\n")
    result = classify_one(settings, segment=3, cqc_overall=INADEQUATE, cqc_published=date(2018, 6, 1))
    assert result.role is Role.RECIPIENT


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


def test_the_programme_a_trust_is_in_now_is_not_an_earlier_episode(settings):
    # DOMAIN §3: "placed in special measures or the Recovery Support Programme *before*". Entering
    # the programme in 2025 with no exit is the present difficulty, not a previous one.
    history = make_history(("RAA", "entered", "Recovery Support Programme", "2025"))
    result = classify_one(settings, history, segment=4)
    assert result.intensive and not result.persistent and result.severity == 3.0
    assert any(r.startswith("Not shown to be in persistent difficulty: its only special-measures or programme "
                            "episode on record is the current one (the Recovery Support Programme since 2025, at "
                            "least 10 months; the rule needs 24)") for r in result.reasons)


def test_two_years_in_the_programme_now_is_persistent(settings):
    # Entered in March 2024 (at the latest on the 31st): 31 whole months by 23 November 2026.
    history = make_history(("RAA", "entered", "Recovery Support Programme", "2024-03"))
    result = classify_one(settings, history, segment=4)
    assert result.persistent
    assert "Persistent difficulty: in the Recovery Support Programme since 2024-03, at least 31 months" \
        in result.reasons


def test_an_earlier_episode_counts_beside_the_current_one(settings):
    history = make_history(("RAA", "entered", "quality special measures (Keogh)", "2013-07-16"),
                           ("RAA", "exited", "quality special measures (Keogh)", "2014-07-09"),
                           ("RAA", "entered", "Recovery Support Programme", "2025"))
    result = classify_one(settings, history, segment=4)
    assert result.persistent
    assert "Persistent difficulty: entered quality special measures (Keogh) on 2013-07-16" in result.reasons
    assert not any("since 2025" in r for r in result.reasons)


def test_an_episode_under_an_earlier_name_says_so(settings):
    history = make_history(("RAA", "entered", "quality special measures", "2013-11"))
    history["name_at_time"] = "Old Town Hospital University NHS Foundation Trust"
    result = classify_one(settings, history, segment=4)
    assert ("Persistent difficulty: entered quality special measures in 2013-11 (as Old Town Hospital University "
            "NHS Foundation Trust, a predecessor or earlier name)") in result.reasons


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


@pytest.mark.parametrize("history, persistent", [
    ((5, 5, 5, 4, 4, 4, 4, 4), True),    # 24 months in intensive support (segment 4 meant that before 2025/26)
    ((5, 5, 5, 4, 4, 4, 4, 3), False),   # 21 months: the run was broken
])
def test_two_years_in_the_intensive_segment_is_persistent(settings, history, persistent):
    result = classify_one(settings, segments=quarters(*history), segment=5)
    assert result.persistent is persistent
    if persistent:
        expected = "Persistent difficulty: in the intensive segment for 24 months"
        assert any(r.startswith(expected) for r in result.reasons)


def test_segment_4_of_the_2025_26_framework_never_counts_as_intensive_months(settings):
    history = quarters(4, 4, 4, 4, 4, 4, 4, 4)  # three 2025/26 quarters in segment 4 break the intensive run
    assert not classify_one(settings, segments=history, segment=4).persistent


# --- Supporters ----------------------------------------------------------------------------

@pytest.mark.parametrize("segment, is_supporter", [(1, True), (2, True), (3, False)])
def test_supporters_need_segment_1_or_2(settings, segment, is_supporter):
    result = classify_one(settings, segment=segment)
    assert (result.role is Role.SUPPORTER) == is_supporter
    if not is_supporter:
        assert "Not a supporter: segment 3 in Q3 2025/26 (supporters need segment 1 or 2)" in result.reasons


def test_a_track_record_needs_3_of_the_last_4_known_quarters(settings):
    assert classify_one(settings, segments=quarters(1, 2, 3, 1), segment=1).role is Role.SUPPORTER
    result = classify_one(settings, segments=quarters(1, 3, 3, 1), segment=1)
    assert result.role is Role.NEITHER
    assert ("Not a supporter: segment 1 or 2 in 2 of its last 4 known quarters; the track record needs 3 of 4 "
            "(4 quarters of segment history known (Q3 2025/26, Q2 2025/26, Q1 2025/26, Q4 2024/25))") in result.reasons


def test_with_one_known_quarter_what_is_known_counts_and_the_reasons_say_so(settings):
    result = classify_one(settings, segment=1)
    assert result.role is Role.SUPPORTER
    assert ("Supporter: segment 1 in Q3 2025/26 (1 quarter of segment history known (Q3 2025/26)), CQC overall "
            "Good and well-led Good (main location RAA01, published 2024-01-10, within 5 years)") in result.reasons


@pytest.mark.parametrize("published, overall, well_led, is_supporter, reason", [
    (date(2021, 11, 24), GOOD, RI, False,
     "Not a supporter: CQC well-led Requires improvement (main location RAA01, published 2021-11-24) is within "
     "5 years and below Good"),
    # exactly five years old is no longer younger than five years: the segment counts alone
    (date(2021, 11, 23), GOOD, RI, True,
     "Supporter: CQC rating from 2021 is older than 5 years; segment 1 counts alone (1 quarter of segment history "
     "known (Q3 2025/26))"),
    (None, None, None, True,
     "Supporter: not rated; segment 1 in Q3 2025/26 counts alone (1 quarter of segment history known (Q3 2025/26))"),
])
def test_supporter_rating_age_boundary(settings, published, overall, well_led, is_supporter, reason):
    result = classify_one(settings, segment=1, cqc_published=published, cqc_overall=overall, cqc_well_led=well_led)
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
    ({"peer_league_rank": 15, "peer_league_size": 100}, True,
     "Management-contract supporter: not in deficit, segment 1 and league rank 15 of 100 among general acute "
     "trusts (within the best 15%)"),
    ({"peer_league_rank": 16, "peer_league_size": 100}, False,
     "Not a management-contract supporter: no Outstanding rating, and league rank 16 of 100 among general acute "
     "trusts is outside the best 15%"),
    ({"peer_league_rank": 1, "peer_league_size": 100, "segment": 2}, False,
     "Not a management-contract supporter: no Outstanding rating, and league rank 1 of 100 among general acute "
     "trusts; the league route needs segment 1"),
    ({"cqc_overall": OUTSTANDING, "deficit": 1}, False,
     "Not a management-contract supporter: in financial deficit (oversight segmentation Q3 2025/26)"),
    ({"cqc_overall": OUTSTANDING, "deficit": None, "deficit_source": None}, False,
     "Not a management-contract supporter: deficit status not known (no finance figure)"),
    ({"peer_league_rank": None, "peer_league_size": None}, False,
     "Not a management-contract supporter: no Outstanding rating, and no league rank among general acute trusts"),
])
def test_management_contract_supporter_rules(settings, fields, is_mc, reason):
    result = classify_one(settings, **{"segment": 1, **fields})
    assert result.role is Role.SUPPORTER
    assert result.mc_supporter is is_mc
    assert reason in result.reasons


def test_the_league_test_is_within_the_peer_group_unless_configured_otherwise():
    """A general acute trust ranked 20th of 130 in the acute league may be 10th of 100 general acute trusts."""
    fields = {"segment": 1, "league_rank": 20, "league_size": 130, "peer_league_rank": 10, "peer_league_size": 100}
    assert classify_one(parse_settings(""), **fields).mc_supporter
    assert not classify_one(parse_settings("mc_supporter:\n  league_scope: league\n"), **fields).mc_supporter


def test_a_recipient_is_never_a_management_contract_supporter(settings):
    result = classify_one(settings, segment=4, cqc_overall=OUTSTANDING)
    assert result.role is Role.RECIPIENT and not result.mc_supporter
    assert "Not a supporter: it is in difficulty" in result.reasons


# --- Severity ------------------------------------------------------------------------------

@pytest.mark.parametrize("fields, persistent, severity", [
    ({"segment": 3, "cqc_overall": RI, "cqc_well_led": RI}, False, 1.0),
    ({"segment": 3, "cqc_overall": INADEQUATE}, False, 3.0),   # a recent Inadequate rating
    ({"segment": 4}, False, 1.0),                           # the lowest quartile alone: never 3
    ({"segment": 5}, False, 3.0),                           # intensive support
    ({"segment": 4}, True, 8.0),
    ({"segment": 1}, False, 0.0),
])
def test_severity_weights(settings, fields, persistent, severity):
    history = make_history(("RAA", "entered", "quality special measures", "2013-07-16")) if persistent else NO_HISTORY
    assert classify_one(settings, history, **fields).severity == severity


def test_to_dict_has_the_cli_contract_keys(settings):
    out = classify_one(settings, segment=4).to_dict()
    assert set(out) >= {"code", "name", "sector", "peer_group", "region", "role", "persistent", "mc_supporter",
                        "intensive", "severity", "reasons"}
    assert out["role"] == "recipient" and isinstance(out["reasons"], list)
