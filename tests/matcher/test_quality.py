"""Plan quality (DOMAIN §6.1): figures from the plan and the data alone, against the partnerships on record."""
from __future__ import annotations

import pandas as pd
import pytest

from matcher import plan
from matcher.domain import Pair
from matcher.quality import plan_quality
from matcher.settings import parse_settings
from tests.factories import AS_OF

TRUSTS = pd.DataFrame({
    "code": ["S1", "S2", "R1", "R2", "R3"],
    "peer_groups": ["general_acute", "specialist_acute", "general_acute", "general_acute", "general_acute"],
    "groups": [None, None, "G", None, "G"],
    "income_gbp": [1e9, 5e8, 6e8, 4e8, 7e8],
    "latitude": [53.48, 53.43, 53.41, 53.80, 51.51], "longitude": [-2.24, -2.23, -2.98, -1.55, -0.13],
})


def test_the_figures_of_a_small_plan():
    pairs = [Pair("S1", "R1", "buddy"), Pair("S1", "R2", "buddy"), Pair("S2", "R3", "buddy")]
    q = plan_quality(pairs, [50.0, 60.0, 250.0], TRUSTS)
    assert q.share_same_peer_group == pytest.approx(0.667, abs=1e-3)
    assert q.outside_past_practice == ("S2 -> R3 (buddy)",)
    assert (q.median_distance_km, q.share_within_80km) == (60.0, pytest.approx(0.667, abs=1e-3))
    assert q.recipients_per_supporter == {"1": 1, "2": 1}
    assert q.largest_corecipient_supporter == "S1" and q.largest_corecipient_km == pytest.approx(104, abs=1)
    assert q.pairs_inside_group == 0
    assert (q.largest_size_ratio, q.largest_size_ratio_pair) == (1.4, "S2 -> R3 (buddy)")
    assert (q.largest_load_ratio, q.largest_load_ratio_supporter) == (1.4, "S2")


def test_a_pair_inside_a_group_is_counted():
    assert plan_quality([Pair("R1", "R3", "buddy")], [100.0], TRUSTS).pairs_inside_group == 1


def test_letting_specialist_hospitals_buddy_general_acute_trusts_is_flagged_and_buddying_only(shipped_dataset):
    lever = parse_settings("peer_groups:\n  may_support:\n    specialist_acute: [specialist_acute, general_acute]\n")
    result = plan(shipped_dataset, lever, AS_OF)
    outside = [p for p in result.pairs if p.outside_past_practice]
    assert outside and all(p.kind == "buddy" for p in outside)
    assert set(result.quality.outside_past_practice) == {str(p.pair) for p in outside}
    assert result.quality.share_same_peer_group < 1.0
