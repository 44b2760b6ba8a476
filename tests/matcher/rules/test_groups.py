"""Existing groups: no pairing inside a group; no management contract where the group is already the arrangement."""
from __future__ import annotations

from tests.matcher.rules.pairs import breaks, config, reject


def test_trusts_of_different_groups_may_be_paired():
    assert not breaks("same_group")


def test_two_members_of_one_group_are_never_paired():
    assert breaks("same_group", same_group=True)
    assert reject("same_group") == ("both trusts are in Example Hospitals Group, so they already share leadership")


def test_a_trust_without_a_long_term_group_may_be_managed():
    assert not breaks("group_management", kind="management_contract")


def test_a_trust_whose_group_has_a_group_chief_executive_gets_no_management_contract():
    assert breaks("group_management", kind="management_contract", recipient_long_term_group=True)
    assert not breaks("group_management", recipient_long_term_group=True)  # buddying is still possible
    assert reject("group_management") == (
        "Receiving Hospitals NHS Trust (RRR) is in Example Hospitals Group, which is already its long-term "
        "arrangement, so no management contract is offered")


def test_the_group_rule_can_be_switched_off():
    allow = config("groups:\n  allow_mc_in_group: true\n")
    assert not breaks("group_management", allow, kind="management_contract", recipient_long_term_group=True)
