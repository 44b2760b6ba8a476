"""Where the trusts are: a known location, the distance limit by kind, and the optional same-region rule."""
from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..domain import Kind
from ..settings import Settings
from .base import EligibilityRule, PairFacts, Row, Words


class NoLocation(EligibilityRule):
    """Without both head-office locations the distance cannot be measured."""

    id = "no_location"
    summary_rank = 4
    summary_words = "have no known location"

    def check(self, facts: PairFacts) -> np.ndarray:
        """Pairs whose distance is NaN: a head office has no known location."""
        return np.isnan(facts.distance_km)

    def reject(self, row: Row, words: Words) -> str:
        """Says the distance cannot be measured, rather than that it is too far."""
        return "a head-office location is unknown, so the distance cannot be measured"


class Distance(EligibilityRule):
    """Head offices at most ``max_distance_km`` apart, by kind (great-circle distance)."""

    id = "distance"
    relaxable = True
    summary_rank = 1

    def check(self, facts: PairFacts) -> np.ndarray:
        """Pairs further apart than their kind's limit (an unknown distance is ``NoLocation``'s to report)."""
        with np.errstate(invalid="ignore"):
            return facts.distance_km > facts.distance_limit()

    def reject(self, row: Row, words: Words) -> str:
        """The distance and the limit it is over, for the pair's kind."""
        kind = Kind(row["kind"])
        return (f"{row['distance_km']:.0f} km apart, over the {words.distance_limit(kind):g} km limit "
                f"for {kind.plural}")

    def summary(self, buddy_options: pd.DataFrame, words: Words, bits: Mapping[str, int]) -> str | None:
        """Counts only far supporters in a matching sector (the rest are out anyway), and names the nearest."""
        in_sector = buddy_options[(buddy_options["failed"] & bits["sector"]) == 0]
        far = in_sector[(in_sector["failed"] & bits[self.id]) != 0]
        if not len(far):
            return None
        nearest = far.sort_values("distance_km").iloc[0]
        return (f"{len(far)} in a matching sector are more than {words.settings.max_distance_km.buddy:g} km "
                f"away (nearest: {words.trust(nearest['supporter'])} at {nearest['distance_km']:.0f} km)")

    def what_would_change(self, nearest: Row, words: Words) -> str | None:
        """The limit, rounded up to a whole km, that would make the nearest supporter eligible."""
        limit = math.ceil(nearest["distance_km"])
        return (f"What would change it: a distance limit of {limit} km for {Kind(nearest['kind']).plural} "
                f"would make {words.trust(nearest['supporter'])} eligible.")

    def relaxation(self, recipient: str, kind: str, settings: Settings) -> str:
        """Names the kind's current limit, the one a diagnosis proposes to lift for this recipient."""
        limits = settings.max_distance_km
        limit = limits.management_contract if kind == Kind.MANAGEMENT_CONTRACT else limits.buddy
        return f"distance limit of {limit:g} km for {Kind(kind).plural} to {recipient}"


class SameRegion(EligibilityRule):
    """When ``geography.same_region`` is on, only trusts in the same NHS England region are paired."""

    id = "same_region"
    relaxable = True
    summary_rank = 2
    summary_words = "are in another region"

    def check(self, facts: PairFacts) -> np.ndarray:
        """Pairs across regions, but only while ``geography.same_region`` is on (otherwise none)."""
        if not facts.settings.geography.same_region:
            return np.zeros(len(facts.kind), dtype=bool)
        return ~facts.same_region

    def reject(self, row: Row, words: Words) -> str:
        """Names both regions, so the reader sees which boundary the pair crosses."""
        return (f"different regions ({words.region(row['supporter'])} and {words.region(row['recipient'])}) "
                f"and only same-region pairs are allowed")

    def relaxation(self, recipient: str, kind: str, settings: Settings) -> str:
        """The same-region rule, lifted for this recipient and kind only."""
        return f"same-region rule for {Kind(kind).plural} to {recipient}"
