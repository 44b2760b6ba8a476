"""Where the trusts are: a known location, the distance limit by kind, and the optional same-region rule."""
from __future__ import annotations

import math

import numpy as np

from ..domain import Kind
from ..settings import Settings
from .base import EligibilityRule, PairFacts, Row, Words, limit_for


class NoLocation(EligibilityRule):
    """Without both head-office locations the distance cannot be measured."""

    id = "no_location"

    def check(self, facts: PairFacts) -> np.ndarray:
        """Pairs whose distance is unknown because a head office is not located."""
        return np.isnan(facts.distance_km)

    def reject(self, row: Row, words: Words) -> str:
        """Says the distance cannot be measured."""
        return "a head-office location is unknown, so the distance cannot be measured"


class Distance(EligibilityRule):
    """Head offices at most ``max_distance_km`` apart, by kind (great-circle distance)."""

    id = "distance"
    relaxable = True

    def check(self, facts: PairFacts) -> np.ndarray:
        """Pairs farther apart than the limit for their kind; unknown distances are left to ``no_location``."""
        with np.errstate(invalid="ignore"):
            return facts.distance_km > facts.distance_limit()

    def reject(self, row: Row, words: Words) -> str:
        """Gives the distance and the limit it breaks."""
        kind = Kind(row["kind"])
        return (f"{row['distance_km']:.0f} km apart, over the {words.distance_limit(kind):g} km limit "
                f"for {kind.plural}")

    def what_would_change(self, nearest: Row, words: Words) -> str | None:
        """The distance limit that would make the nearest supporter eligible."""
        limit = math.ceil(nearest["distance_km"])
        return (f"What would change it: a distance limit of {limit} km for {Kind(nearest['kind']).plural} "
                f"would make {words.trust(nearest['supporter'])} eligible.")

    def relaxation(self, recipient: str, kind: str, settings: Settings) -> str:
        """Names the distance limit relaxed for this recipient and kind."""
        limit = limit_for(settings.max_distance_km, kind)
        return f"distance limit of {limit:g} km for {Kind(kind).plural} to {recipient}"


class SameRegion(EligibilityRule):
    """When ``geography.same_region`` is on, only trusts in the same NHS England region are paired."""

    id = "same_region"
    relaxable = True

    def check(self, facts: PairFacts) -> np.ndarray:
        """Pairs across regions, only when the same-region rule is on."""
        if not facts.settings.geography.same_region:
            return np.zeros(len(facts.kind), dtype=bool)
        return ~facts.same_region

    def reject(self, row: Row, words: Words) -> str:
        """Names both regions."""
        return (f"different regions ({words.region(row['supporter'])} and {words.region(row['recipient'])}) "
                f"and only same-region pairs are allowed")

    def relaxation(self, recipient: str, kind: str, settings: Settings) -> str:
        """Names the same-region rule relaxed for this recipient and kind."""
        return f"same-region rule for {Kind(kind).plural} to {recipient}"
