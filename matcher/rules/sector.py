"""Which sectors may support which (config ``sectors.compatible``)."""
from __future__ import annotations

import numpy as np

from ..domain import SECTOR_GROUPS
from ..settings import Settings
from .base import EligibilityRule, PairFacts, Row, Words


class Sector(EligibilityRule):
    """The supporter's sector must be allowed to support the recipient's (combined trusts match as either)."""

    id = "sector"
    not_an_option = True
    summary_rank = 0
    summary_words = "are in another sector"

    def check(self, facts: PairFacts) -> np.ndarray:
        """Pairs whose sectors ``sectors.compatible`` does not allow (looked up in a matrix built once per run)."""
        return ~facts.sectors_compatible

    def reject(self, row: Row, words: Words) -> str:
        """Names both sectors in words."""
        return (f"sectors do not match ({words.sector(row['supporter'])} cannot support "
                f"{words.sector(row['recipient'])})")


def compatibility_matrix(settings: Settings, labels: list[str]) -> np.ndarray:
    """``[i, j]``: may a trust of sector label ``labels[i]`` support one of ``labels[j]``?

    Combined trusts (``mental_health_and_community``) match as any of their base sectors.
    """
    allowed = {(s.value, r.value) for s, rs in settings.sectors.compatible.items() for r in rs}

    def compatible(supporter_sector: str, recipient_sector: str) -> bool:
        return any((a.value, b.value) in allowed
                   for a in SECTOR_GROUPS.get(supporter_sector, ()) for b in SECTOR_GROUPS.get(recipient_sector, ()))
    return np.array([[compatible(a, b) for b in labels] for a in labels], dtype=bool)
