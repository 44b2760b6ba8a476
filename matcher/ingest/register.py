"""The trust register: our shipped layout (``nhs_trusts.csv``) and NHS Digital's ODS ``etr`` layout.

Both load into one register frame: code, name, open flag, region, ICB, country, postcode,
location and trust type. The ODS layout has no location or trust type; those columns are
then empty and the coverage report says so.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .columns import Column, TableSpec
from .readers import read_table

#: NHS England region codes (ODS "National Grouping") and names, as in the ONS region map.
REGION_NAMES = {
    "Y56": "London",
    "Y58": "South West",
    "Y59": "South East",
    "Y60": "Midlands",
    "Y61": "East of England",
    "Y62": "North West",
    "Y63": "North East and Yorkshire",
}

SHIPPED = TableSpec(
    title="trust register",
    key="code",
    key_label="trust code",
    columns=(
        Column("code", "code", header="Organisation Code", nullable=False),
        Column("name", header="Name", nullable=False),
        Column("status", "choice", header="status_in_file", nullable=False, choices=("open", "closed_or_closing")),
        Column("open_date", "date", header="Open Date"),
        Column("close_date", "date", header="Close Date"),
        Column("region_code", header="National Grouping"),
        Column("region", header="nhse_region_name"),
        Column("icb", header="High Level Health Geography"),
        Column("country", "choice", header="country", nullable=False,
               choices=("England", "Wales", "Scotland", "Northern Ireland")),
        Column("postcode", header="Postcode"),
        Column("latitude", "float", header="latitude", low=-90, high=90),
        Column("longitude", "float", header="longitude", low=-180, high=180),
        Column("geo_source", header="geo_source"),
        Column("trust_type", header="trust_type"),
        Column("trust_subtype", header="trust_subtype"),
        Column("trust_type_source", header="trust_type_source"),
    ),
)

#: NHS Digital ODS "etr" extract: 27 fields, no heading row (see the ODS data downloads guide).
ODS_ETR = TableSpec(
    title="ODS trust register (etr)",
    key="code",
    key_label="trust code",
    headerless=True,
    positions={"code": 0, "name": 1, "region_code": 2, "icb": 3, "postcode": 9,
               "open_date": 10, "close_date": 11, "gor_code": 23},
    columns=(
        Column("code", "code", nullable=False),
        Column("name", nullable=False),
        Column("region_code"),
        Column("icb"),
        Column("postcode"),
        Column("open_date", "date"),
        Column("close_date", "date"),
        Column("gor_code"),
    ),
)

LAYOUTS = {"shipped": SHIPPED, "ods_etr": ODS_ETR}


def load_register(path: str | Path, layout: str = "shipped") -> pd.DataFrame:
    """Load a trust register in either layout into the register frame.

    Raises:
        InputError: every problem in the file, located.
    """
    frame = read_table(path, LAYOUTS[layout])
    if layout == "ods_etr":
        frame = _from_ods(frame)
    frame["is_open"] = frame["status"].eq("open")
    return frame


def _from_ods(frame: pd.DataFrame) -> pd.DataFrame:
    """Map the ODS etr fields onto the shipped register's columns."""
    out = frame.copy()
    out["status"] = out["close_date"].map(lambda d: "open" if d is None else "closed_or_closing")
    out["region"] = out["region_code"].map(REGION_NAMES)
    out["country"] = out["gor_code"].map(lambda g: "Wales" if g == "W" else "England")
    for missing in ("latitude", "longitude"):
        out[missing] = pd.Series(pd.NA, index=out.index, dtype="Float64")
    for missing in ("geo_source", "trust_type", "trust_subtype", "trust_type_source"):
        out[missing] = None
    return out.drop(columns=["gor_code"])
