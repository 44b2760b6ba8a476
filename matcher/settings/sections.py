"""The sections of the configuration about who is who and who may be paired.

Segments, persistence, supporters, capacity, distances, geography and sectors.

Every field has its default and a one-line description (the attribute docstring), which the
README's configuration reference, ``check-config`` and the policy editor all show.
"""
from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..domain import Sector


class _Section(BaseModel):
    """Base for every config section: unknown keys rejected, values immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True, allow_inf_nan=False)


class Segments(_Section):
    """Which oversight segments mean difficulty and which allow supporting (``segments``)."""

    intensive: tuple[int, ...] = Field(default=(4, 5), min_length=1)
    """Oversight segments (1 to 5) that count as intensive support (the Recovery Support Programme)."""
    supporter: tuple[int, ...] = Field(default=(1, 2), min_length=1)
    """Oversight segments a trust must be in to be a supporter."""
    outweighs_cqc: tuple[int, ...] = (1, 2)
    """Current segments that outweigh an older Requires improvement rating with weak well-led."""

    @field_validator("intensive", "supporter", "outweighs_cqc")
    @classmethod
    def _segments_in_range(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        for segment in value:
            if not 1 <= segment <= 5:
                raise ValueError(f"must list segments from 1 to 5, got {segment}")
        return value

    @model_validator(mode="after")
    def _no_overlap(self) -> Segments:
        overlap = set(self.intensive) & set(self.supporter)
        if overlap:
            raise ValueError(f"cannot list segment {min(overlap)} as both intensive and supporter")
        return self


class Persistent(_Section):
    """When a trust in difficulty counts as in persistent difficulty (``persistent``)."""

    min_inspections: int = Field(default=2, ge=1, le=10)
    """Persistent difficulty if in difficulty on each of this many latest inspections (1 to 10)."""
    min_months: int = Field(default=24, ge=1, le=120)
    """Persistent difficulty if in the intensive segment for at least this many months (1 to 120)."""
    history_events: tuple[Annotated[str, Field(max_length=60)], ...] = Field(default=("entered", "entry_recommended"),
                                                                             max_length=20)
    """Special-measures history events that count as having been placed in special measures before."""


class SupporterRules(_Section):
    """What a supporter's CQC rating must be, and how old it may be (``supporter``)."""

    max_rating_age_years: float = Field(default=5, gt=0, le=25)
    """A CQC rating younger than this must be Good or Outstanding (overall and well-led) for a supporter (up to 25 years)."""  # noqa: E501  the key's one-line description, shown whole in the docs and the form


class McSupporterRules(_Section):
    """The league-table route to running management contracts (``mc_supporter``)."""

    league_top_share: float = Field(default=0.15, gt=0, le=1)
    """Share of its oversight league table a segment 1 trust must be within to run management contracts (above 0, up to 1)."""  # noqa: E501  the key's one-line description, shown whole in the docs and the form
    league_segment: int = Field(default=1, ge=1, le=5)
    """Segment a trust must be in for the league-table route to management-contract supporter (1 to 5)."""


class Capacity(_Section):
    """Supporter capacity in support units, and the largest trust a supporter may manage (``capacity``)."""

    base_units: int = Field(default=2, ge=0, le=100)
    """Support units every supporter has, before any extra it declares (0 to 100)."""
    buddy_units: int = Field(default=1, ge=1, le=100)
    """Support units one buddying uses (1 to 100)."""
    mc_units: int = Field(default=2, ge=1, le=100)
    """Support units a management contract uses, times the recipient-to-supporter size ratio (rounded up; 1 to 100)."""
    max_size_ratio: float = Field(default=1.5, gt=0, le=100)
    """A supporter may not manage a trust more than this many times its own size (estimated income; up to 100)."""


class MaxDistanceKm(_Section):
    """How far apart head offices may be, by kind of partnership (``max_distance_km``)."""

    buddy: float = Field(default=200, gt=0, le=1000)
    """Longest great-circle distance between head offices for a buddying, in km (up to 1,000)."""
    management_contract: float = Field(default=80, gt=0, le=1000)
    """Longest great-circle distance between head offices for a management contract, in km (up to 1,000)."""


class Geography(_Section):
    """Where trusts may be paired and what distance costs in score (``geography``)."""

    same_region: bool = False
    """Only pair trusts in the same NHS England region."""
    distance_penalty_per_km: float = Field(default=0.005, ge=0, le=10)
    """Score taken off a pair for each km between head offices (0 to 10)."""


def _default_compatibility() -> dict[Sector, tuple[Sector, ...]]:
    return {
        Sector.ACUTE: (Sector.ACUTE, Sector.SPECIALIST),
        Sector.SPECIALIST: (Sector.SPECIALIST, Sector.ACUTE),
        Sector.MENTAL_HEALTH: (Sector.MENTAL_HEALTH, Sector.COMMUNITY),
        Sector.COMMUNITY: (Sector.COMMUNITY, Sector.MENTAL_HEALTH),
        Sector.AMBULANCE: (Sector.AMBULANCE,),
    }


class Sectors(_Section):
    """Which sectors may support which (``sectors``)."""

    compatible: dict[Sector, tuple[Sector, ...]] = Field(default_factory=_default_compatibility)
    """For each supporter sector, the recipient sectors it may support (combined trusts match as either sector)."""
