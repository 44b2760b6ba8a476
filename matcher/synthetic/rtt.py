"""The RTT incomplete-pathways extract: providers' rows plus made-up independent-sector rows."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .columns import COLUMNS
from .providers import MAX_PROVIDERS, Providers
from .reference import Reference
from .sampling import floats, ranked_draw, value_pools

_RTT_NOISE = 0.15       # how far the RTT extract's order departs from the snapshot's


def rtt_table(rng: np.random.Generator, ref: Reference, p: Providers) -> pd.DataFrame:
    """RTT incomplete pathways: the providers' rows plus independent-sector rows in the real proportion."""
    n = len(p.code)
    real = ref.rtt
    mask = p.template["in_rtt"].to_numpy()
    codes = p.template["Organisation Code"].where(mask, real.index[0]).to_numpy()
    t = real.loc[codes].reset_index(drop=True)
    real_types = real.index.map(ref.register.set_index("Organisation Code")["trust_type"]).to_numpy()
    pathways = np.maximum(1, np.round(floats(t["total_incomplete_pathways_all"]) * p.size))
    w = p.rtt_quality + _RTT_NOISE * rng.standard_normal(n)
    pct = ranked_draw(w, p.trust_type, mask, value_pools(floats(real["pct_within_18_weeks"]), real_types))
    trusts = _rtt_rows(p.code, p.name, p.icb, p.icb_name, t, pathways, pct, p.size)[mask]

    extra = min(round(n * len(ref.rtt_independent) / len(ref.templates)), MAX_PROVIDERS)
    indep = ref.rtt_independent.iloc[rng.integers(0, len(ref.rtt_independent), extra)].reset_index(drop=True)
    scale = np.exp(0.3 * rng.standard_normal(extra))
    where = rng.integers(0, n, extra)
    pathways = np.maximum(1, np.round(floats(indep["total_incomplete_pathways_all"]) * scale))
    pct = np.clip(floats(indep["pct_within_18_weeks"]) + rng.normal(0, 0.03, extra), 0, 1)
    numbers = np.arange(1, extra + 1)
    rows = _rtt_rows(np.array([f"X{i:05d}" for i in numbers]),
                     np.array([f"SYNTHETIC INDEPENDENT PROVIDER {i:05d}" for i in numbers]),
                     p.icb[where], p.icb_name[where], indep, pathways, pct, scale)
    return pd.concat([rows, trusts]).reset_index(drop=True)


def _rtt_rows(code: np.ndarray, name: np.ndarray, parent: np.ndarray, parent_name: np.ndarray, template: pd.DataFrame,
              pathways: np.ndarray, pct: np.ndarray, scale: np.ndarray) -> pd.DataFrame:
    """RTT extract rows: counts consistent with the pathways and the 18-week share."""
    pct = np.round(pct, 4)
    within = np.round(pathways * np.nan_to_num(pct))
    over_52 = np.minimum(np.round(floats(template["over_52_weeks"]) * scale), pathways - within)
    over_65 = np.minimum(np.round(floats(template["over_65_weeks"]) * scale), over_52)
    over_78 = np.minimum(np.round(floats(template["over_78_weeks"]) * scale), over_65)
    columns = {
        "provider_org_code": code, "provider_org_name": name, "provider_parent_org_code": parent,
        "provider_parent_name": parent_name, "period": template["period"].to_numpy(),
        "total_incomplete_pathways_all": pathways.astype(int), "total_known_clock_start": pathways.astype(int),
        "within_18_weeks": within.astype(int), "pct_within_18_weeks": pct,
        "over_52_weeks": over_52.astype(int), "over_65_weeks": over_65.astype(int),
        "over_78_weeks": over_78.astype(int), "unknown_clock_start": np.zeros(len(code), dtype=int),
    }
    return pd.DataFrame(columns)[list(COLUMNS["rtt"])]
