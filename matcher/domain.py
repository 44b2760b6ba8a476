"""Shared vocabulary: ratings, key questions, sectors, peer groups, roles, kinds, pairs and scales.

Every module that speaks of these imports them from here, so each word means one thing.
Plain enums, frozen values and small pure helpers; no data loading and no policy numbers
(those are in ``config.yaml``).
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, StrEnum

#: Coverage weights are multiplied by this to make the solver's coverage objective whole (0.5 steps).
COVERAGE_SCALE = 100
#: Score points per unit of fit (scores are whole numbers so the solver's objective is exact).
SCORE_SCALE = 100


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


class KeyQuestion(StrEnum):
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


class OversightDomain(StrEnum):
    """The five domains of the NHS Oversight Framework 2025/26 segmentation."""

    ACCESS = "access"
    EFFECTIVENESS_EXPERIENCE = "effectiveness_experience"
    FINANCE_PRODUCTIVITY = "finance_productivity"
    PATIENT_SAFETY = "patient_safety"
    PEOPLE_WORKFORCE = "people_workforce"


class Sector(StrEnum):
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


class PeerGroup(StrEnum):
    """Trusts that do comparable work (DOMAIN §1), from the oversight framework's trust subtype."""

    GENERAL_ACUTE = "general_acute"
    SPECIALIST_ACUTE = "specialist_acute"
    MENTAL_HEALTH = "mental_health"
    COMMUNITY = "community"
    AMBULANCE = "ambulance"

    @property
    def label(self) -> str:
        """The peer group in words."""
        return self.value.replace("_", " ")


class Kind(StrEnum):
    """The two kinds of partnership. A ``StrEnum``: equal to, and hashed as, its text value."""

    BUDDY = "buddy"
    MANAGEMENT_CONTRACT = "management_contract"

    @property
    def label(self) -> str:
        """"buddying" or "management contract"."""
        return "buddying" if self is Kind.BUDDY else "management contract"

    @property
    def plural(self) -> str:
        """"buddying" or "management contracts" (as in "the limit for management contracts")."""
        return "buddying" if self is Kind.BUDDY else "management contracts"

    @property
    def with_article(self) -> str:
        """"a buddying" or "a management contract"."""
        return f"a {self.label}"


#: Both kinds, buddying first.
KINDS: tuple[Kind, ...] = tuple(Kind)


@dataclass(frozen=True)
class Pair:
    """A (supporter, recipient, kind) triple, the identity of an arc, a partnership or an offer."""

    supporter: str
    recipient: str
    kind: str

    def __str__(self) -> str:
        return f"{self.supporter} -> {self.recipient} ({self.kind.replace('_', ' ')})"


@dataclass(frozen=True)
class Exclusion:
    """A pair that may not be proposed (``kind`` None: under either kind), and why.

    A regulator's exclusion or a conflict of interest may name one kind; a declined offer
    names none, because a trust declines a partner, not a form of support.
    """

    supporter: str
    recipient: str
    kind: str | None = None
    reason: str = "ruled out by the regulator"

    def matches(self, pair: Pair) -> bool:
        """Whether this exclusion rules out ``pair``."""
        return (self.supporter == pair.supporter and self.recipient == pair.recipient
                and self.kind in (None, pair.kind))


def exclusion_for(exclusions: tuple[Exclusion, ...] | list[Exclusion], pair: Pair) -> Exclusion | None:
    """The first exclusion that rules out ``pair``, if any."""
    return next((e for e in exclusions if e.matches(pair)), None)


class Role(StrEnum):
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
