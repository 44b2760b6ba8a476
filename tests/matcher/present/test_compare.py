"""Comparing two plans: figures of each, and who gained, lost or changed a partner."""
from matcher.present.compare import compare, summarise
from tests.factories import typed_plan


def pair(supporter, recipient, kind="buddy", coverage=3.0, distance=10.0, fit=2.0):
    return {"supporter": supporter, "recipient": recipient, "kind": kind, "coverage": coverage,
            "distance_km": distance, "fit": fit}


def plan(pairs, uncovered=(), spend=100, budget=1000):
    return typed_plan({"pairs": list(pairs), "uncovered": [{"recipient": r, "severity": s} for r, s in uncovered],
                       "objective": {"coverage": sum(p["coverage"] for p in pairs), "score": 7, "spend": spend},
                       "budget_annual_gbp": budget})


def test_summary_counts_kinds_means_and_coverage_by_severity():
    summary = summarise(plan([pair("S1", "R1", distance=10, fit=1),
                              pair("S2", "R2", "management_contract", 8.0, 30, 3)],
                             uncovered=[("R3", 3.0)]))
    assert (summary.pairs, summary.buddies, summary.management_contracts, summary.uncovered) == (2, 1, 1, 1)
    assert (summary.mean_distance_km, summary.mean_fit) == (20.0, 2.0)
    assert summary.by_severity == ((8.0, 1, 1), (3.0, 1, 2))
    assert summary.recipients == 3


def test_an_empty_plan_has_zero_means():
    summary = summarise(plan([], uncovered=[("R1", 1.0)]))
    assert (summary.mean_distance_km, summary.mean_fit, summary.by_severity) == (0.0, 0.0, ((1.0, 0, 1),))


def test_comparison_lists_added_removed_and_changed_recipients_only():
    a = plan([pair("S1", "R1"), pair("S2", "R2"), pair("S3", "R3")])
    b = plan([pair("S1", "R1"), pair("S9", "R2"), pair("S4", "R4")])
    result = compare(a, b)
    assert [(c.recipient, c.change) for c in result.changes] == [("R2", "changed"), ("R3", "removed"),
                                                                 ("R4", "added")]
    assert result.changes[0].before == ("S2", "buddy") and result.changes[0].after == ("S9", "buddy")
    assert (result.count("added"), result.count("removed"), result.count("changed")) == (1, 1, 1)


def test_a_change_of_kind_alone_is_a_change():
    result = compare(plan([pair("S1", "R1")]), plan([pair("S1", "R1", "management_contract")]))
    assert [c.change for c in result.changes] == ["changed"]
