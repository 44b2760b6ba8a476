"""Sizes (estimated income): a managed trust no larger than the limit, and a recipient that can be priced."""
from __future__ import annotations

import numpy as np

from ..settings import Settings
from .base import EligibilityRule, PairFacts, Row, Words


class NoSize(EligibilityRule):
    """A management contract is sized by the two trusts' incomes, so both must be known."""

    id = "no_size"

    def check(self, facts: PairFacts) -> np.ndarray:
        """Management contracts where either income is unknown; buddying needs no size."""
        return facts.is_mc & np.isnan(facts.size_ratio)

    def reject(self, row: Row, words: Words) -> str:
        """Says the contract cannot be sized, rather than that the recipient is too large."""
        return "a size (estimated income) is unknown, so a management contract cannot be sized"


class SizeRatio(EligibilityRule):
    """A supporter may not manage a trust more than ``capacity.max_size_ratio`` times its own size."""

    id = "size_ratio"
    relaxable = True

    def check(self, facts: PairFacts) -> np.ndarray:
        """Management contracts whose recipient is over the size limit (an unknown size is ``NoSize``'s)."""
        with np.errstate(invalid="ignore"):
            return facts.is_mc & (facts.size_ratio > facts.settings.capacity.max_size_ratio)

    def reject(self, row: Row, words: Words) -> str:
        """Both trusts, how many times larger the recipient is, and the limit."""
        return (f"{words.trust(row['recipient'])} is {row['size_ratio']:.1f} times the size of "
                f"{words.trust(row['supporter'])}, over the {words.settings.capacity.max_size_ratio:g} limit "
                f"for a management contract")

    def relaxation(self, recipient: str, kind: str, settings: Settings) -> str:
        """The size-ratio limit, lifted for management contracts to this recipient only."""
        return (f"size ratio limit of {settings.capacity.max_size_ratio:g} for management contracts "
                f"to {recipient}")


class NoIncome(EligibilityRule):
    """The incentive is priced on the recipient's income, so it must be estimable (DOMAIN §5)."""

    id = "no_income"
    summary_rank = 5
    summary_words = "cannot be priced"

    def check(self, facts: PairFacts) -> np.ndarray:
        """Pairs, of either kind, whose recipient's income cannot be estimated."""
        return np.isnan(facts.recipient_income)

    def reject(self, row: Row, words: Words) -> str:
        """Says the incentive cannot be priced for want of the recipient's income."""
        return f"{words.trust(row['recipient'])}'s income cannot be estimated, so the incentive cannot be priced"
