"""Peer groups (DOMAIN §1): trusts that do comparable work, from the oversight framework's trust subtype.

General acute trusts (teaching, large, medium, small, multi-service) are one peer group;
single-specialty trusts (eye, orthopaedic, cancer, heart and chest, neurology, children's,
women's) another; mental health (with combined mental health and community trusts), community
and ambulance trusts a group each. Where the subtype is missing the sector was inferred from the
trust's name, and the peer group carries that low confidence (``sector_basis``).
"""
from __future__ import annotations

from .domain import PeerGroup

#: The peer groups of each sector label (``domain.SECTOR_GROUPS``); a combined trust is in two.
SECTOR_PEERS: dict[str, tuple[PeerGroup, ...]] = {
    "acute": (PeerGroup.GENERAL_ACUTE,),
    "specialist": (PeerGroup.SPECIALIST_ACUTE,),
    "mental_health": (PeerGroup.MENTAL_HEALTH,),
    "community": (PeerGroup.COMMUNITY,),
    "mental_health_and_community": (PeerGroup.MENTAL_HEALTH, PeerGroup.COMMUNITY),
    "ambulance": (PeerGroup.AMBULANCE,),
    "other": (),
}

_ACUTE_SIZES = ("Teaching", "Large", "Medium", "Small", "Multi-Service")


def peer_group_of(sector: str, subtype: str | None) -> tuple[str | None, str, str | None]:
    """A trust's main peer group, every peer group it matches as ("a|b"), and its acute size class.

    >>> peer_group_of("mental_health_and_community", None)
    ('mental_health', 'mental_health|community', None)
    """
    groups = SECTOR_PEERS.get(sector, ())
    size = next((s for s in _ACUTE_SIZES if subtype and subtype == f"Acute - {s}"), None)
    return (str(groups[0]) if groups else None), "|".join(str(g) for g in groups), size


def peer_groups_in(cell: str | None) -> tuple[str, ...]:
    """The peer groups of a trust table's ``peer_groups`` cell."""
    return tuple(cell.split("|")) if cell else ()
