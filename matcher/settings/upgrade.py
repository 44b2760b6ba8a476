"""Reading a configuration written for the version 1 rules (DOMAIN.md version 1).

Scenarios saved before version 2 (and config files kept by policy staff) use keys that version 2
replaced. Each such key is translated to its version 2 meaning, so an old scenario still runs and
its history stays readable; any other unknown key is still an error.

- ``capacity.base_units``: capacity now grows with size (``capacity.units_by_band``); dropped.
- ``capacity.max_size_ratio``: now ``max_size_ratio.management_contract``.
- ``sectors.compatible``: who may support whom is now ``peer_groups.may_support``; dropped.
- ``segments.intensive: [4, 5]`` (version 1's reading of the 2025/26 framework): segment 5 is
  intensive support and segment 4 the lowest quartile (``segments.difficulty``).
"""
from __future__ import annotations

import copy
from typing import Any

#: The version 1 default of ``segments.intensive``, which read segment 4 as intensive support.
V1_INTENSIVE = [4, 5]


def upgrade(raw: dict[str, Any]) -> dict[str, Any]:
    """A version 1 configuration mapping translated to version 2 (a version 2 mapping is returned unchanged)."""
    out = copy.deepcopy(raw)
    capacity = out.get("capacity")
    if isinstance(capacity, dict):
        capacity.pop("base_units", None)
        if "max_size_ratio" in capacity:
            ratio = capacity.pop("max_size_ratio")
            sizes = out.setdefault("max_size_ratio", {})
            if isinstance(sizes, dict):
                sizes.setdefault("management_contract", ratio)
    if isinstance(out.get("sectors"), dict) and set(out["sectors"]) <= {"compatible"}:
        out.pop("sectors")
    segments = out.get("segments")
    if isinstance(segments, dict) and segments.get("intensive") == V1_INTENSIVE and "difficulty" not in segments:
        segments["intensive"], segments["difficulty"] = [5], [4]
    return out
