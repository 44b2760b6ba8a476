"""``python -m matcher levers``: each policy lever moved one notch, and its figures are those of a fresh run."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from matcher.cli import cli
from matcher.planning import plan
from matcher.settings import load_settings, parse_settings, settings_to_yaml
from tests.factories import AS_OF

DATE = ["--as-of", AS_OF.isoformat()]


@pytest.fixture(scope="module")
def report():
    result = CliRunner().invoke(cli, ["levers", "--format", "json", *DATE])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def by_id(report) -> dict:
    return {lever["id"]: lever for lever in report["levers"]}


def test_the_shipped_data_has_the_seven_levers_of_domain_6_2_each_with_its_figures(report):
    levers = by_id(report)
    assert set(levers) == {"segment_3_supporters", "specialist_to_general", "largest_capacity", "buddy_distance",
                           "spread", "budget", "group_rule"}
    for lever in report["levers"]:
        assert {"coverage_gained", "gained_by_severity", "gained", "lost", "spend", "spend_change",
                "worse"} <= set(lever)
        assert lever["error"] is None
        assert all(r["name"] and r["supporter"] for r in lever["gained"])
    gains = [lever["coverage_gained"] for lever in report["levers"]]
    assert gains == sorted(gains, reverse=True)  # most coverage gained first
    # General acute supply binds, not the budget (DOMAIN §3): more money covers no one, more supporters do.
    assert levers["budget"]["coverage_gained"] == 0 and levers["budget"]["gained"] == []
    assert levers["segment_3_supporters"]["coverage_gained"] > 10
    specialist = levers["specialist_to_general"]
    assert "outside past practice" in specialist["flag"]
    assert {"figure": "pairs within one peer group", "before": "100%", "after": specialist["worse"][0]["after"]} \
        in specialist["worse"]
    assert report["covered"] == 18 and report["recipients"] == 62


def fresh(shipped_dataset, yaml_text: str):
    return plan(shipped_dataset, parse_settings(settings_to_yaml(load_settings()) + yaml_text), AS_OF)


@pytest.mark.parametrize(("lever", "key"), [
    ("buddy_distance", "max_distance_km:\n  buddy: 250\n"),
    ("specialist_to_general", "peer_groups:\n  may_support:\n    general_acute: [general_acute]\n"
                              "    specialist_acute: [specialist_acute, general_acute]\n"
                              "    mental_health: [mental_health]\n    community: [community]\n"
                              "    ambulance: [ambulance]\n"),
])
def test_a_levers_figures_equal_a_fresh_run_with_that_one_key_changed(report, shipped_dataset, national_plan, lever,
                                                                       key):
    result = by_id(report)[lever]
    base = {p.recipient for p in national_plan.pairs}
    # The changed key last in the YAML overrides the default's section: one key changed, nothing else.
    after = fresh(shipped_dataset, key)
    assert result["coverage"] == after.objective.coverage
    assert result["coverage_gained"] == after.objective.coverage - national_plan.objective.coverage
    assert result["spend"] == after.objective.spend
    assert result["pairs"] == len(after.pairs)
    now = {p.recipient: p.supporter for p in after.pairs}
    assert [(r["code"], r["supporter"]) for r in result["gained"]] == sorted((r, s) for r, s in now.items()
                                                                            if r not in base)
    assert [r["code"] for r in result["lost"]] == sorted(base - set(now))


def test_the_table_names_who_gains(report):
    result = CliRunner().invoke(cli, ["levers", *DATE])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("What would cover more: the plan as it stands covers 18 of 62 recipients")
    first = report["levers"][0]
    assert f"{first['gained'][0]['name']} ({first['gained'][0]['code']})" in result.output


def test_a_scenario_adds_its_own_lever(tmp_path):
    config = tmp_path / "scenario.yaml"
    config.write_text("levers:\n- key: capacity.max_load_ratio\n  notch: 0.5\n  label: Load limit +0.5\n"
                      "- key: geography.same_region\n")
    result = CliRunner().invoke(cli, ["levers", "--format", "json", "--config", str(config), *DATE])
    assert result.exit_code == 0, result.output
    levers = {lever["label"]: lever for lever in json.loads(result.output)["levers"]}
    assert levers["Load limit +0.5"]["change"] == "capacity.max_load_ratio: 2"
    assert levers["geography.same_region on"]["change"] == "geography.same_region: true"
    assert levers["geography.same_region on"]["coverage_gained"] <= 0  # a stricter rule never covers more


@pytest.mark.parametrize(("lever", "message"), [
    ("- key: capacity.nope\n  notch: 1\n", "levers[0].key 'capacity.nope' is not a key of the configuration"),
    ("- key: capacity.max_load_ratio\n", "levers[0].notch is required and not 0: capacity.max_load_ratio is a number"),
    ("- key: geography.same_region\n  notch: 1\n", "levers[0].notch must be left out: geography.same_region is a "
                                                    "yes/no key, which the lever switches"),
    ("- key: capacity.buddy_units\n  notch: 50\n", "levers[0].notch moves capacity.buddy_units to 51, which is "
                                                    "refused: capacity.buddy_units must be 20 or less, got 51"),
    ("- key: segments.supporter\n  notch: 1\n", "levers[0].key segments.supporter is not a number or a yes/no"),
])
def test_a_bad_lever_is_refused_naming_its_key(tmp_path, lever, message):
    config = tmp_path / "scenario.yaml"
    config.write_text("levers:\n" + lever)
    result = CliRunner().invoke(cli, ["check-config", str(config)])
    assert result.exit_code == 2
    assert message in result.output


def test_segment_3_supports_only_with_a_recent_good_rating(shipped_dataset):
    from matcher.pipeline import classify_dataset

    result = classify_dataset(shipped_dataset, parse_settings("segments:\n  supporter_with_good_rating: [3]\n"), AS_OF)
    reasons = [" ".join(c.reasons) for c in result.classifications]
    assert any("Supporter: segment 3" in r for r in reasons)
    assert any("supports only with a CQC rating of Good or better, overall and well-led, within 5 years"
               in r for r in reasons)
    assert sum(c.role == "supporter" for c in result.classifications) > 31


def test_the_group_rule_lever_says_where_its_coverage_comes_from(report):
    """+3: East Kent gains a buddy and two trusts lose theirs (-1).

    Two persistent trusts gain the management contract the group rule kept from them (+4 each), while one
    moves back to buddying to make room (-4).
    """
    lever = by_id(report)["group_rule"]
    assert lever["coverage_gained"] == 3
    assert [r["code"] for r in lever["gained"]] == ["RVV"] and [r["code"] for r in lever["lost"]] == ["RNQ", "RQW"]
    assert [(r["code"], r["kind"]) for r in lever["upgraded"]] == [("RCX", "management_contract"),
                                                                  ("RPA", "management_contract")]
    assert [(r["code"], r["kind"]) for r in lever["downgraded"]] == [("RDE", "buddy")]
    assert lever["gained_by_severity"] == {"other recipients": -1}
