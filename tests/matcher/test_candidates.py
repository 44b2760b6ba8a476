"""Candidate pairs on the shipped data: every rule checked, every failed rule listed, numbers on every arc."""
from __future__ import annotations

import pytest

from matcher.candidates import describe_failures, evaluate_pairs, failed_rules
from matcher.domain import Exclusion
from matcher.geography import haversine_km
from matcher.incentives import incentive_gbp
from matcher.model.instance import build_instance
from matcher.pipeline import load_and_classify
from matcher.settings import Incentives, parse_settings
from tests.factories import AS_OF


@pytest.fixture(scope="module")
def classified():
    return load_and_classify(as_of=AS_OF)


@pytest.fixture(scope="module")
def classes(classified):
    return {c.code: c for c in classified.classifications}


def pair(classified, classes, supporter, recipient, kind, **kwargs):
    frame = evaluate_pairs(classified.trusts, classes, kwargs.pop("settings", classified.settings), AS_OF,
                           [supporter], [recipient], [kind], **kwargs)
    return frame.iloc[0]


def test_haversine_london_to_manchester():
    assert haversine_km([51.5074], [-0.1278], [53.4808], [-2.2426])[0] == pytest.approx(262, abs=2)


def test_incentives_follow_the_domain_formulas():
    annual, term = incentive_gbp(["buddy", "management_contract"], [1e9, 1e9], Incentives())
    expected_exit_bonus = 1.0 * 250_000 * 0.4  # once, if the recipient leaves difficulty: spread over 2 years
    assert annual[0] == 250_000 + expected_exit_bonus / 2 and term[0] == annual[0] * 2
    expected_bonus = 500_000 * 0.5 + 250_000 * 0.4 + 500_000 * 0.25
    assert annual[1] == pytest.approx(5_000_000 + expected_bonus / 5) and term[1] == pytest.approx(annual[1] * 5)


def test_an_eligible_arc_carries_fit_distance_units_load_and_cost(classified, classes):
    row = pair(classified, classes, "RHQ", "RXR", "buddy")  # Sheffield -> East Lancashire
    assert failed_rules(row["failed"]) == []
    assert row["distance_km"] == pytest.approx(76, abs=1)
    assert row["units"] == 1 and row["fit"] > 0 and row["load_gbp"] > 0
    # score points = 100 x (fit - 0.05 per km), less 50 points across a region boundary; allow one point rounding
    assert row["cross_region"]
    assert abs(row["score"] - (100 * (row["fit"] - 0.05 * row["distance_km"]) - 50)) <= 1
    assert row["incentive_annual_gbp"] == 300_000


def test_every_failed_rule_is_listed_not_just_the_first(classified, classes):
    row = pair(classified, classes, "R1D", "R1H", "management_contract")  # community trust in Shropshire -> Barts
    assert failed_rules(row["failed"]) == ["not_mc_supporter", "recipient_not_persistent", "peer_group",
                                           "group_management", "distance", "size_ratio", "overload", "low_score"]
    text = describe_failures(row, classified.trusts, classified.settings)
    assert text.startswith("Shropshire Community Health NHS Trust (R1D) may not run management contracts; "
                           "Barts Health NHS Trust (R1H) is not in persistent difficulty")
    assert "peer groups do not match (a community trust does not support a general acute trust)" in text
    assert "over the 80 km limit for management contracts" in text
    assert "over the 1.5 limit for a management contract" in text


def test_a_specialist_hospital_does_not_buddy_a_general_acute_trust(classified, classes):
    row = pair(classified, classes, "RBV", "RXL", "buddy")  # The Christie -> Blackpool: v1's pair
    assert "peer_group" in failed_rules(row["failed"])


def test_a_management_contract_inside_a_led_group_is_not_offered(classified, classes):
    row = pair(classified, classes, "RQM", "RCX", "management_contract")  # King's Lynn: a group chief executive
    assert "group_management" in failed_rules(row["failed"])


def test_not_a_supporter_is_a_rule(classified, classes):
    row = pair(classified, classes, "RTH", "RXR", "buddy")  # Oxford is segment 3
    assert "not_supporter" in failed_rules(row["failed"])


def test_an_exclusion_is_a_rule_with_its_reason(classified, classes):
    shared = Exclusion("RHQ", "RXR", None, "conflict of interest: shared chair")
    row = pair(classified, classes, "RHQ", "RXR", "buddy", exclusions=[shared])
    assert failed_rules(row["failed"]) == ["excluded"]
    assert describe_failures(row, classified.trusts, classified.settings, [shared]) == \
        "ruled out: conflict of interest: shared chair"


def test_same_region_rule_when_switched_on(classified, classes):
    settings = parse_settings("geography:\n  same_region: true\n")
    row = pair(classified, classes, "RHQ", "RXR", "buddy", settings=settings)  # North East and Yorkshire -> North West
    assert failed_rules(row["failed"]) == ["same_region"]


def test_the_instance_has_arcs_and_rejected_pairs_side_by_side(classified):
    instance = build_instance(classified)
    assert len(instance.arcs) > 150 and (instance.arcs["failed"] == 0).all()
    assert (instance.rejected["failed"] != 0).all()
    assert len(instance.arcs) + len(instance.rejected) == len(instance.supporters) * len(instance.recipients) * 2
    assert set(instance.arcs["kind"]) == {"buddy", "management_contract"}
    mc = instance.arcs[instance.arcs["kind"].eq("management_contract")]
    assert set(mc["recipient"]) <= set(instance.recipients.loc[instance.recipients["persistent"], "code"])


def test_supporters_have_capacity_by_size_and_a_load_limit(classified):
    supporters = build_instance(classified).supporters.set_index("code")
    # Guy's and St Thomas' (over 1bn): 3 units; a supporter under 400m: 1 unit
    assert supporters.at["RJ1", "capacity_units"] == 3
    small = supporters[supporters["income_gbp"] < 4e8]
    assert (small["capacity_units"] == 1).all() and len(small)
    assert supporters.at["RJ1", "load_limit_gbp"] == pytest.approx(1.5 * supporters.at["RJ1", "income_gbp"], rel=1e-6)
