"""config.yaml: every default from DOMAIN.md, strict keys, typed values, messages that name the key."""
from __future__ import annotations

import pytest
from pydantic import ValidationError

from matcher.errors import ConfigError
from matcher.settings import DEFAULT_CONFIG_PATH, Settings, load_settings, parse_settings


def test_shipped_config_holds_exactly_the_defaults():
    assert load_settings() == Settings()


def test_defaults_match_the_domain_spec(settings):
    assert (settings.segments.intensive, settings.segments.difficulty) == ((5,), (4,))
    assert settings.recipient.max_rating_age_years == 5
    assert settings.persistent.min_inspections == 2 and settings.persistent.min_months == 24
    assert settings.supporter.max_rating_age_years == 5
    assert (settings.supporter.track_record.min_quarters, settings.supporter.track_record.quarters) == (3, 4)
    assert settings.mc_supporter.league_top_share == 0.15 and settings.mc_supporter.league_scope == "peer_group"
    assert all(groups == (peer,) for peer, groups in settings.peer_groups.may_support.items())
    assert (settings.capacity.income_bands_gbp_m, settings.capacity.units_by_band) == ((400, 1000), (1, 2, 3))
    assert [settings.capacity.units_for(i) for i in (3.99e8, 4e8, 9.99e8, 1e9, float("nan"))] == [1, 2, 2, 3, 0]
    assert (settings.capacity.buddy_units, settings.capacity.mc_units, settings.capacity.max_load_ratio) == (1, 2, 1.5)
    assert (settings.max_size_ratio.buddy, settings.max_size_ratio.management_contract) == (2.0, 1.5)
    assert (settings.max_distance_km.buddy, settings.max_distance_km.management_contract) == (200, 80)
    assert (settings.geography.cross_region_penalty, settings.geography.max_corecipient_km) == (50, 100)
    assert (settings.groups.allow_mc_in_group, settings.groups.same_supporter_bonus) == (False, 100)
    weights = settings.weights
    assert (weights.severity, weights.persistent, weights.buddy_for_persistent) == (3, 8, 0.5)
    assert settings.incentives.annual_budget_gbp_m == 35
    assert settings.incentives.cost_to_income_ratio == 0.875
    assert settings.incentives.income_per_fte_gbp == 100_000
    buddy = settings.incentives.buddy
    assert (buddy.fixed, buddy.per_income, buddy.years, buddy.exit_bonus_share, buddy.exit_bonus_probability) == \
        (250_000, 0, 2, 1.0, 0.4)
    assert (settings.incentives.mc.fee_share, settings.incentives.mc.years) == (0.005, 5)
    assert settings.must_match_intensive is False


def test_settings_are_frozen(settings):
    with pytest.raises(ValidationError):
        settings.capacity.buddy_units = 5


@pytest.mark.parametrize("text, expected", [
    ("capacity:\n  mc_units: 0\n", "capacity.mc_units must be 1 or more, got 0"),
    ("capacity:\n  units_by_band: [1, 2]\n",
     "capacity units_by_band needs 3 numbers, one more than income_bands_gbp_m has thresholds"),
    ("capacity:\n  buddy_unit: 2\n", "capacity.buddy_unit is not a known key; did you mean 'capacity.buddy_units'?"),
    ("capasity:\n  buddy_units: 2\n", "capasity is not a known key; did you mean 'capacity'?"),
    ("zzz: 1\n", "zzz is not a known key"),
    ("solver:\n  workers: two\n", "solver.workers must be a whole number, got 'two'"),
    ("max_distance_km:\n  buddy: far\n", "max_distance_km.buddy must be a number, got 'far'"),
    ("geography:\n  same_region: maybe\n", "geography.same_region must be true or false, got 'maybe'"),
    ("incentives:\n  mc:\n    fee_share: 2\n", "incentives.mc.fee_share must be 1 or less, got 2"),
    ("max_distance_km:\n  management_contract: 0\n", "max_distance_km.management_contract must be more than 0, got 0"),
    ("weights:\n  domain:\n    wel_led: 2\n",
     "weights.domain.wel_led is not a known key; did you mean 'weights.domain.well_led'?"),
    ("metrics:\n  shmi:\n    higher_is_better: false\n    weigth: 1\n",
     "metrics.shmi.weigth is not a known key; did you mean 'metrics.shmi.weight'?"),
    ("metrics:\n  bed_days:\n    higher_is_better: true\n",
     "metrics.bed_days is not a known metric; known metrics are ae_4hr_pct, rtt_18wk_pct, staff_engagement, shmi"),
    ("peer_groups:\n  may_support:\n    general_acute: [acut]\n",
     "peer_groups.may_support.general_acute[0] must be one of 'general_acute', 'specialist_acute', 'mental_health', "
     "'community' or 'ambulance', got 'acut'"),
    ("segments:\n  intensive: [4, 6]\n", "segments.intensive must list segments from 1 to 5, got 6"),
    ("segments:\n  intensive: []\n", "segments.intensive must not be empty"),
    ("segments:\n  intensive: [2, 4]\n", "segments cannot list segment 2 as both intensive and supporter"),
    ("capacity: 3\n", "capacity must be a section of keys and values, got 3"),
    ("incentives:\n  mc:\n    milestones:\n      - name: overall Good\n        amount_gbp: 1000\n",
     "incentives.mc.milestones[0].probability is required"),
    ("- 1\n- 2\n", "the file must be a mapping of keys to values"),
    ("capacity:\n  buddy_units: [\n", "line 3, column 1: expected the node content, but found '<stream end>'"),
])
def test_each_config_problem_is_named_by_its_key(text, expected):
    with pytest.raises(ConfigError) as caught:
        parse_settings(text, source="config.yaml")
    assert [str(p) for p in caught.value.problems] == [expected]


def test_every_problem_is_reported_at_once():
    text = "capacity:\n  mc_units: -1\n  buddy_units: 0\nsolver:\n  seed: x\n"
    with pytest.raises(ConfigError) as caught:
        parse_settings(text, source="scenario.yaml")
    assert str(caught.value) == (
        "There are 3 problems in scenario.yaml:\n"
        "  - capacity.buddy_units must be 1 or more, got 0\n"
        "  - capacity.mc_units must be 1 or more, got -1\n"
        "  - solver.seed must be a whole number, got 'x'"
    )


def test_an_empty_file_means_all_defaults():
    assert parse_settings("", source="empty.yaml") == Settings()


def test_a_partial_file_keeps_other_defaults():
    settings = parse_settings("capacity:\n  buddy_units: 4\n")
    assert settings.capacity.buddy_units == 4
    assert settings.capacity.mc_units == 2


def test_a_missing_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path / "nope.yaml")
    assert str(caught.value) == (f"There is a problem in {tmp_path / 'nope.yaml'}:\n"
                                 f"  - cannot read the file (No such file or directory)")


def test_the_shipped_config_is_commented_for_policy_staff():
    text = DEFAULT_CONFIG_PATH.read_text()
    assert "# Support units one buddying uses." in text


def test_a_version_1_scenario_is_read_in_version_2_terms():
    """Scenarios saved before version 2 still load: removed keys are translated, not refused."""
    v1 = ("capacity:\n  base_units: 2\n  max_size_ratio: 1.2\nsectors:\n  compatible:\n    acute: [acute]\n"
          "segments:\n  intensive: [4, 5]\n")
    settings = parse_settings(v1)
    assert settings.max_size_ratio.management_contract == 1.2
    assert (settings.segments.intensive, settings.segments.difficulty) == ((5,), (4,))
    with pytest.raises(ConfigError):
        parse_settings("capacity:\n  base_unit: 2\n")  # a typo is still a typo
