"""Existing groups (DOMAIN §4).

Members already share leadership, so they are not paired with each other, and a trust whose group is
already its long-term arrangement gets no management contract on top.
"""
from __future__ import annotations

import numpy as np

from ..settings import Settings
from .base import EligibilityRule, PairFacts, Row, Words


class SameGroup(EligibilityRule):
    """No partnership between two members of one group: they already share leadership."""

    id = "same_group"
    not_an_option = True

    def check(self, facts: PairFacts) -> np.ndarray:
        """Pairs of two members of one existing group, of either kind."""
        return facts.same_group

    def reject(self, row: Row, words: Words) -> str:
        """Names the group both trusts are in."""
        group = words.shared_group(row["supporter"], row["recipient"]) or "a group"
        return f"both trusts are in {group}, so they already share leadership"


class GroupManagement(EligibilityRule):
    """No management contract for a trust whose group is already its long-term arrangement.

    That is a group with a group chief executive or an agreed merger, unless ``groups.allow_mc_in_group``.
    """

    id = "group_management"
    not_an_option = True
    relaxable = True

    def check(self, facts: PairFacts) -> np.ndarray:
        """Management contracts to a trust whose group is its long-term arrangement; buddying is unaffected."""
        if facts.settings.groups.allow_mc_in_group:
            return np.zeros(len(facts.kind), dtype=bool)
        return facts.is_mc & facts.recipient_long_term_group

    def reject(self, row: Row, words: Words) -> str:
        """Names the recipient's group and why no management contract is offered."""
        groups = ", ".join(words.groups_of(row["recipient"])) or "its group"
        return (f"{words.trust(row['recipient'])} is in {groups}, which is already its long-term arrangement, so "
                f"no management contract is offered")

    def relaxation(self, recipient: str, kind: str, settings: Settings) -> str:
        """Names the group rule relaxed for this recipient."""
        return f"group rule for {recipient} (a management contract although its group has a group chief executive)"
