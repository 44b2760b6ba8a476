"""The solver-independent validator catches every broken rule and recomputes the objective."""
from __future__ import annotations

import pytest

from matcher.domain import Exclusion, Pair
from matcher.validate import Objective, PlanInvalidError, check_pairs, objective_of, violations
from tests.factories import make_instance

ARCS = [("S1", "R1", "buddy", 1, 50, 400), ("S1", "R2", "buddy", 1, 30, 400),
        ("S1", "R2", "management_contract", 2, 20, 900), ("S2", "R1", "buddy", 1, 40, 300)]


def test_a_valid_plan_has_no_violations_and_its_objective_is_recomputed():
    instance = make_instance(ARCS, severity={"R1": 3})
    pairs = [Pair("S1", "R1", "buddy"), Pair("S1", "R2", "buddy")]
    assert violations(instance, pairs) == []
    assert objective_of(instance, pairs) == Objective(coverage=4.0, score=80, spend=800)


@pytest.mark.parametrize("kwargs, pairs, expected", [
    ({}, [Pair("S9", "R1", "buddy")], "S9 -> R1 (buddy) is not an eligible partnership"),
    ({}, [Pair("S1", "R1", "buddy"), Pair("S2", "R1", "buddy")], "R1 has 2 partnerships; at most one is allowed"),
    ({"capacity": {"S1": 2}}, [Pair("S1", "R1", "buddy"), Pair("S1", "R2", "management_contract")],
     "S1 uses 3 units, over its capacity of 2"),
    ({"budget": 700}, [Pair("S1", "R1", "buddy"), Pair("S1", "R2", "buddy")],
     "annual incentives £800 are over the budget of £700"),
    ({"locked": [("S2", "R1", "buddy")]}, [Pair("S1", "R1", "buddy")],
     "locked partnership S2 -> R1 (buddy) is missing"),
    ({"must_match": {"R2"}}, [Pair("S1", "R1", "buddy")], "R2 must be covered but is not"),
    ({"exclusions": [Exclusion("S1", "R1", "buddy", "declined")]}, [Pair("S1", "R1", "buddy")],
     "S1 -> R1 (buddy) is excluded"),
    ({"pending": [("S1", "R1", "buddy"), ("S1", "R2", "buddy")], "disruption_budget": 1}, [],
     "2 pending offers change, over the disruption budget of 1"),
])
def test_each_broken_rule_is_named(kwargs, pairs, expected):
    instance = make_instance(ARCS, **kwargs)
    assert expected in violations(instance, pairs)


def test_a_wrong_reported_objective_is_caught():
    instance = make_instance(ARCS)
    with pytest.raises(PlanInvalidError) as caught:
        check_pairs(instance, [Pair("S1", "R1", "buddy")], Objective(coverage=1.0, score=51, spend=400))
    assert "differs from the recomputed" in str(caught.value)
