"""The sections of the configuration about who is who: segments, recipients, persistence and supporters.

Every field has its default and a one-line description (the attribute docstring), which the
README's configuration reference, ``check-config`` and the policy editor all show.
"""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class _Section(BaseModel):
    """Base for every config section: unknown keys rejected, values immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True, allow_inf_nan=False)


def _check_segments(value: tuple[int, ...]) -> tuple[int, ...]:
    for segment in value:
        if not 1 <= segment <= 5:
            raise ValueError(f"must list segments from 1 to 5, got {segment}")
    return value


class EarlierFramework(_Section):
    """How to read a quarter of the 2021-25 framework, where segment 4 was the Recovery Support Programme."""

    intensive: tuple[int, ...] = (4,)
    """Segments of a 2021-25 quarter that meant intensive support (the Recovery Support Programme)."""
    difficulty: tuple[int, ...] = ()
    """Further segments of a 2021-25 quarter that mean a trust was in difficulty."""

    @field_validator("intensive", "difficulty")
    @classmethod
    def _in_range(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        return _check_segments(value)


class Programme(_Section):
    """The national intensive-support programme as the special-measures history names it."""

    regimes: tuple[Annotated[str, Field(max_length=200)], ...] = Field(
        default=("Recovery Support Programme", "Provider Improvement Programme"), max_length=20)
    """Words in a special-measures history regime that mean the national intensive-support programme."""
    since_year: int = Field(default=2021, ge=2013, le=2100)
    """A programme entry from this year on, with no exit recorded, means intensive support now (2013 to 2100)."""


class Segments(_Section):
    """Which oversight segments mean what (DOMAIN §1: segments 1-4 are quartiles under 2025/26; 5 is intensive)."""

    intensive: tuple[int, ...] = Field(default=(5,), min_length=1)
    """Oversight segments (1 to 5) that mean intensive support under the 2025/26 framework (segment 5)."""
    difficulty: tuple[int, ...] = (4,)
    """Further segments that put a trust in difficulty under the 2025/26 framework (4: the lowest quartile)."""
    supporter: tuple[int, ...] = Field(default=(1, 2), min_length=1)
    """Oversight segments a trust must be in to be a supporter."""
    supporter_with_good_rating: tuple[int, ...] = ()
    """Further segments whose trusts may support only with a recent CQC Good or Outstanding, overall and well-led (a policy lever: [3])."""  # noqa: E501  the key's one-line description, shown whole in the docs and the form
    outweighs_cqc: tuple[int, ...] = (1, 2)
    """Current segments that outweigh a recent Requires improvement rating with weak well-led."""
    earlier_framework: EarlierFramework = EarlierFramework()
    """How segments of quarters under the 2021-25 framework are read (segment history only)."""
    programme: Programme = Programme()
    """How the special-measures history shows a trust in the intensive-support programme now."""

    @field_validator("intensive", "difficulty", "supporter", "outweighs_cqc", "supporter_with_good_rating")
    @classmethod
    def _in_range(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        return _check_segments(value)

    @model_validator(mode="after")
    def _no_overlap(self) -> Segments:
        for name, listed in (("intensive", self.intensive), ("difficulty", self.difficulty)):
            for other, supporting in (("supporter", self.supporter),
                                      ("supporter_with_good_rating", self.supporter_with_good_rating)):
                overlap = set(listed) & set(supporting)
                if overlap:
                    raise ValueError(f"cannot list segment {min(overlap)} as both {name} and {other}")
        return self


class RecipientRules(_Section):
    """Which data may make a trust a recipient."""

    max_rating_age_years: float = Field(default=5, gt=0, le=25)
    """A CQC rating older than this cannot alone make a trust a recipient (the reasons say so; above 0, up to 25)."""


class Persistent(_Section):
    """When a trust in difficulty is in persistent difficulty (eligible for a management contract)."""

    min_inspections: int = Field(default=2, ge=1, le=10)
    """Persistent difficulty if in difficulty on each of this many latest inspections (1 to 10)."""
    min_months: int = Field(default=24, ge=1, le=120)
    """Persistent difficulty if in the intensive segment for at least this many months (1 to 120)."""
    history_events: tuple[Annotated[str, Field(max_length=60)], ...] = Field(default=("entered", "entry_recommended"),
                                                                             max_length=20)
    """Special-measures history events that count as having been placed in special measures before."""


class TrackRecord(_Section):
    """A supporter's track record of high performance over the quarters of segment history known."""

    min_quarters: int = Field(default=3, ge=1, le=40)
    """A supporter must have been in a supporter segment in at least this many of its last known quarters (1 to 40)."""
    quarters: int = Field(default=4, ge=1, le=40)
    """How many of its latest known quarters the track record looks at (1 to 40)."""

    @model_validator(mode="after")
    def _fits(self) -> TrackRecord:
        if self.min_quarters > self.quarters:
            raise ValueError(f"min_quarters ({self.min_quarters}) cannot be more than the quarters looked at "
                             f"({self.quarters})")
        return self


class SupporterRules(_Section):
    """Who may be a supporter."""

    max_rating_age_years: float = Field(default=5, gt=0, le=25)
    """A supporter rated within this many years must be Good or Outstanding overall and well-led (above 0, up to 25)."""
    track_record: TrackRecord = TrackRecord()
    """The segment track record a supporter needs (what is known counts where fewer quarters are known)."""


class McSupporterRules(_Section):
    """Who may run a management contract."""

    league_top_share: float = Field(default=0.15, gt=0, le=1)
    """Share of its league a segment 1 trust must be within to run management contracts."""
    league_segment: int = Field(default=1, ge=1, le=5)
    """Segment a trust must be in for the league-table route to management-contract supporter."""
    league_scope: Literal["peer_group", "league"] = "peer_group"
    """Which league the share is of: the trust's own peer group, or the whole league table of its trust type."""
