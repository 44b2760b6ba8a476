"""The spread rule as conflicts: arcs of one supporter whose recipients are too far apart."""
from __future__ import annotations

import numpy as np

from matcher.model.spread import conflicting_pairs

# Three recipients: Manchester, Liverpool (50 km away) and London (260 km away).
LAT, LON = np.array([53.48, 53.41, 51.51]), np.array([-2.24, -2.98, -0.13])


def test_recipients_further_apart_than_the_limit_conflict_for_one_supporter():
    agent, job = np.array([0, 0, 0]), np.array([0, 1, 2])
    pairs = conflicting_pairs(agent, job, LAT, LON, 100)
    assert pairs.tolist() == [[0, 2], [1, 2]]


def test_two_supporters_never_conflict_and_one_recipient_never_conflicts_with_itself():
    assert conflicting_pairs(np.array([0, 1]), np.array([0, 2]), LAT, LON, 100).tolist() == []
    assert conflicting_pairs(np.array([0, 0]), np.array([2, 2]), LAT, LON, 100).tolist() == []


def test_an_unknown_location_conflicts_with_every_other_recipient():
    lat, lon = np.array([53.48, np.nan]), np.array([-2.24, np.nan])
    assert conflicting_pairs(np.array([0, 0]), np.array([0, 1]), lat, lon, 100).tolist() == [[0, 1]]
