"""The spread rule as arc conflicts: two recipients of one supporter at most ``max_corecipient_km`` apart.

Two arcs conflict when they share a supporter and their recipients' head offices are further
apart than the limit; a plan may not take both. Conflicts are found per supporter among any set
of arcs (the whole national instance, a CP-SAT neighbourhood, or a plan), so nothing the size of
all pairs of arcs of a very large instance is ever built.
"""
from __future__ import annotations

import numpy as np

from ..geography import haversine_km


def conflicting_pairs(agent: np.ndarray, job: np.ndarray, job_lat: np.ndarray, job_lon: np.ndarray,
                      limit_km: float, arcs: np.ndarray | None = None) -> np.ndarray:
    """Every pair ``(a, b)`` (arc positions, ``a < b``) among ``arcs`` (default: all) that may not both be chosen.

    A pair conflicts when both arcs have the same agent (supporter) and different jobs
    (recipients) whose locations are more than ``limit_km`` apart; an unknown location conflicts
    with every other recipient (its distance cannot be shown to be within the limit).
    """
    idx = np.arange(len(agent)) if arcs is None else np.asarray(arcs, dtype=np.int64)
    if len(idx) < 2:
        return np.zeros((0, 2), dtype=np.int64)
    order = idx[np.argsort(agent[idx], kind="stable")]
    cuts = np.flatnonzero(np.diff(agent[order])) + 1
    out = []
    for group in np.split(order, cuts):
        if len(group) < 2:
            continue
        jobs = job[group]
        unique, inverse = np.unique(jobs, return_inverse=True)
        if len(unique) < 2:
            continue
        lat, lon = job_lat[unique], job_lon[unique]
        far = haversine_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
        apart = ~(far <= limit_km)  # NaN (unknown location) counts as apart
        np.fill_diagonal(apart, False)
        a, b = np.nonzero(np.triu(apart[inverse][:, inverse], k=1))
        if len(a):
            out.append(np.stack([group[a], group[b]], axis=1))
    if not out:
        return np.zeros((0, 2), dtype=np.int64)
    pairs = np.concatenate(out)
    pairs.sort(axis=1)
    return pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))]


def spread_violations(agent: np.ndarray, job: np.ndarray, job_lat: np.ndarray, job_lon: np.ndarray,
                      limit_km: float, chosen: np.ndarray) -> np.ndarray:
    """The conflicting pairs inside a plan (empty when the plan keeps the spread rule)."""
    return conflicting_pairs(agent, job, job_lat, job_lon, limit_km, np.flatnonzero(chosen))
