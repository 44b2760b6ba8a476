"""Where synthetic providers are: region polygons, points inside them and the nearest ICB centre.

Providers are placed uniformly inside their NHS England region's polygon
(``england_regions.geojson``) by rejection sampling with the ray-casting test
``points_in_polygon``; ICBs are the Voronoi cells of random centres.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..dataset import DEFAULT_DATA_DIR
from ..ingest.register import REGION_NAMES

#: NHS England region name -> ODS region code ("National Grouping").
REGION_CODES = {name: code for code, name in REGION_NAMES.items()}

#: The region polygons providers are placed in (GeoJSON, lon/lat).
REGIONS_GEOJSON = DEFAULT_DATA_DIR / "england_regions.geojson"


def load_region_polygons(path: str | Path | None = None) -> dict[str, list[np.ndarray]]:
    """Each NHS England region's rings (outer boundaries and holes) as ``(k, 2)`` lon/lat arrays.

    Polygon and MultiPolygon geometries are flattened into one list of rings per region; the
    even-odd rule of ``points_in_polygon`` then treats holes and separate parts correctly.
    """
    data = json.loads(Path(path or REGIONS_GEOJSON).read_text(encoding="utf-8"))
    regions: dict[str, list[np.ndarray]] = {}
    for feature in data["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        rings = [np.asarray(ring, dtype=float)[:, :2] for polygon in polygons for ring in polygon]
        regions.setdefault(feature["properties"]["name"], []).extend(rings)
    return regions


def points_in_polygon(lon: np.ndarray, lat: np.ndarray, rings: Sequence[np.ndarray]) -> np.ndarray:
    """Whether each point lies inside the rings (even-odd ray casting, vectorised over points and edges).

    A horizontal ray from each point towards +longitude is intersected with every edge; a point
    is inside when it crosses an odd number of edges over all rings.
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    inside = np.zeros(lon.shape, dtype=bool)
    for ring in rings:
        x1, y1 = ring[:, 0], ring[:, 1]
        x2, y2 = np.roll(x1, -1), np.roll(y1, -1)
        dy = np.where(y2 == y1, 1.0, y2 - y1)  # horizontal edges never cross; avoid dividing by zero
        near = (lon <= x1.max()) & (lat >= y1.min()) & (lat <= y1.max())
        candidates = np.flatnonzero(near)
        step = max(1, 2_000_000 // len(x1))
        for start in range(0, len(candidates), step):
            idx = candidates[start:start + step]
            px, py = lon[idx, None], lat[idx, None]
            crosses = (y1 > py) != (y2 > py)
            x_at = x1 + (py - y1) * (x2 - x1) / dy
            inside[idx] ^= (np.count_nonzero(crosses & (px < x_at), axis=1) % 2).astype(bool)
    return inside


def random_points_in(rng: np.random.Generator, rings: Sequence[np.ndarray],
                     count: int) -> tuple[np.ndarray, np.ndarray]:
    """``count`` uniform random points inside the rings (rejection sampling in their bounding box)."""
    everything = np.concatenate(rings)
    (lon_min, lat_min), (lon_max, lat_max) = everything.min(axis=0), everything.max(axis=0)
    lons: list[np.ndarray] = [np.zeros(0)]
    lats: list[np.ndarray] = [np.zeros(0)]
    found = 0
    while found < count:
        batch = 3 * (count - found) + 64
        lon = rng.uniform(lon_min, lon_max, batch)
        lat = rng.uniform(lat_min, lat_max, batch)
        keep = points_in_polygon(lon, lat, rings)
        lons.append(lon[keep])
        lats.append(lat[keep])
        found += int(keep.sum())
    return np.concatenate(lons)[:count], np.concatenate(lats)[:count]


def nearest_centre(lon: np.ndarray, lat: np.ndarray, centre_lon: np.ndarray, centre_lat: np.ndarray) -> np.ndarray:
    """Index of the nearest centre for each point (equirectangular distance)."""
    scale = np.cos(np.radians(53.0))
    d = ((lon[:, None] - centre_lon[None, :]) * scale) ** 2 + (lat[:, None] - centre_lat[None, :]) ** 2
    return np.argmin(d, axis=1) if len(lon) else np.zeros(0, dtype=int)
