"""Chart figures: coverage by region, spend against budget, distance bands."""
from matcher.present.charts import Bar, coverage_by_region, distance_distribution, spend_against_budget
from tests.factories import typed_plan


def plan():
    return typed_plan({"pairs": [{"supporter": "S1", "recipient": "R1", "kind": "buddy", "incentive_annual_gbp": 100,
                       "distance_km": 10.0},
                      {"supporter": "S2", "recipient": "R2", "kind": "management_contract",
                       "incentive_annual_gbp": 300, "distance_km": 80.0},
                      {"supporter": "S3", "recipient": "R3", "kind": "buddy", "incentive_annual_gbp": 50,
                       "distance_km": 250.0}],
            "uncovered": [{"recipient": "R4", "severity": 1.0}], "budget_annual_gbp": 1000})


def test_coverage_by_region_counts_covered_out_of_all_recipients():
    regions = {"R1": "London", "R2": "London", "R3": "North West", "R4": "North West"}
    assert coverage_by_region(plan(), regions) == (Bar("London", 2, 2), Bar("North West", 1, 2))
    assert coverage_by_region(plan(), {})[0] == Bar("Unknown region", 3, 4)


def test_spend_is_split_by_kind_against_the_budget():
    assert spend_against_budget(plan()) == (Bar("Buddying", 150, 1000), Bar("Management contracts", 300, 1000),
                                            Bar("All partnerships", 450, 1000))


def test_distances_fall_into_bands_with_the_edge_in_the_upper_band():
    bars = distance_distribution(plan())
    assert [b.value for b in bars] == [1, 0, 0, 1, 0, 0, 1]
    assert bars[3].label == "80–120 km" and bars[-1].label == "200 km or more"
    assert all(b.whole == 3 for b in bars)
