"""The configuration as a form a policy officer fills in: every key appears once, in words, and reads back exactly."""
from __future__ import annotations

import re

import pytest

from matcher.errors import ConfigError
from matcher.present.config_fields import all_fields, form_sections
from matcher.present.config_form import field_for, form_errors, settings_from_form
from matcher.settings import Settings, iter_keys, parse_settings


def default_form() -> dict:
    return {f.key: f.text for s in form_sections(Settings()) for f in s.fields}


def fields_by_key() -> dict:
    return {f.key: f for s in form_sections(Settings()) for f in s.fields}


def errors_for(changes: dict) -> dict[str, str]:
    form = default_form() | changes
    with pytest.raises(ConfigError) as error:
        settings_from_form(form)
    return form_errors(error.value, form)


def test_every_leaf_key_of_the_configuration_is_a_field():
    fields = [f.key for s in form_sections(Settings()) for f in s.fields]
    assert len(fields) == len(set(fields))
    general = {re.sub(r"\[\d+\]", "[]", re.sub(r"^metrics\.\w+\.", "metrics.<name>.", key)) for key in fields}
    general = {"peer_groups.may_support" if k.startswith("peer_groups.may_support.") else k for k in general}
    documented = {k for k, _ in iter_keys()}
    assert general <= documented
    sections = {"segments", "segments.earlier_framework", "segments.programme", "recipient", "persistent",
                "supporter", "supporter.track_record", "mc_supporter", "peer_groups", "capacity", "max_size_ratio",
                "max_distance_km", "geography", "groups", "weights", "weights.domain", "weights.oversight_domain",
                "metrics", "incentives", "incentives.buddy", "incentives.mc", "incentives.mc.milestones", "solver",
                "rematch", "levers"}
    assert documented - general == sections


def test_labels_are_words_not_key_paths_and_hints_are_the_help_text():
    for field in all_fields():
        assert "_" not in field.label and "." not in field.label.replace("e.g.", ""), field.label
        assert field.label[0].isupper(), field.label
    fields = fields_by_key()
    people = fields["weights.oversight_domain.people_workforce"]
    assert people.label == "Oversight: people and workforce"
    assert people.help == "Fit weight of the oversight domain people and workforce (0 to 100)."
    budget = fields["incentives.annual_budget_gbp_m"]
    assert budget.label == "Annual budget for incentive payments (£ millions)"
    assert budget.help == ("Budget for the annual incentive payments of all chosen partnerships, "
                           "in £ millions (up to 10,000).")
    # a key named inside a help text is shown as its label
    assert "“age of a cqc rating" not in fields["weights.stale_rating_discount"].help
    assert fields["weights.stale_rating_discount"].help == (
        "Multiplier on CQC fit terms when either trust's rating is older than "
        "“age of a CQC rating that still counts for a supporter (years)” (0 to 1).")
    assert fields["rematch.disruption_budget"].help.endswith("Leave empty for no limit.")
    assert "null" not in fields["rematch.disruption_budget"].help
    titles = [s.title for s in form_sections(Settings())]
    assert titles[:3] == ["Oversight segments", "Which trusts are in difficulty", "Persistent difficulty"]


def test_lists_are_checkboxes_or_repeated_boxes_never_yaml():
    fields = fields_by_key()
    assert {f.kind for f in all_fields()} <= {"integer", "number", "yes_no", "choice", "text", "checkboxes",
                                              "numbers", "integers", "lines"}
    intensive = fields["segments.intensive"]
    assert (intensive.kind, intensive.text) == ("checkboxes", ["5"])
    assert intensive.choices[0] == ("1", "Segment 1 (best)")
    assert intensive.choices[4] == ("5", "Segment 5 (intensive support)")
    assert fields["persistent.history_events"].choices[0] == ("entered", "Entered special measures")
    acute = fields["peer_groups.may_support.general_acute"]
    assert (acute.kind, acute.label, acute.text) == ("checkboxes", "General acute supporters may support",
                                                     ["general_acute"])
    bands = fields["capacity.income_bands_gbp_m"]
    assert (bands.kind, bands.text, bands.slots) == ("numbers", ["400", "1000"], 6)
    assert fields["segments.programme.regimes"].kind == "lines"
    scope = fields["mc_supporter.league_scope"]
    assert scope.kind == "choice" and dict(scope.choices)["peer_group"] == "The trust's own peer group"
    assert fields["incentives.mc.milestones[0].name"].text == "out of the intensive segment"
    assert fields["incentives.mc.milestones[4].name"].text == ""  # two empty rows to add milestones
    assert "incentives.mc.milestones[5].name" not in fields
    assert fields["metrics.shmi.higher_is_better"].text == "false"


def test_the_default_form_reads_back_as_the_defaults():
    assert settings_from_form(default_form()) == Settings()


def test_a_scenario_reads_back_through_its_own_form():
    settings = parse_settings("segments: {difficulty: [3, 4]}\nmetrics: {shmi: {higher_is_better: false, weight: 2}}\n"
                              "capacity: {income_bands_gbp_m: [300, 600, 1200], units_by_band: [1, 2, 3, 4]}\n")
    form = {f.key: f.text for s in form_sections(settings) for f in s.fields}
    assert settings_from_form(form) == settings


def test_checked_boxes_and_repeated_boxes_are_read_as_lists():
    settings = settings_from_form(default_form() | {
        "segments.difficulty": ["3", "4"], "capacity.income_bands_gbp_m": ["300", "", "900", ""],
        "capacity.units_by_band": ["1", "2", "4"],
        "peer_groups.may_support.general_acute": ["general_acute", "community"],
        "segments.programme.regimes": "Recovery Support Programme\n\n  Another programme  \n"})
    assert settings.segments.difficulty == (3, 4)
    assert settings.capacity.income_bands_gbp_m == (300, 900)
    assert settings.capacity.units_by_band == (1, 2, 4)
    assert [g.value for g in settings.peer_groups.may_support["general_acute"]] == ["general_acute", "community"]
    assert settings.segments.programme.regimes == ("Recovery Support Programme", "Another programme")


def test_a_milestone_row_left_empty_is_removed_and_a_measure_without_weight_is_left_out():
    settings = settings_from_form(default_form() | {"incentives.mc.milestones[1].name": "",
                                                    "incentives.mc.milestones[1].amount_gbp": "",
                                                    "incentives.mc.milestones[1].probability": "",
                                                    "incentives.mc.milestones[3].name": "new chief executive",
                                                    "incentives.mc.milestones[3].amount_gbp": "100000",
                                                    "incentives.mc.milestones[3].probability": "0.9",
                                                    "metrics.shmi.weight": ""})
    assert [m.name for m in settings.incentives.mc.milestones] == [
        "out of the intensive segment", "overall Good", "new chief executive"]
    assert "shmi" not in settings.metrics


def test_an_optional_number_left_empty_is_none():
    assert settings_from_form(default_form() | {"rematch.disruption_budget": ""}).rematch.disruption_budget is None
    assert settings_from_form(default_form() | {"rematch.disruption_budget": "2"}).rematch.disruption_budget == 2


def test_every_problem_is_reported_at_once_in_form_order():
    form = default_form() | {"capacity.buddy_units": "0", "solver.seed": "x", "segments.intensive": ["6"],
                             "geography.same_region": "maybe", "max_distance_km.buddy": ""}
    with pytest.raises(ConfigError) as error:
        settings_from_form(form)
    assert [(p.key, p.message) for p in error.value.problems] == [
        ("segments.intensive", "must be chosen from the options shown, got '6'"),
        ("capacity.buddy_units", "must be 1 or more, got 0"),
        ("max_distance_km.buddy", "must not be empty"),
        ("geography.same_region", "must be yes or no"),
        ("solver.seed", "must be a whole number, got 'x'"),
    ]


def test_errors_are_in_the_forms_words_with_what_was_typed():
    assert errors_for({"incentives.annual_budget_gbp_m": "1e21"}) == {"incentives.annual_budget_gbp_m": (
        "Annual budget for incentive payments (£ millions) must be 10,000 or less (you entered 1e21)")}
    assert errors_for({"capacity.buddy_units": "-1"}) == {
        "capacity.buddy_units": "Support units one buddying uses must be 1 or more (you entered -1)"}
    assert errors_for({"max_distance_km.buddy": ""}) == {
        "max_distance_km.buddy": "Enter longest distance for a buddying (km)"}
    assert errors_for({"segments.supporter": []}) == {
        "segments.supporter": "Select at least one option for “segments a supporter must be in”"}
    assert errors_for({"capacity.income_bands_gbp_m": ["1000", "400"]}) == {"capacity.income_bands_gbp_m": (
        "“Income thresholds between capacity steps (£ millions)” must be in increasing order, each once")}
    assert errors_for({"supporter.track_record.min_quarters": "9"}) == {"supporter.track_record.min_quarters": (
        "“Quarters in a supporter segment a supporter needs” (9) cannot be more than the quarters looked at (4)")}


def test_a_milestone_problem_is_on_the_row_the_person_typed_it_in():
    errors = errors_for({"incentives.mc.milestones[1].name": "", "incentives.mc.milestones[1].amount_gbp": "",
                         "incentives.mc.milestones[1].probability": "",
                         "incentives.mc.milestones[3].name": "new board", "incentives.mc.milestones[3].amount_gbp": "5",
                         "incentives.mc.milestones[3].probability": "2"})
    assert errors == {"incentives.mc.milestones[3].probability":
                      "Milestone 4: assumed chance it happens (0 to 1) must be 1 or less (you entered 2)"}
    assert errors_for({"incentives.mc.milestones[4].amount_gbp": "10"}) == {
        "incentives.mc.milestones[4].name": "Enter what must happen for milestone 5",
        "incentives.mc.milestones[4].probability": "Enter assumed chance it happens (0 to 1) for milestone 5"}


def test_a_scenarios_own_levers_are_rows_that_read_back_and_can_be_added_or_removed():
    settings = parse_settings("levers:\n- {key: capacity.max_load_ratio, notch: 0.5, label: Load limit +0.5}\n"
                              "- {key: geography.same_region}\n")
    fields = {f.key: f for s in form_sections(settings) for f in s.fields}
    assert fields["levers[0].key"].text == "capacity.max_load_ratio"
    assert fields["levers[0].notch"].text == "0.5"
    assert fields["levers[1].notch"].text == ""
    assert fields["levers[0].label"].label == "Lever 1: what to call it"
    assert "levers[3].key" in fields and "levers[4].key" not in fields  # two empty rows to add more
    form = {key: f.text for key, f in fields.items()}
    assert settings_from_form(form) == settings  # saving the form keeps the scenario's levers
    changed = settings_from_form(form | {"levers[0].key": "", "levers[0].notch": "", "levers[0].label": "",
                                         "levers[2].key": "max_distance_km.buddy", "levers[2].notch": "25"})
    assert [(lever.key, lever.notch) for lever in changed.levers] == [
        ("geography.same_region", None), ("max_distance_km.buddy", 25)]


def test_a_lever_problem_is_on_the_row_the_person_typed_it_in():
    errors = errors_for({"levers[1].key": "capacity.buddy_units", "levers[1].notch": "500"})
    assert errors == {"levers[1].notch": (
        "Lever 2: moves “support units one buddying uses” to 501, which is refused: “support units one buddying uses” "
        "must be 20 or less (you entered 500)")}


def test_field_for_picks_the_longest_field_a_key_belongs_to():
    keys = ["segments.intensive", "incentives.mc.milestones[0].name", "incentives.mc.years"]
    assert field_for("segments", keys) == "segments.intensive"
    assert field_for("incentives.mc.milestones", keys) == "incentives.mc.milestones[0].name"
    assert field_for("incentives.mc.years", keys) == "incentives.mc.years"
    assert field_for("unknown.key", keys) == "unknown.key"
