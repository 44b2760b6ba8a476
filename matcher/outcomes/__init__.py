"""Outcomes and track record (DOMAIN §8): what became of each agreement, and what it says about its supporter.

Pure functions over validated data: ``records`` (agreements and the state each trust was
observed in at each data refresh), ``follow`` (each agreement's state at start, 12 and 24
months, whether the recipient left difficulty, and the overstretch warning) and ``track``
(each supporter's track record). The store keeps the records; the pages and exports show them.
"""
from __future__ import annotations

from .follow import Mark, Outcome, follow
from .records import Agreement, Observation, observe
from .track import TrackRecord, track

__all__ = ["Agreement", "Mark", "Observation", "Outcome", "TrackRecord", "follow", "observe", "track"]
