"""Who may be paired at all: the supporter's and the recipient's classification (DOMAIN §3)."""
from __future__ import annotations

import numpy as np

from .base import EligibilityRule, PairFacts, Row, Words


class NotSupporter(EligibilityRule):
    """Only a trust classified as a supporter may support another."""

    id = "not_supporter"
    not_an_option = True

    def check(self, facts: PairFacts) -> np.ndarray:
        """Pairs whose supporting side is not classified a supporter."""
        return ~facts.is_supporter

    def reject(self, row: Row, words: Words) -> str:
        """Names the trust that is not a supporter."""
        return f"{words.trust(row['supporter'])} is not a supporter"


class NotMcSupporter(EligibilityRule):
    """Only a management-contract supporter may run a management contract."""

    id = "not_mc_supporter"
    not_an_option = True

    def check(self, facts: PairFacts) -> np.ndarray:
        """Management contracts whose supporter may not run one; its buddying is unaffected."""
        return facts.is_mc & ~facts.is_mc_supporter

    def reject(self, row: Row, words: Words) -> str:
        """Names the trust that may not run management contracts."""
        return f"{words.trust(row['supporter'])} may not run management contracts"


class RecipientNotPersistent(EligibilityRule):
    """A management contract is offered only to a trust in persistent difficulty.

    Off when asking "who could support this trust" of any trust (``candidates`` on the CLI).
    """

    id = "recipient_not_persistent"
    not_an_option = True

    def check(self, facts: PairFacts) -> np.ndarray:
        """Management contracts to a recipient not in persistent difficulty, unless the status rules are off."""
        if not facts.recipient_status_rules:
            return np.zeros(len(facts.kind), dtype=bool)
        return facts.is_mc & ~facts.recipient_persistent

    def reject(self, row: Row, words: Words) -> str:
        """Names the recipient and says why no management contract is offered to it."""
        return (f"{words.trust(row['recipient'])} is not in persistent difficulty, so no management "
                f"contract is offered")
