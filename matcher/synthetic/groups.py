"""The provider groups file: neighbouring providers of one region that share a chief executive or a chair.

Drawn after every other table (so adding it left the other files of a seed unchanged), with the
shipped file's shape: about one provider in seven is in a group, most groups are pairs, and the
arrangements follow the shipped mix. Members are a seed provider and its nearest ungrouped
neighbours of the same region and trust type.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..geography import haversine_km
from .providers import Providers

#: Share of providers in a counted group in the shipped data (about 60 of 199 open English trusts).
GROUPED_SHARE = 0.15
SIZES, SIZE_WEIGHTS = (2, 3, 4), (0.75, 0.18, 0.07)
ARRANGEMENTS = ("group_joint_ceo", "group_model_shared_chair", "joint_ceo_only")
ARRANGEMENT_WEIGHTS = (0.78, 0.18, 0.04)
HEADINGS = ("group_name", "member_code", "member_name", "arrangement", "since", "source_url", "note", "confidence")


def groups_table(rng: np.random.Generator, p: Providers) -> pd.DataFrame:
    """The groups file, shipped layout: one row per (group, member)."""
    n = len(p.code)
    free = np.ones(n, dtype=bool)
    rows: list[tuple] = []
    target = round(GROUPED_SHARE * n)
    order = rng.permutation(n)
    number = 0
    for seed in order.tolist():
        if free.sum() == 0 or n - free.sum() >= target:
            break
        if not free[seed]:
            continue
        size = int(rng.choice(SIZES, p=SIZE_WEIGHTS))
        arrangement = str(rng.choice(ARRANGEMENTS, p=ARRANGEMENT_WEIGHTS))
        alike = np.flatnonzero(free & (p.region == p.region[seed]) & (p.trust_type == p.trust_type[seed]))
        alike = alike[alike != seed]
        if not len(alike):
            continue
        near = alike[np.argsort(haversine_km(p.lat[seed], p.lon[seed], p.lat[alike], p.lon[alike]), kind="stable")]
        members = [seed, *near[:size - 1].tolist()]
        free[members] = False
        number += 1
        since = f"{int(rng.integers(2017, 2026))}-{int(rng.integers(1, 13)):02d}"
        for m in members:
            rows.append((f"Synthetic group {number:05d}", p.code[m], p.name[m], arrangement, since, "", "synthetic",
                         "sourced"))
    return pd.DataFrame(rows, columns=list(HEADINGS))
