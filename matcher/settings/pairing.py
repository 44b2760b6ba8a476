"""The sections of the configuration about who may support whom (DOMAIN §4).

Peer groups, capacity, size, distance, geography and groups.
"""
from __future__ import annotations

from pydantic import Field, model_validator

from ..domain import PeerGroup
from .sections import _Section


def _own_peer_group_only() -> dict[PeerGroup, tuple[PeerGroup, ...]]:
    return {group: (group,) for group in PeerGroup}


class PeerGroups(_Section):
    """Which peer groups may support which (DOMAIN §1, §4)."""

    may_support: dict[PeerGroup, tuple[PeerGroup, ...]] = Field(default_factory=_own_peer_group_only)
    """For each supporter peer group, the recipient peer groups it may support; across two groups, buddying only and flagged."""  # noqa: E501  # one README table cell


class Capacity(_Section):
    """Supporter capacity in support units, by size (estimated income)."""

    income_bands_gbp_m: tuple[float, ...] = (400, 1000)
    """Estimated-income thresholds, in GBP millions, between the capacity steps (in increasing order)."""
    units_by_band: tuple[int, ...] = (1, 2, 3)
    """Support units of a supporter below the first threshold, between thresholds, and above the last."""
    buddy_units: int = Field(default=1, ge=1, le=20)
    """Support units one buddying uses (1 to 20)."""
    mc_units: int = Field(default=2, ge=1, le=20)
    """Support units a management contract uses, times the recipient-to-supporter size ratio (rounded up; 1 to 20)."""
    max_load_ratio: float = Field(default=1.5, gt=0, le=20)
    """A supporter's recipients together may be at most this many times its own estimated income (above 0, up to 20)."""

    @model_validator(mode="after")
    def _bands(self) -> Capacity:
        if list(self.income_bands_gbp_m) != sorted(set(self.income_bands_gbp_m)):
            raise ValueError("income_bands_gbp_m must be in increasing order, each once")
        if len(self.units_by_band) != len(self.income_bands_gbp_m) + 1:
            raise ValueError(f"units_by_band needs {len(self.income_bands_gbp_m) + 1} numbers, one more than "
                             f"income_bands_gbp_m has thresholds")
        if any(units < 0 or units > 20 for units in self.units_by_band):
            raise ValueError("units_by_band must each be from 0 to 20")
        return self

    def units_for(self, income_gbp: float | None) -> int:
        """The support units of a supporter of this estimated income (0 when its size is unknown)."""
        if income_gbp is None or income_gbp != income_gbp:
            return 0
        band = sum(income_gbp >= limit * 1e6 for limit in self.income_bands_gbp_m)
        return self.units_by_band[band]


class MaxSizeRatio(_Section):
    """The overstretch guard on one recipient: how much larger than its supporter it may be."""

    buddy: float = Field(default=2.0, gt=0, le=20)
    """A buddying recipient may be at most this many times the supporter's estimated income (above 0, up to 20)."""
    management_contract: float = Field(default=1.5, gt=0, le=20)
    """A managed trust may be at most this many times the supporter's estimated income (above 0, up to 20)."""


class MaxDistanceKm(_Section):
    """Distance limits per kind of partnership."""

    buddy: float = Field(default=200, gt=0, le=1000)
    """Longest great-circle distance between head offices for a buddying, in km (above 0, up to 1,000)."""
    management_contract: float = Field(default=80, gt=0, le=1000)
    """Longest great-circle distance between head offices for a management contract, in km (above 0, up to 1,000)."""


class Geography(_Section):
    """Other geography rules and preferences."""

    same_region: bool = False
    """Only pair trusts in the same NHS England region."""
    distance_penalty_per_km: float = Field(default=0.05, ge=0, le=1)
    """Score taken off a pair for each km between head offices (in fit units; 100 score points each; 0 to 1)."""
    cross_region_penalty: int = Field(default=50, ge=0, le=10_000)
    """Score points taken off a pair across an NHS England region boundary (a preference, not a rule; 0 to 10,000)."""
    max_corecipient_km: float = Field(default=100, gt=0, le=1000)
    """Two recipients of one supporter may be at most this far apart, in km (one team; above 0, up to 1,000)."""
    min_pair_score: int = Field(default=0, ge=-10_000, le=10_000)
    """No pair scoring less, in points (fit less the distance penalties): its distance outweighs its fit (-10,000 to 10,000)."""  # noqa: E501  the key's one-line description, shown whole in the docs and the form


class GroupRules(_Section):
    """How existing groups of trusts shape the plan (DOMAIN §4)."""

    allow_mc_in_group: bool = False
    """Allow a management contract for a trust whose group already has a group chief executive or a merger."""
    same_supporter_bonus: int = Field(default=100, ge=0, le=10_000)
    """Score points for covering two recipients of one group with the same supporter (0 to 10,000)."""
