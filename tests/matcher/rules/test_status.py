"""Who may be paired at all: a supporter, a management-contract supporter, a recipient in persistent difficulty."""
from __future__ import annotations

from tests.matcher.rules.pairs import breaks, reject


def test_a_supporter_may_support():
    assert not breaks("not_supporter")


def test_a_trust_that_is_not_a_supporter_may_not():
    assert breaks("not_supporter", is_supporter=False)
    assert reject("not_supporter") == "Supporting Hospitals NHS Trust (RSS) is not a supporter"


def test_a_management_contract_supporter_may_run_a_management_contract():
    assert not breaks("not_mc_supporter", kind="management_contract")


def test_another_supporter_may_buddy_but_not_manage():
    assert not breaks("not_mc_supporter", is_mc_supporter=False)
    assert breaks("not_mc_supporter", kind="management_contract", is_mc_supporter=False)
    assert reject("not_mc_supporter") == "Supporting Hospitals NHS Trust (RSS) may not run management contracts"


def test_a_recipient_in_persistent_difficulty_may_be_managed():
    assert not breaks("recipient_not_persistent", kind="management_contract")


def test_other_recipients_are_offered_buddying_only():
    assert breaks("recipient_not_persistent", kind="management_contract", recipient_persistent=False)
    assert reject("recipient_not_persistent") == ("Receiving Hospitals NHS Trust (RRR) is not in persistent "
                                                  "difficulty, so no management contract is offered")
