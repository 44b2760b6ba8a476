"""Shared vocabulary: CQC ratings, key questions, sectors and roles.

Plain enums and small pure helpers; no data loading and no policy numbers (those are in
``config.yaml``).
"""
from __future__ import annotations

from enum import Enum, IntEnum


class Rating(IntEnum):
    """A CQC rating word and its score (higher is better). "Not rated" is missing, not zero."""

    INADEQUATE = 1
    REQUIRES_IMPROVEMENT = 2
    GOOD = 3
    OUTSTANDING = 4

    @property
    def label(self) -> str:
        """The rating as CQC writes it."""
        return RATING_LABELS[self]


RATING_LABELS = {
    Rating.OUTSTANDING: "Outstanding",
    Rating.GOOD: "Good",
    Rating.REQUIRES_IMPROVEMENT: "Requires improvement",
    Rating.INADEQUATE: "Inadequate",
}

#: Words that mean "no rating" in CQC files; they load as missing, never as a score.
NOT_RATED_WORDS = ("not rated", "insufficient evidence to rate", "no rating", "")


def rating_label(score: float | int | None) -> str:
    """The CQC word for a score, or "not rated" when the score is missing."""
    if score is None or score != score:  # NaN check without numpy
        return "not rated"
    return Rating(int(score)).label


class KeyQuestion(str, Enum):
    """The five CQC key questions, as column suffixes (``cqc_well_led``)."""

    SAFE = "safe"
    EFFECTIVE = "effective"
    CARING = "caring"
    RESPONSIVE = "responsive"
    WELL_LED = "well_led"

    @property
    def label(self) -> str:
        """The key question as CQC writes it."""
        return "well-led" if self is KeyQuestion.WELL_LED else self.value


class OversightDomain(str, Enum):
    """The five domains of the NHS Oversight Framework 2025/26 segmentation."""

    ACCESS = "access"
    EFFECTIVENESS_EXPERIENCE = "effectiveness_experience"
    FINANCE_PRODUCTIVITY = "finance_productivity"
    PATIENT_SAFETY = "patient_safety"
    PEOPLE_WORKFORCE = "people_workforce"


class Sector(str, Enum):
    """A base sector. Combined trusts carry more than one (see ``SECTOR_GROUPS``)."""

    ACUTE = "acute"
    SPECIALIST = "specialist"
    MENTAL_HEALTH = "mental_health"
    COMMUNITY = "community"
    AMBULANCE = "ambulance"


#: Every sector label a trust may have, with the base sectors it matches as.
SECTOR_GROUPS: dict[str, tuple[Sector, ...]] = {
    "acute": (Sector.ACUTE,),
    "specialist": (Sector.SPECIALIST,),
    "mental_health": (Sector.MENTAL_HEALTH,),
    "community": (Sector.COMMUNITY,),
    "mental_health_and_community": (Sector.MENTAL_HEALTH, Sector.COMMUNITY),
    "ambulance": (Sector.AMBULANCE,),
    "other": (),
}


class Role(str, Enum):
    """What the classification makes of a trust."""

    RECIPIENT = "recipient"
    SUPPORTER = "supporter"
    NEITHER = "neither"


_SMALL_WORDS = {"and", "of", "the", "for", "on", "upon"}
_UPPER_WORDS = {"NHS", "UK", "ICB"}


def display_name(name: str) -> str:
    """A register name (all capitals) in the form people write it.

    >>> display_name("THE QUEEN ELIZABETH HOSPITAL, KING'S LYNN, NHS FOUNDATION TRUST")
    "The Queen Elizabeth Hospital, King's Lynn, NHS Foundation Trust"
    """
    words = []
    for i, word in enumerate(name.split()):
        bare = word.strip(",.()&").upper()
        if bare in _UPPER_WORDS:
            words.append(word.upper())
        elif i > 0 and bare.lower() in _SMALL_WORDS:
            words.append(word.lower())
        else:
            words.append("-".join(part[:1].upper() + part[1:].lower() for part in word.split("-")))
    return " ".join(words)
