"""config.yaml: every default from DOMAIN.md, strict keys, typed values, messages that name the key."""
from __future__ import annotations

import pytest
from pydantic import ValidationError

from matcher.errors import ConfigError
from matcher.settings import DEFAULT_CONFIG_PATH, Settings, load_settings, parse_settings


def test_shipped_config_holds_exactly_the_defaults():
    assert load_settings() == Settings()


def test_defaults_match_the_domain_spec(settings):
    assert settings.segments.intensive == (4, 5)
    assert settings.persistent.min_inspections == 2 and settings.persistent.min_months == 24
    assert settings.supporter.max_rating_age_years == 5
    assert settings.mc_supporter.league_top_share == 0.15
    assert (settings.capacity.base_units, settings.capacity.buddy_units, settings.capacity.mc_units) == (2, 1, 2)
    assert settings.capacity.max_size_ratio == 1.5
    assert (settings.max_distance_km.buddy, settings.max_distance_km.management_contract) == (200, 80)
    weights = settings.weights
    assert (weights.severity, weights.persistent, weights.buddy_for_persistent) == (3, 8, 0.5)
    assert settings.incentives.annual_budget_gbp_m == 35
    assert settings.incentives.cost_to_income_ratio == 0.875
    assert settings.incentives.income_per_fte_gbp == 100_000
    assert (settings.incentives.buddy.fixed, settings.incentives.buddy.per_income, settings.incentives.buddy.years) == \
        (250_000, 0.001, 2)
    assert (settings.incentives.mc.fee_share, settings.incentives.mc.years) == (0.005, 5)
    assert settings.must_match_intensive is False


def test_settings_are_frozen(settings):
    with pytest.raises(ValidationError):
        settings.capacity.base_units = 5


@pytest.mark.parametrize("text, expected", [
    ("capacity:\n  base_units: -1\n", "capacity.base_units must be 0 or more, got -1"),
    ("capacity:\n  buddy_unit: 2\n", "capacity.buddy_unit is not a known key; did you mean 'capacity.buddy_units'?"),
    ("capasity:\n  base_units: 2\n", "capasity is not a known key; did you mean 'capacity'?"),
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
    ("sectors:\n  compatible:\n    acute: [acut]\n",
     "sectors.compatible.acute[0] must be one of 'acute', 'specialist', 'mental_health', 'community' or 'ambulance', "
     "got 'acut'"),
    ("segments:\n  intensive: [4, 6]\n", "segments.intensive must list segments from 1 to 5, got 6"),
    ("segments:\n  intensive: []\n", "segments.intensive must not be empty"),
    ("segments:\n  intensive: [2, 4]\n", "segments cannot list segment 2 as both intensive and supporter"),
    ("capacity: 3\n", "capacity must be a section of keys and values, got 3"),
    ("incentives:\n  mc:\n    milestones:\n      - name: overall Good\n        amount_gbp: 1000\n",
     "incentives.mc.milestones[0].probability is required"),
    ("- 1\n- 2\n", "the file must be a mapping of keys to values"),
    ("capacity:\n  base_units: [\n", "line 3, column 1: expected the node content, but found '<stream end>'"),
])
def test_each_config_problem_is_named_by_its_key(text, expected):
    with pytest.raises(ConfigError) as caught:
        parse_settings(text, source="config.yaml")
    assert [str(p) for p in caught.value.problems] == [expected]


def test_every_problem_is_reported_at_once():
    text = "capacity:\n  base_units: -1\n  buddy_units: 0\nsolver:\n  seed: x\n"
    with pytest.raises(ConfigError) as caught:
        parse_settings(text, source="scenario.yaml")
    assert str(caught.value) == (
        "There are 3 problems in scenario.yaml:\n"
        "  - capacity.base_units must be 0 or more, got -1\n"
        "  - capacity.buddy_units must be 1 or more, got 0\n"
        "  - solver.seed must be a whole number, got 'x'"
    )


def test_an_empty_file_means_all_defaults():
    assert parse_settings("", source="empty.yaml") == Settings()


def test_a_partial_file_keeps_other_defaults():
    settings = parse_settings("capacity:\n  base_units: 4\n")
    assert settings.capacity.base_units == 4
    assert settings.capacity.buddy_units == 1


def test_a_missing_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path / "nope.yaml")
    assert str(caught.value) == (f"There is a problem in {tmp_path / 'nope.yaml'}:\n"
                                 "  - cannot read the file (No such file or directory)")


def test_the_shipped_config_is_commented_for_policy_staff():
    text = DEFAULT_CONFIG_PATH.read_text()
    assert "# Support units every supporter has, before any extra it declares." in text
