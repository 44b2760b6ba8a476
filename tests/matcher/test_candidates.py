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
    assert annual[0] == 250_000 + 1_000_000 and term[0] == annual[0] * 2
    expected_bonus = 500_000 * 0.5 + 250_000 * 0.4 + 500_000 * 0.25
    assert annual[1] == pytest.approx(5_000_000 + expected_bonus / 5) and term[1] == pytest.approx(annual[1] * 5)


def test_an_eligible_arc_carries_fit_distance_units_and_cost(classified, classes):
    row = pair(classified, classes, "RBV", "RXL", "buddy")  # The Christie -> Blackpool
    assert failed_rules(row["failed"]) == []
    assert row["distance_km"] == pytest.approx(68, abs=1)
    assert row["units"] == 1 and row["fit"] > 0
    # score points = 100 x (fit - 0.005 per km); fit and distance are shown rounded, so allow one point
    assert abs(row["score"] - 100 * (row["fit"] - 0.005 * row["distance_km"])) <= 1
    assert row["incentive_annual_gbp"] > 250_000


def test_every_failed_rule_is_listed_not_just_the_first(classified, classes):
    row = pair(classified, classes, "R1D", "R1H", "management_contract")  # community trust in Shropshire -> Barts
    assert failed_rules(row["failed"]) == ["not_mc_supporter", "recipient_not_persistent", "sector", "distance",
                                           "size_ratio"]
    text = describe_failures(row, classified.trusts, classified.settings)
    assert text.startswith("Shropshire Community Health NHS Trust (R1D) may not run management contracts; "
                           "Barts Health NHS Trust (R1H) is not in persistent difficulty")
    assert "over the 80 km limit for management contracts" in text
    assert "over the 1.5 limit for a management contract" in text


def test_not_a_supporter_is_a_rule(classified, classes):
    row = pair(classified, classes, "RTH", "RXL", "buddy")  # Oxford is segment 3
    assert "not_supporter" in failed_rules(row["failed"])


def test_an_exclusion_is_a_rule_with_its_reason(classified, classes):
    row = pair(classified, classes, "RBV", "RXL", "buddy",
               exclusions=[Exclusion("RBV", "RXL", None, "conflict of interest: shared chair")])
    assert failed_rules(row["failed"]) == ["excluded"]
    assert describe_failures(row, classified.trusts, classified.settings,
                             [Exclusion("RBV", "RXL", None, "conflict of interest: shared chair")]) == \
        "ruled out: conflict of interest: shared chair"


def test_same_region_rule_when_switched_on(classified, classes):
    settings = parse_settings("geography:\n  same_region: true\n")
    row = pair(classified, classes, "RQM", "RAJ", "buddy", settings=settings)  # London -> East of England
    assert failed_rules(row["failed"]) == ["same_region"]


def test_the_instance_has_arcs_and_rejected_pairs_side_by_side(classified):
    instance = build_instance(classified)
    assert len(instance.arcs) > 400 and (instance.arcs["failed"] == 0).all()
    assert (instance.rejected["failed"] != 0).all()
    assert len(instance.arcs) + len(instance.rejected) == 31 * 64 * 2
    assert set(instance.arcs["kind"]) == {"buddy", "management_contract"}
    mc = instance.arcs[instance.arcs["kind"].eq("management_contract")]
    assert set(mc["recipient"]) <= set(instance.recipients.loc[instance.recipients["persistent"], "code"])
