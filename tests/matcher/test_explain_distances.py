"""Explanations measure many distances at once, and must still say what pair-by-pair measuring said.

``pairwise_km`` (one recipient to many, in one numpy pass) is compared bit for bit with
``haversine_km`` given one pair at a time, the way explanations measured before: numpy squares
a lone number with ``pow`` but an array by multiplying, and those differ in the last bit now and
then, which could move a printed distance or a comparison with the spread limit.
"""
from __future__ import annotations

import math

import numpy as np

from matcher.explain.options import pairwise_km
from matcher.geography import haversine_km


def _one_by_one(lat: float, lon: float, lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    return np.array([float(haversine_km(lat, lon, float(a), float(b))) for a, b in zip(lats, lons, strict=True)])


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return bool(np.all((a == b) | (np.isnan(a) & np.isnan(b))))


def test_many_distances_at_once_are_bit_for_bit_the_distances_one_at_a_time():
    rng = np.random.default_rng(17)
    lats, lons = rng.uniform(49.9, 55.8, 1500), rng.uniform(-5.7, 1.8, 1500)
    for start in range(0, 1500, 75):
        got = pairwise_km(float(lats[start]), float(lons[start]), lats, lons)
        assert _same(got, _one_by_one(float(lats[start]), float(lons[start]), lats, lons))


def test_the_check_would_catch_squaring_by_multiplying():
    # Over arrays, numpy's own haversine differs from one-at-a-time somewhere in these points:
    # the comparison above is strict enough to notice.
    rng = np.random.default_rng(17)
    lats, lons = rng.uniform(49.9, 55.8, 1500), rng.uniform(-5.7, 1.8, 1500)
    differs = any(not _same(np.asarray(haversine_km(np.full(1500, lats[k]), np.full(1500, lons[k]), lats, lons)),
                            _one_by_one(float(lats[k]), float(lons[k]), lats, lons)) for k in range(0, 1500, 75))
    assert differs


def test_an_unknown_location_is_nan_and_a_point_is_zero_from_itself():
    got = pairwise_km(51.5, -0.1, np.array([math.nan, 51.5, 53.48]), np.array([-2.24, -0.1, math.nan]))
    assert math.isnan(got[0]) and got[1] == 0.0 and math.isnan(got[2])
    assert math.isnan(pairwise_km(math.nan, math.nan, np.array([51.5]), np.array([-0.1]))[0])
    assert len(pairwise_km(51.5, -0.1, np.zeros(0), np.zeros(0))) == 0
