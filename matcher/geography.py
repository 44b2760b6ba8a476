"""Great-circle distances between trust head offices (vectorised)."""
from __future__ import annotations

import numpy as np

EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """Great-circle distance in km between paired points (degrees); NaN where a point is missing."""
    p1, p2 = np.radians(np.asarray(lat1, float)), np.radians(np.asarray(lat2, float))
    dphi = p2 - p1
    dlmb = np.radians(np.asarray(lon2, float) - np.asarray(lon1, float))
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def haversine_between_km(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray,
                         first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """``haversine_km`` from point ``first[i]`` of the first set to point ``second[i]`` of the second.

    The same arithmetic, so the same distances to the last bit, but each point's radians and cosine
    are worked out once rather than once per pair (millions of pairs at 20,000 providers).
    """
    p1, p2 = np.radians(np.asarray(lat1, float)), np.radians(np.asarray(lat2, float))
    cos1, cos2 = np.cos(p1), np.cos(p2)
    dphi = p2[second] - p1[first]
    dlmb = np.radians(np.asarray(lon2, float)[second] - np.asarray(lon1, float)[first])
    a = np.sin(dphi / 2) ** 2 + cos1[first] * cos2[second] * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
