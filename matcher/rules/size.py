"""Sizes, by estimated income (DOMAIN §4-§5).

A supporter of known size, a recipient no larger than the limit for the kind, no single recipient over the
supporter's load limit, and a recipient whose payment can be priced.
"""
from __future__ import annotations

import numpy as np

from ..domain import Kind
from ..settings import Settings
from .base import EligibilityRule, PairFacts, Row, Words, limit_for


class SupporterSize(EligibilityRule):
    """A supporter of unknown size cannot take on a recipient: its capacity and load limit come from its size."""

    id = "supporter_size"

    def check(self, facts: PairFacts) -> np.ndarray:
        """Pairs whose supporter's income cannot be estimated."""
        return np.isnan(facts.supporter_income)

    def reject(self, row: Row, words: Words) -> str:
        """Names the supporter of unknown size."""
        return (f"{words.trust(row['supporter'])}'s size (estimated income) is unknown, so it has no capacity and "
                f"cannot take on a recipient")


class SizeRatio(EligibilityRule):
    """A recipient may be at most ``max_size_ratio`` times its supporter's size, by kind (the overstretch guard)."""

    id = "size_ratio"
    relaxable = True

    def check(self, facts: PairFacts) -> np.ndarray:
        """Pairs whose recipient is over the size limit for the kind; unknown sizes are left to other rules."""
        with np.errstate(invalid="ignore"):
            return facts.size_ratio > facts.size_limit()

    def reject(self, row: Row, words: Words) -> str:
        """Gives the size ratio and the limit it breaks."""
        kind = Kind(row["kind"])
        return (f"{words.trust(row['recipient'])} is {_times(row['size_ratio'], words.size_limit(kind))} the size of "
                f"{words.trust(row['supporter'])}, over the {words.size_limit(kind):g} limit for {kind.with_article}")

    def relaxation(self, recipient: str, kind: str, settings: Settings) -> str:
        """Names the size ratio limit relaxed for this recipient and kind."""
        limit = limit_for(settings.max_size_ratio, kind)
        return f"size ratio limit of {limit:g} for {Kind(kind).plural} to {recipient}"


class Overload(EligibilityRule):
    """A recipient larger than the supporter's whole load limit (``capacity.max_load_ratio``) can never fit."""

    id = "overload"
    relaxable = True

    def check(self, facts: PairFacts) -> np.ndarray:
        """Pairs whose recipient alone is over the supporter's whole load limit."""
        with np.errstate(invalid="ignore"):
            return facts.size_ratio > facts.settings.capacity.max_load_ratio

    def reject(self, row: Row, words: Words) -> str:
        """Gives the size ratio and the load limit it breaks."""
        limit = words.settings.capacity.max_load_ratio
        return (f"{words.trust(row['recipient'])} alone is {_times(row['size_ratio'], limit)} the size of "
                f"{words.trust(row['supporter'])}, over the load limit of {limit:g} "
                f"times its income")

    def relaxation(self, recipient: str, kind: str, settings: Settings) -> str:
        """Names the load limit relaxed for this recipient."""
        return f"load limit of {settings.capacity.max_load_ratio:g} times the supporter's income for {recipient}"


class NoIncome(EligibilityRule):
    """The incentive is priced on the recipient's income, so it must be estimable (DOMAIN §5)."""

    id = "no_income"

    def check(self, facts: PairFacts) -> np.ndarray:
        """Pairs whose recipient's income cannot be estimated."""
        return np.isnan(facts.recipient_income)

    def reject(self, row: Row, words: Words) -> str:
        """Says the incentive cannot be priced."""
        return f"{words.trust(row['recipient'])}'s income cannot be estimated, so the incentive cannot be priced"


def _times(ratio: float, limit: float) -> str:
    """"2.3 times": as many decimals (up to 4) as show a ratio just over the limit as over it ("2.003 times")."""
    for decimals in range(1, 5):
        text = f"{ratio:.{decimals}f}"
        if float(text) > limit:
            break
    return f"{text} times"
