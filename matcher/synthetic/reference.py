"""The shipped data the synthetic distributions are drawn from, read once."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from ..dataset import DEFAULT_DATA_DIR, read_manifest
from .columns import COLUMNS
from .sampling import numeric_columns, periods


@dataclass(frozen=True)
class Reference:
    """The shipped data (numbers as floats, the rest as text) and what the generator samples from."""

    files: dict[str, str]
    as_of: dict[str, str]
    templates: pd.DataFrame      # open English trusts (no "Other" type) with presence flags
    register: pd.DataFrame       # open English register rows (region, GOR, open date)
    icbs_per_region: dict[str, int]
    ratings: pd.DataFrame        # rated trusts with their segment and trust type
    oversight: pd.DataFrame
    performance: pd.DataFrame    # indexed by code
    rtt: pd.DataFrame            # indexed by code, trusts only
    rtt_independent: pd.DataFrame
    costs: pd.DataFrame          # indexed by code
    events: pd.DataFrame         # special-measures events of the shipped file


@lru_cache(maxsize=1)
def shipped_reference() -> Reference:
    """Read the shipped data once (the tables are shared: never modify them)."""
    sources = {s.key: s for s in read_manifest(DEFAULT_DATA_DIR)}

    def read(key: str) -> pd.DataFrame:
        return pd.read_csv(DEFAULT_DATA_DIR / sources[key].file, dtype=str, keep_default_na=False)

    register = read("register")
    register = register[register["status_in_file"].eq("open") & register["country"].eq("England")]
    tables = ("ratings", "oversight", "performance", "rtt", "costs")
    ratings, oversight, performance, rtt, costs = (read(k) for k in tables)
    templates = register[~register["trust_type"].str.startswith("Other")].copy()
    code = templates["Organisation Code"]
    for key, frame, column in (("ratings", ratings, "org_code"), ("oversight", oversight, "org_code"),
                               ("performance", performance, "org_code"), ("rtt", rtt, "provider_org_code"),
                               ("costs", costs, "org_code")):
        templates[f"in_{key}"] = code.isin(frame[column]).to_numpy()
    templates["location_category"] = code.map(ratings.set_index("org_code")["location_primary_inspection_category"])
    templates["location_suffix"] = code.map(_location_suffixes(ratings))

    segments = oversight.set_index("org_code")["overall_adjusted_segment"].astype(int)
    types = register.set_index("Organisation Code")["trust_type"]
    rated = ratings[ratings["org_code"].isin(register["Organisation Code"])].copy()
    rated["segment"] = rated["org_code"].map(segments).astype("Int64")
    rated["trust_type"] = rated["org_code"].map(types)
    rated["published_days"] = periods(rated["publication_date"])[0]
    oversight = numeric_columns(oversight, COLUMNS["oversight"][5:-1])
    oversight["segment"] = oversight["overall_adjusted_segment"].astype(int)
    performance = numeric_columns(performance, [c for c in COLUMNS["performance"][3:] if c != "shmi_banding"])
    rtt = numeric_columns(rtt, COLUMNS["rtt"][5:])
    costs = numeric_columns(costs, ["ncc_mffd_total_cost_gbp_m"])
    events = read("special_measures")
    events["days"], events["days_long"] = periods(events["event_date"])
    every_trust = read("register")["Organisation Code"]  # closed and non-English ones too
    return Reference(
        files={k: s.file for k, s in sources.items()},
        as_of={k: s.as_of for k, s in sources.items()},
        templates=templates.reset_index(drop=True),
        register=register.reset_index(drop=True),
        icbs_per_region=register.groupby("nhse_region_name")["High Level Health Geography"].nunique().to_dict(),
        ratings=rated.reset_index(drop=True),
        oversight=oversight.reset_index(drop=True),
        performance=performance.drop_duplicates("org_code").set_index("org_code"),
        rtt=rtt[rtt["provider_org_code"].isin(register["Organisation Code"])].set_index("provider_org_code"),
        rtt_independent=rtt[~rtt["provider_org_code"].isin(every_trust)].reset_index(drop=True),
        costs=costs.set_index("org_code"),
        events=events,
    )


def _location_suffixes(ratings: pd.DataFrame) -> pd.Series:
    """The part of each main location ID after the trust code ("02" for R0A02), else "01"."""
    ids, codes = ratings["location_id"], ratings["org_code"]
    suffix = [i[len(c):] if i.startswith(c) and len(i) > len(c) else "01" for i, c in zip(ids, codes, strict=True)]
    return pd.Series(suffix, index=codes.to_numpy())
