"""The synthetic providers themselves: template trust, region, location, ICB, quality and size.

Each provider copies a randomly drawn real trust as its *template* (trust type, subtype and
which files it appears in); a latent quality score later drives its segment, ratings and
metrics, and a log-normal factor scales the template's size.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..domain import display_name
from .geography import (
    REGION_CODES,
    load_region_polygons,
    nearest_centre,
    random_points_in,
)
from .reference import Reference
from .sampling import latent

MIN_PROVIDERS, MAX_PROVIDERS = 1, 99_999
#: How strongly each metric follows the latent quality (negative: lower is better).
METRIC_RHO = {"ae": 0.35, "rtt": 0.35, "engagement": 0.35, "shmi": -0.3}
_SIZE_SIGMA = 0.2       # spread of the log-normal size factor around the template's size


@dataclass(frozen=True)
class Providers:
    """The synthetic providers: one entry per register row, in code order."""

    code: np.ndarray
    name: np.ndarray
    display_name: np.ndarray  # the name as people write it ("Synthetic Provider 00001 NHS Trust")
    template: pd.DataFrame   # the real trust each provider copies its type and coverage from
    trust_type: np.ndarray
    region: np.ndarray
    icb: np.ndarray
    icb_name: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    quality: np.ndarray      # latent quality: higher is better
    rtt_quality: np.ndarray  # the latent behind both RTT figures (snapshot and extract agree closely)
    size: np.ndarray         # log-normal size factor relative to the template


def draw_providers(rng: np.random.Generator, ref: Reference, n: int) -> Providers:
    """Draw each provider's template, region, location, ICB, quality and size."""
    numbers = np.arange(1, n + 1)
    template = ref.templates.iloc[rng.integers(0, len(ref.templates), n)].reset_index(drop=True)
    region = ref.register["nhse_region_name"].to_numpy()[rng.integers(0, len(ref.register), n)]
    lon, lat = np.zeros(n), np.zeros(n)
    icb = np.empty(n, dtype=object)
    icb_name = np.empty(n, dtype=object)
    polygons = load_region_polygons()
    icb_number = 0
    for name in sorted(REGION_CODES):
        idx = np.flatnonzero(region == name)
        rings = polygons[name]
        lon[idx], lat[idx] = random_points_in(rng, rings, len(idx))
        k = max(1, ref.icbs_per_region.get(name, 1))
        centre_lon, centre_lat = random_points_in(rng, rings, k)
        nearest = nearest_centre(lon[idx], lat[idx], centre_lon, centre_lat)
        codes = np.array([f"SQ{icb_number + j + 1:02d}" for j in range(k)], dtype=object)
        labels = np.array([f"NHS SYNTHETIC {name.upper()} {j + 1:02d} INTEGRATED CARE BOARD" for j in range(k)],
                          dtype=object)
        icb[idx], icb_name[idx] = codes[nearest], labels[nearest]
        icb_number += k
    quality = rng.standard_normal(n)
    rtt_quality = latent(rng, quality, METRIC_RHO["rtt"])
    size = np.exp(_SIZE_SIGMA * rng.standard_normal(n))
    names, displays = _names(numbers, template["Name"])
    return Providers(
        code=np.array([f"S{i:05d}" for i in numbers], dtype=object),
        name=np.array(names, dtype=object), display_name=np.array(displays, dtype=object),
        template=template, trust_type=template["trust_type"].to_numpy(), region=region, icb=icb,
        icb_name=icb_name, lon=np.round(lon, 6), lat=np.round(lat, 6),
        quality=quality, rtt_quality=rtt_quality, size=size,
    )


def _names(numbers: np.ndarray, template_names: pd.Series) -> tuple[list[str], list[str]]:
    """``SYNTHETIC PROVIDER 00001 NHS TRUST`` and its display form, with the template's sector word and status.

    The sector words ("MENTAL HEALTH", "COMMUNITY", "AMBULANCE SERVICE") keep the register's
    name-inferred sectors in the real proportions.
    """
    names, displays = [], []
    endings: dict[str, str] = {}
    for number, real in zip(numbers, template_names, strict=True):
        if "MENTAL HEALTH" in real:
            word = " MENTAL HEALTH"
        elif "COMMUNITY" in real and "MENTAL" not in real:
            word = " COMMUNITY"
        elif "AMBULANCE" in real:
            word = " AMBULANCE SERVICE"
        else:
            word = ""
        ending = f"{word} {'NHS FOUNDATION TRUST' if 'FOUNDATION' in real else 'NHS TRUST'}"
        if ending not in endings:
            endings[ending] = display_name(ending.strip())
        names.append(f"SYNTHETIC PROVIDER {number:05d}{ending}")
        displays.append(f"Synthetic Provider {number:05d} {endings[ending]}")
    return names, displays
