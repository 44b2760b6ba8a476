"""Who may support whom by peer group: each its own by default; across groups buddying only, flagged."""
from __future__ import annotations

from tests.matcher.rules.pairs import breaks, config, reject

LEVER = config("peer_groups:\n  may_support:\n    specialist_acute: [specialist_acute, general_acute]\n")


def test_a_supporter_of_the_recipients_peer_group_may_support_it():
    assert not breaks("peer_group")
    assert not breaks("peer_group", kind="management_contract")


def test_a_supporter_of_another_peer_group_may_not():
    assert breaks("peer_group", peers_allowed=False, peers_shared=False)
    text = reject("peer_group")
    assert text == "peer groups do not match (a general acute trust does not support a general acute trust)"


def test_when_a_scenario_allows_another_peer_group_it_may_buddy_but_not_manage():
    assert not breaks("peer_group", LEVER, peers_allowed=True, peers_shared=False)
    assert breaks("peer_group", LEVER, kind="management_contract", peers_allowed=True, peers_shared=False)
