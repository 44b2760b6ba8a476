"""Infeasibility diagnosis names a minimal set of relaxable rules, verified by re-solving."""
from __future__ import annotations

import pytest

from matcher.model.diagnose import InfeasibleError, diagnose
from matcher.solve import propose
from tests.factories import make_instance


def texts(diagnosis):
    return [r.text for r in diagnosis.relaxations]


def test_budget_is_named_when_it_alone_blocks_must_match():
    instance = make_instance([("S1", "R1", "buddy", 1, 10, 600), ("S2", "R2", "buddy", 1, 10, 600)],
                             must_match={"R1", "R2"}, budget=1000)
    diagnosis = diagnose(instance)
    assert texts(diagnosis) == ["budget (£35m a year)"]
    assert diagnosis.verified_minimal


def test_two_capacities_are_both_needed():
    arcs = [("S1", "R1", "buddy", 1, 10, 1), ("S1", "R2", "buddy", 1, 10, 1),
            ("S2", "R3", "buddy", 1, 10, 1), ("S2", "R4", "buddy", 1, 10, 1)]
    instance = make_instance(arcs, capacity={"S1": 1, "S2": 1}, must_match={"R1", "R2", "R3", "R4"})
    diagnosis = diagnose(instance)
    assert texts(diagnosis) == ["capacity of S1 (1 support units)", "capacity of S2 (1 support units)"]
    assert diagnosis.verified_minimal


def test_a_recipient_with_no_arc_needs_its_must_match_dropped():
    instance = make_instance([("S1", "R1", "buddy", 1, 10, 1)], must_match={"R1", "R9"})
    with pytest.raises(InfeasibleError) as caught:
        propose(instance)
    assert texts(caught.value.diagnosis) == ["must-match for R9"]


def test_conflicting_locks_name_a_lock():
    instance = make_instance([("S1", "R1", "buddy", 1, 10, 1), ("S1", "R2", "buddy", 1, 10, 1)], capacity={"S1": 1},
                             locked=[("S1", "R1", "buddy"), ("S1", "R2", "buddy")])
    diagnosis = diagnose(instance)
    assert len(diagnosis.relaxations) == 1
    assert texts(diagnosis)[0] == "capacity of S1 (1 support units)"  # a limit is preferred over breaking a lock
    assert diagnosis.verified_minimal
