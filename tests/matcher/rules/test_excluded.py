"""Exclusions: a declined offer rules the partner out under either kind; a regulator's may name one kind."""
from __future__ import annotations

from matcher.domain import Exclusion
from matcher.rules import BY_ID
from tests.matcher.rules.pairs import facts, reject

DECLINED = Exclusion("RSS", "RRR", None, "declined by RRR (our board has decided against it)")
NO_MANAGEMENT = Exclusion("RSS", "RRR", "management_contract", "conflict of interest")


def excluded(exclusions, **overrides) -> bool:
    return bool(BY_ID["excluded"].check(facts(exclusions=exclusions, **overrides))[0])


def test_a_pair_nobody_ruled_out_passes():
    assert not excluded(())
    assert not excluded((Exclusion("RSS", "RXX"),))


def test_a_declined_partner_is_ruled_out_under_either_kind():
    assert excluded((DECLINED,)) and excluded((DECLINED,), kind="management_contract")
    assert reject("excluded", exclusions=(DECLINED,)) == \
        "ruled out: declined by RRR (our board has decided against it)"


def test_an_exclusion_of_one_kind_leaves_the_other():
    assert excluded((NO_MANAGEMENT,), kind="management_contract")
    assert not excluded((NO_MANAGEMENT,))
