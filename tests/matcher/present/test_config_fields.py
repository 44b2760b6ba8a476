"""The configuration as form fields: every key appears once, and the form reads back exactly."""
from __future__ import annotations

import pytest

from matcher.errors import ConfigError
from matcher.present.config_fields import field_for, form_sections, settings_from_form
from matcher.settings import Settings, iter_keys


def default_form() -> dict[str, str]:
    return {f.key: f.text for s in form_sections(Settings()) for f in s.fields}


def test_every_leaf_key_of_the_configuration_is_one_field():
    fields = [f.key for s in form_sections(Settings()) for f in s.fields]
    assert len(fields) == len(set(fields))
    documented = {k for k, _ in iter_keys()}
    assert set(fields) <= documented
    assert {"capacity.buddy_units", "metrics", "peer_groups.may_support", "incentives.mc.milestones",
            "rematch.disruption_budget", "must_match_intensive", "geography.max_corecipient_km",
            "groups.allow_mc_in_group", "max_size_ratio.buddy"} <= set(fields)


def test_the_default_form_reads_back_as_the_defaults():
    assert settings_from_form(default_form()) == Settings()


def test_field_kinds_follow_the_value_types():
    kinds = {f.key: (f.kind, f.optional) for s in form_sections(Settings()) for f in s.fields}
    assert kinds["capacity.buddy_units"] == ("integer", False)
    assert kinds["max_distance_km.buddy"] == ("number", False)
    assert kinds["geography.same_region"] == ("yes_no", False)
    assert kinds["segments.intensive"] == ("yaml", False)
    assert kinds["rematch.disruption_budget"] == ("integer", True)


def test_an_optional_number_left_empty_is_none():
    assert settings_from_form(default_form() | {"rematch.disruption_budget": ""}).rematch.disruption_budget is None
    assert settings_from_form(default_form() | {"rematch.disruption_budget": "2"}).rematch.disruption_budget == 2


def test_every_problem_is_reported_at_once_in_form_order():
    form = default_form() | {"capacity.buddy_units": "0", "solver.seed": "x", "segments.intensive": "[",
                             "geography.same_region": "maybe", "max_distance_km.buddy": ""}
    with pytest.raises(ConfigError) as error:
        settings_from_form(form)
    assert [(p.key, p.message) for p in error.value.problems] == [
        ("segments.intensive",
         "is not valid YAML (line 1, column 2): expected the node content, but found '<stream end>'"),
        ("capacity.buddy_units", "must be 1 or more, got 0"),
        ("max_distance_km.buddy", "must not be empty"),
        ("geography.same_region", "must be yes or no"),
        ("solver.seed", "must be a whole number, got 'x'"),
    ]


def test_a_problem_inside_a_yaml_block_is_reported_on_the_block_with_its_inner_key():
    with pytest.raises(ConfigError) as error:
        settings_from_form(default_form() | {"metrics": "rtt: {weight: high, higher_is_better: true}"})
    assert [(p.key, p.message) for p in error.value.problems] == [
        ("metrics", "(metrics.rtt.weight) must be a number, got 'high'")]


def test_field_for_picks_the_longest_field_a_key_belongs_to():
    keys = ["metrics", "incentives.mc.milestones", "incentives.mc.years"]
    assert field_for("metrics.rtt.weight", keys) == "metrics"
    assert field_for("incentives.mc.milestones[0].amount_gbp", keys) == "incentives.mc.milestones"
    assert field_for("incentives.mc.years", keys) == "incentives.mc.years"
    assert field_for("unknown.key", keys) == "unknown.key"
