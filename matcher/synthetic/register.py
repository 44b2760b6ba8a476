"""The trust register file: one open English row per provider, GOR borrowed from a real trust of the region."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .columns import COLUMNS
from .geography import REGION_CODES
from .providers import Providers
from .reference import Reference
from .sampling import pick

_GEO_SOURCE = "synthetic: random point in the NHS England region (england_regions.geojson)"


def register_table(rng: np.random.Generator, ref: Reference, p: Providers) -> pd.DataFrame:
    """The trust register, shipped layout."""
    n = len(p.code)
    real = ref.register
    open_dates = real["Open Date"].to_numpy()[rng.integers(0, len(real), n)]
    same_region = {name: np.flatnonzero(real["nhse_region_name"].eq(name).to_numpy()) for name in REGION_CODES}
    rows = pick(rng.random(n), p.region, same_region)  # a real trust of the region lends its GOR
    gor, gor_name = real["GOR Code"].to_numpy()[rows], real["gor_name"].to_numpy()[rows]
    blank = np.full(n, "", dtype=object)
    t = p.template
    columns = {
        "Organisation Code": p.code, "Name": p.name, "status_in_file": np.full(n, "open", dtype=object),
        "Open Date": open_dates, "Close Date": blank,
        "National Grouping": np.array([REGION_CODES[r] for r in p.region]),
        "nhse_region_name": p.region, "High Level Health Geography": p.icb, "GOR Code": gor, "gor_name": gor_name,
        "country": np.full(n, "England", dtype=object),
        **{f"Address Line {i}": blank for i in range(1, 6)}, "Postcode": blank, "Contact Telephone Number": blank,
        "Amended Record Indicator": np.ones(n, dtype=int), "latitude": p.lat, "longitude": p.lon,
        "geo_source": np.full(n, _GEO_SOURCE, dtype=object), "trust_type": p.trust_type,
        "trust_subtype": t["trust_subtype"].to_numpy(), "trust_type_source": t["trust_type_source"].to_numpy(),
    }
    return pd.DataFrame(columns)[list(COLUMNS["register"])]
