"""How complete the data is: how many trusts have each field, and the caveats to show users.

The shipped data has real gaps (stale ratings, one quarter of segments, no income file,
a doubled FTE column); this module makes them visible rather than hiding them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from .classify import years_before
from .dataset import Dataset
from .income import NCC_COST, NONE, WORKFORCE
from .trusts import COLUMNS

#: Which dataset each canonical field comes from (for the coverage report).
FIELD_SOURCE = {
    **dict.fromkeys(("code", "name", "sector", "sector_basis", "region", "region_code", "icb", "latitude", "longitude",
                     "geo_source", "trust_type_source"), "register"),
    **dict.fromkeys(("income_gbp", "income_method", "income_basis", "ncc_cost_gbp_m", "cost_year"), "costs"),
    **{c: "ratings" for c in COLUMNS if c.startswith("cqc_")},
    **{c: "oversight" for c in COLUMNS if c.startswith(("seg", "league")) or c == "segment_quarter"},
    **dict.fromkeys(("ae_4hr_pct", "staff_engagement", "shmi", "workforce_fte_reported"), "performance"),
    "rtt_18wk_pct": "rtt", "rtt_source": "rtt", "deficit": "oversight", "deficit_source": "oversight",
}


@dataclass(frozen=True)
class FieldCoverage:
    """How many trusts have a value in one field."""

    field: str
    present: int
    total: int
    source: str

    @property
    def share(self) -> float:
        """The share of trusts with a value (0 when there are no trusts, rather than a division by zero)."""
        return self.present / self.total if self.total else 0.0


def field_coverage(trusts: pd.DataFrame) -> list[FieldCoverage]:
    """One entry per canonical field, in table order."""
    total = len(trusts)
    return [FieldCoverage(c, int(trusts[c].notna().sum()), total, FIELD_SOURCE.get(c, "")) for c in COLUMNS]


def data_notes(dataset: Dataset, trusts: pd.DataFrame, as_of: date, max_age_years: float) -> list[str]:
    """Caveats about the data that every report and screen should carry."""
    notes: list[str] = []
    n = len(trusts)
    scope = dataset["ratings"]["scope"].iloc[0] if len(dataset["ratings"]) else None
    if scope == "main location":
        notes.append("CQC ratings are those of one main location per trust, not provider-level ratings "
                     f"({dataset.source('ratings').as_of}).")
    published = pd.to_datetime(trusts["cqc_published"], errors="coerce")
    stale = int((published <= pd.Timestamp(years_before(as_of, max_age_years))).sum())
    notes.append(f"{stale} of {int(published.notna().sum())} CQC ratings are older than {max_age_years:g} years "
                 f"(oldest {published.min():%Y-%m-%d}); {n - int(published.notna().sum())} trusts are not rated.")
    quarters = sorted(trusts["segment_quarter"].dropna().unique())
    notes.append(f"Oversight segments cover {int(trusts['segment'].notna().sum())} of {n} trusts, for "
                 f"{', '.join(quarters) or 'no quarter'} only; segment history is not known.")
    methods = trusts["income_method"].value_counts()
    notes.append(f"Income is estimated, never reported: {methods.get(NCC_COST, 0)} trusts from National Cost "
                 f"Collection cost, {methods.get(WORKFORCE, 0)} from workforce FTE (halved: the shipped column "
                 f"is doubled), {methods.get(NONE, 0)} cannot be priced.")
    inferred = int(trusts["sector_basis"].str.startswith("inferred").sum())
    notes.append(f"Sector is inferred from the trust's name for {inferred} trusts (low confidence).")
    open_codes = set(trusts["code"])
    for key in ("ratings", "oversight", "performance", "costs"):
        extra = sorted(set(dataset[key]["code"]) - open_codes)
        if extra:
            notes.append(f"{dataset.source(key).file} has {len(extra)} code(s) that are not open English trusts "
                         f"and were ignored: {', '.join(extra[:10])}{'…' if len(extra) > 10 else ''}.")
    notes.append("The special-measures history is partial (a hand-compiled list, not a complete register).")
    return notes
