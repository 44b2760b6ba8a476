"""CQC main-location ratings, copied from real trusts in the same oversight segment."""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .columns import COLUMNS
from .providers import Providers
from .reference import Reference
from .sampling import dates_text, donor_pools, pick

_RATING_HEADINGS = ("rating_overall", "rating_safe", "rating_effective", "rating_caring", "rating_responsive",
                    "rating_well-led")
_DATE_JITTER_DAYS = 90  # CQC publication dates move this far from the donor's at most


def ratings_table(rng: np.random.Generator, ref: Reference, p: Providers, segment: np.ndarray) -> pd.DataFrame:
    """CQC main-location ratings, copied from real trusts in the same segment (or of the same type)."""
    real = ref.ratings
    n = len(p.code)
    mask = p.template["in_ratings"].to_numpy()
    real_segment = real["segment"].astype("Float64").fillna(0).astype(int).to_numpy()
    by_segment = donor_pools([("segment", s) for s in real_segment], list(real["trust_type"]))
    by_segment[("everyone",)] = np.arange(len(real))
    keys = [_rating_donor_key(by_segment, s, t) if m else None
            for m, s, t in zip(mask, segment, p.trust_type, strict=True)]
    donor = pick(rng.random(n), keys, by_segment)
    d = real.iloc[np.maximum(donor, 0)].reset_index(drop=True)

    published = d["published_days"].to_numpy()
    real_days = real["published_days"].to_numpy()
    jitter = rng.integers(-_DATE_JITTER_DAYS, _DATE_JITTER_DAYS + 1, n)
    days = np.clip(published + jitter, np.nanmin(real_days), np.nanmax(real_days))
    location = [f"{c}{s}" for c, s in zip(p.code, p.template["location_suffix"].fillna("01"), strict=True)]
    columns = {
        "org_code": p.code, "org_name": p.name, "provider_name": p.display_name,
        "location_id": location, "location_primary_inspection_category": p.template["location_category"].to_numpy(),
        "location_nhs_region": p.region,
        **{h: d[h].to_numpy() for h in _RATING_HEADINGS},
        "inherited_rating": d["inherited_rating"].to_numpy(), "publication_date": dates_text(days),
        "url": np.full(n, ""),
    }
    return pd.DataFrame(columns)[list(COLUMNS["ratings"])][mask].reset_index(drop=True)


def _rating_donor_key(pools: Mapping[tuple, np.ndarray], segment: float, trust_type: str) -> tuple:
    """Rated real trusts in the same segment; without a segment, those of the same trust type."""
    if not np.isnan(segment) and ("segment", int(segment)) in pools:
        return ("segment", int(segment))
    return ("any", trust_type) if ("any", trust_type) in pools else ("everyone",)
