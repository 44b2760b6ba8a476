"""The plan map: regions projected into the frame, one line per partnership, recipients sized by severity."""
from __future__ import annotations

import re

from matcher.present.mapping import ATTRIBUTION, plan_map
from tests.factories import typed_plan

# Blackpool, Manchester and London, roughly.
COORDS = {"RXL": (53.82, -3.05), "RBV": (53.43, -2.23), "RJ1": (51.50, -0.12), "RNS": (52.24, -0.90)}


def plan(pairs=(), uncovered=()):
    return typed_plan({"pairs": [{"supporter": s, "recipient": r, "kind": k, "coverage": c} for s, r, k, c in pairs],
                       "uncovered": [{"recipient": r, "severity": v} for r, v in uncovered]})


def test_every_region_is_a_closed_path_inside_the_frame():
    result = plan_map(plan(), COORDS)
    assert len(result.regions) == 7 and result.width == 520 and result.height > result.width  # England is tall
    for region in result.regions:
        assert region.path.startswith("M") and region.path.endswith("Z")
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", region.path)]
        xs, ys = numbers[0::2], numbers[1::2]
        assert min(xs) >= 0 and max(xs) <= result.width and min(ys) >= 0 and max(ys) <= result.height
    assert {r.name for r in result.regions} >= {"London", "North West", "South West"}


def test_each_partnership_is_a_line_from_supporter_to_recipient_and_north_is_up():
    result = plan_map(plan([("RBV", "RXL", "buddy", 3.0), ("RJ1", "RNS", "management_contract", 8.0)]), COORDS)
    assert [(link.supporter, link.recipient, link.kind) for link in result.links] == [
        ("RBV", "RXL", "buddy"), ("RJ1", "RNS", "management_contract")]
    blackpool = next(d for d in result.dots if d.code == "RXL")
    london = next(d for d in result.dots if d.code == "RJ1")
    assert blackpool.y < london.y and blackpool.x < london.x  # north-west of London


def test_recipients_grow_with_severity_and_uncovered_ones_are_marked():
    result = plan_map(plan([("RBV", "RXL", "buddy", 8.0)], uncovered=[("RNS", 1.0)]), COORDS)
    dots = {d.code: d for d in result.dots}
    assert dots["RXL"].role == "recipient" and dots["RNS"].role == "uncovered" and dots["RBV"].role == "supporter"
    assert dots["RXL"].radius > dots["RNS"].radius


def test_trusts_without_coordinates_are_listed_not_drawn():
    result = plan_map(plan([("RBV", "ZZZ", "buddy", 3.0)], uncovered=[("YYY", 1.0)]),
                      COORDS | {"YYY": (float("nan"), float("nan"))})
    assert result.links == () and result.missing == ("YYY", "ZZZ")


def test_the_attribution_is_the_licence_text():
    assert ATTRIBUTION[0].startswith("Source: Office for National Statistics")
    assert "Crown copyright" in ATTRIBUTION[1]
