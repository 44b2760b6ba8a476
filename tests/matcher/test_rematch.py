"""The typed re-match input: answers become locks, exclusions and pending offers; declarations move capacity."""
from __future__ import annotations

from matcher.domain import Exclusion, Pair
from matcher.model.instance import build_instance
from matcher.pipeline import classify_dataset
from matcher.rematch import Rematch
from matcher.settings import Settings
from tests.factories import AS_OF

ACCEPTED = Pair("RQM", "RAJ", "buddy")
DECLINED = Exclusion("REF", "RA9", None, "declined: board decided against it")


def test_every_unanswered_pair_of_the_previous_plan_is_pending():
    previous = [ACCEPTED, Pair("REF", "RA9", "buddy"), Pair("RGT", "RCX", "management_contract")]
    rematch = Rematch.from_answers(accepted=[ACCEPTED], declined=[DECLINED], previous=previous)
    assert rematch.locks == (ACCEPTED,)
    assert rematch.pending == (Pair("RGT", "RCX", "management_contract"),)


def test_a_decline_rules_the_partner_out_under_either_kind():
    assert DECLINED.matches(Pair("REF", "RA9", "buddy"))
    assert DECLINED.matches(Pair("REF", "RA9", "management_contract"))
    assert not DECLINED.matches(Pair("REF", "RXL", "buddy"))


def test_a_willing_supporter_adds_what_it_declared_and_an_unwilling_one_keeps_only_its_locked_units():
    rematch = Rematch(extra_capacity={"S1": 2}, unwilling=frozenset({"S2"}))
    assert rematch.capacity_of("S1", own_units=2, locked_units=0) == 4
    assert rematch.capacity_of("S2", own_units=2, locked_units=1) == 1
    assert rematch.capacity_of("S3", own_units=2, locked_units=1) == 2


def test_the_instance_gives_an_unwilling_supporter_only_what_its_accepted_partnership_uses(shipped_dataset):
    classified = classify_dataset(shipped_dataset, Settings(), AS_OF)
    rematch = Rematch(locks=(ACCEPTED,), unwilling=frozenset({"RQM", "RBV"}), extra_capacity={"REF": 1})
    capacity = dict(build_instance(classified, rematch).supporters[["code", "capacity_units"]].to_numpy())
    assert capacity["RQM"] == 1 and capacity["RBV"] == 0
    assert capacity["REF"] == 3 and capacity["RGT"] == 2
