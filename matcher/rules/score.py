"""Worth the distance: a pair whose score is under ``geography.min_pair_score`` is not proposed.

A pair's score is its fit less the distance penalty per km and the cross-region penalty (in
points). Below the minimum (default 0) the distance outweighs what the supporter brings, and
no partnership on record paid for a long journey with little to teach. This rule reads the
score, so it runs after the fit is computed (``needs_score``), on the pairs every other rule
allows.
"""
from __future__ import annotations

import numpy as np

from ..settings import Settings
from .base import EligibilityRule, PairFacts, Row, Words


class LowScore(EligibilityRule):
    """The pair's score must be at least ``geography.min_pair_score`` points."""

    id = "low_score"
    relaxable = True
    needs_score = True

    def check(self, facts: PairFacts) -> np.ndarray:
        """Pairs scoring under the minimum; none before the score is known."""
        if facts.score is None:
            return np.zeros(len(facts.kind), dtype=bool)
        return facts.score < facts.settings.geography.min_pair_score

    def reject(self, row: Row, words: Words) -> str:
        """Gives the score, the minimum, the fit and the distance that outweighs it."""
        return (f"its score, {int(row['score']):,} points, is under the minimum of "
                f"{words.settings.geography.min_pair_score:,}: at {row['distance_km']:.0f} km the distance "
                f"outweighs the fit of {float(row['fit']):.2f}")

    def what_would_change(self, nearest: Row, words: Words) -> str | None:
        """The minimum score that would let the best-scoring option through."""
        return (f"What would change it: a minimum pair score of {int(nearest['score']):,} points would make "
                f"{words.trust(nearest['supporter'])} eligible (a pair whose distance outweighs its fit).")

    def relaxation(self, recipient: str, kind: str, settings: Settings) -> str:
        """Names the minimum score relaxed for this recipient."""
        return f"minimum pair score of {settings.geography.min_pair_score:,} points for {recipient}"
