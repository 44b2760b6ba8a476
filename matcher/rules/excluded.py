"""Pairs that may not be proposed: declined offers, conflicts of interest and the regulator's exclusions."""
from __future__ import annotations

import numpy as np

from ..domain import Pair, exclusion_for
from .base import EligibilityRule, PairFacts, Row, Words


class Excluded(EligibilityRule):
    """An exclusion rules a pair out under one kind, or under either (``kind`` None)."""

    id = "excluded"
    summary_rank = 3
    summary_words = "are ruled out"

    def check(self, facts: PairFacts) -> np.ndarray:
        """Pairs an exclusion names, under their kind or under either (sets, so each pair is one lookup)."""
        if not facts.exclusions:
            return np.zeros(len(facts.kind), dtype=bool)
        any_kind = {(e.supporter, e.recipient) for e in facts.exclusions if e.kind is None}
        one_kind = {(e.supporter, e.recipient, e.kind) for e in facts.exclusions if e.kind is not None}
        return np.array([(s, r) in any_kind or (s, r, k) in one_kind
                         for s, r, k in zip(facts.supporter, facts.recipient, facts.kind, strict=True)], dtype=bool)

    def reject(self, row: Row, words: Words) -> str:
        """The reason the exclusion gives: a decline's, a conflict of interest's or the regulator's."""
        found = exclusion_for(words.exclusions, Pair(row["supporter"], row["recipient"], row["kind"]))
        return f"ruled out: {found.reason if found else 'ruled out'}"
