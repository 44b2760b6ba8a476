"""Oversight segments (ranked by quality against the real mix) and the segmentation file."""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .columns import COLUMNS
from .providers import Providers
from .reference import Reference
from .sampling import (
    MIN_POOL,
    donor_pools,
    floats,
    int_column,
    pick,
    ranked_draw,
    value_pools,
)

_DOMAINS = ("access", "effectiveness_experience", "finance_productivity", "patient_safety", "people_workforce")


def draw_segments(ref: Reference, p: Providers) -> np.ndarray:
    """Oversight segment per provider (NaN when not segmented), ranked by quality.

    Each trust subtype (acute teaching, specialist, ...) gets its real segment mix, or its trust
    type's when the subtype has few real trusts.
    """
    real = ref.oversight
    real_types = real["Trust_type"].to_numpy()
    pools = value_pools(real["segment"].to_numpy(dtype=float), _subtype_keys(real_types, real["Trust_subtype"]),
                        real_types)
    mask = p.template["in_oversight"].to_numpy()
    groups = _subtype_keys(p.trust_type, p.template["trust_subtype"])
    return ranked_draw(-p.quality, groups, mask, pools, discrete=True)


def _subtype_keys(types: np.ndarray, subtypes: pd.Series) -> np.ndarray:
    """"Acute trust|Acute - Teaching"-style keys (the subtype may be blank)."""
    return np.array([f"{t}|{s}" for t, s in zip(types, subtypes, strict=True)], dtype=object)


def oversight_table(rng: np.random.Generator, ref: Reference, p: Providers,
               segment: np.ndarray) -> tuple[pd.DataFrame, np.ndarray]:
    """The oversight segmentation file, and each provider's deficit flag (NaN when not known)."""
    real = ref.oversight
    n = len(p.code)
    mask = ~np.isnan(segment)
    # Donors: real trusts of the same type and segment (or of the same segment when too few).
    pools = donor_pools([(t, int(s)) for t, s in zip(real["Trust_type"], real["segment"], strict=True)],
                         [int(s) for s in real["segment"]])
    keys = [_donor_key(pools, t, s) for t, s in zip(p.trust_type, segment, strict=True)]
    donor = pick(rng.random(n), keys, pools)
    d = real.iloc[np.maximum(donor, 0)].reset_index(drop=True)

    deficit = _deficits(rng, ref, p.trust_type, segment)
    score = np.round(np.clip(floats(d["league_avg_score"]) + rng.normal(0, 0.05, n), 1, 4), 2)
    rank = np.full(n, np.nan)
    for league in sorted(set(p.trust_type[mask])):
        idx = np.flatnonzero(mask & (p.trust_type == league))
        order = idx[np.lexsort((idx, score[idx], segment[idx]))]
        rank[order] = np.arange(1, len(order) + 1)
    columns: dict[str, object] = {
        "org_code": p.code, "org_name": p.name, "Region": p.region, "Trust_type": p.trust_type,
        "Trust_subtype": p.template["trust_subtype"].to_numpy(), "overall_adjusted_segment": int_column(segment),
        "league_segment": int_column(segment), "league_rank": int_column(rank), "league_avg_score": score,
        "overall_avg_metric_score": score, "lt_in_deficit": int_column(deficit),
    }
    for domain in _DOMAINS:
        columns[f"domain_segment_{domain}"] = int_column(floats(d[f"domain_segment_{domain}"]))
    noise = rng.normal(0, 0.05, (len(_DOMAINS), n))
    for i, domain in enumerate(_DOMAINS):
        columns[f"domain_score_{domain}"] = np.round(np.clip(floats(d[f"domain_score_{domain}"]) + noise[i], 1, 4), 2)
    columns["quarter"] = d["quarter"].to_numpy()
    frame = pd.DataFrame(columns)[list(COLUMNS["oversight"])]
    return frame[mask].reset_index(drop=True), deficit


def _donor_key(pools: Mapping[tuple, np.ndarray], trust_type: str, segment: float) -> tuple | None:
    """The donor pool of a provider: same type and segment, else same segment; ``None`` without a segment."""
    if np.isnan(segment):
        return None
    own = (trust_type, int(segment))
    return own if own in pools else ("any", int(segment))


def _deficits(rng: np.random.Generator, ref: Reference, trust_type: np.ndarray, segment: np.ndarray) -> np.ndarray:
    """Deficit flag: blank as often as for the trust type in the real file, else as likely as in the segment."""
    real = ref.oversight
    flag = floats(real["lt_in_deficit"])
    missing = pd.Series(np.isnan(flag)).groupby(real["Trust_type"].to_numpy())
    missing_share = {t: g.mean() for t, g in missing if len(g) >= MIN_POOL}
    pooled_missing = float(np.isnan(flag).mean())
    known = ~np.isnan(flag)
    p_deficit = pd.Series(flag[known]).groupby(real["segment"].to_numpy()[known]).mean().to_dict()
    pooled_deficit = float(np.nanmean(flag))
    u_missing, u_flag = rng.random(len(segment)), rng.random(len(segment))
    share = np.array([missing_share.get(t, pooled_missing) for t in trust_type])
    chance = np.array([p_deficit.get(int(s), pooled_deficit) if not np.isnan(s) else np.nan for s in segment])
    out = (u_flag < chance).astype(float)
    out[np.isnan(segment) | (u_missing < share)] = np.nan
    return out
