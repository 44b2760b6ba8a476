"""The canonical trust table: one row per open English NHS trust with every field the rules use.

Built by joining the register with ratings, oversight segments, metrics, costs and the
estimated income. Pure: a ``Dataset`` and ``Settings`` in, a DataFrame out.
"""
from __future__ import annotations

import pandas as pd

from .dataset import Dataset
from .domain import OversightDomain
from .income import estimate_income
from .settings import Settings

RATING_FIELDS = ("overall", "safe", "effective", "caring", "responsive", "well_led")
SEGMENT_DOMAINS = tuple(f"seg_{d.value}" for d in OversightDomain)

#: Columns of the canonical table, in order (also the coverage report's rows).
COLUMNS = (
    "code", "name", "sector", "sector_basis", "region", "region_code", "icb", "latitude", "longitude",
    "income_gbp", "income_method", "income_basis",
    *(f"cqc_{f}" for f in RATING_FIELDS), "cqc_published", "cqc_location", "cqc_scope",
    "segment", "segment_quarter", *SEGMENT_DOMAINS, "league_type", "league_rank", "league_size",
    "deficit", "deficit_source",
    "ae_4hr_pct", "rtt_18wk_pct", "rtt_source", "staff_engagement", "shmi",
    "ncc_cost_gbp_m", "cost_year", "workforce_fte_reported", "geo_source", "trust_type_source",
)


def build_trust_table(dataset: Dataset, settings: Settings) -> pd.DataFrame:
    """Join every source onto the open English trusts of the register.

    Returns:
        One row per open English trust, columns as in ``COLUMNS``, sorted by code.
    """
    reg = dataset["register"]
    trusts = reg[reg["is_open"] & reg["country"].eq("England")].copy()
    trusts["sector"], trusts["sector_basis"] = zip(*(
        derive_sector(t, s, n, src) for t, s, n, src in
        zip(trusts["trust_type"], trusts["trust_subtype"], trusts["name"], trusts["trust_type_source"], strict=True)
    ), strict=True) if len(trusts) else ((), ())

    cqc = dataset["ratings"].rename(columns={f: f"cqc_{f}" for f in RATING_FIELDS})
    cqc = cqc.rename(columns={"published": "cqc_published", "location_id": "cqc_location", "scope": "cqc_scope"})
    trusts = _join(trusts, cqc, [*(f"cqc_{f}" for f in RATING_FIELDS), "cqc_published", "cqc_location", "cqc_scope"])

    nof = dataset["oversight"].rename(columns={"quarter": "segment_quarter"})
    sizes = nof.groupby("league_type")["league_rank"].agg(lambda r: max(int(r.max()), int(r.count())))
    nof = nof.assign(league_size=nof["league_type"].map(sizes).astype("Int64"))
    trusts = _join(trusts, nof, ["segment", "segment_quarter", *SEGMENT_DOMAINS, "league_type", "league_rank",
                                 "league_size", "deficit"])

    perf = dataset["performance"]
    trusts = _join(trusts, perf, ["ae_4hr_pct", "rtt_18wk_pct_snapshot", "staff_engagement", "shmi",
                                  "fin_in_deficit", "workforce_fte_reported", "month"])
    trusts = _join(trusts, dataset["rtt"], ["rtt_18wk_pct", "period"])
    trusts = _join(trusts, dataset["costs"].rename(columns={"financial_year": "cost_year"}),
                   ["ncc_cost_gbp_m", "cost_year"])

    trusts["deficit_source"] = _deficit_source(trusts)
    trusts["deficit"] = trusts["deficit"].fillna(trusts["fin_in_deficit"])
    trusts["rtt_source"] = [
        f"RTT extract {p}" if pd.notna(v) else (f"performance snapshot {m}" if pd.notna(s) else None)
        for v, p, s, m in zip(trusts["rtt_18wk_pct"], trusts["period"], trusts["rtt_18wk_pct_snapshot"],
                              trusts["month"], strict=True)
    ]
    trusts["rtt_18wk_pct"] = trusts["rtt_18wk_pct"].fillna(trusts["rtt_18wk_pct_snapshot"])
    trusts = trusts.join(estimate_income(trusts, settings.incentives))
    return trusts[list(COLUMNS)].sort_values("code").reset_index(drop=True)


def derive_sector(trust_type: str | None, subtype: str | None, name: str, type_source: str | None) -> tuple[str, str]:
    """A trust's sector label (see ``domain.SECTOR_GROUPS``) and how it was decided."""
    basis = "oversight framework trust type" if type_source and type_source.startswith("NHS Oversight") else \
        "inferred from the trust's name (low confidence)"
    trust_type, subtype, upper = trust_type or "", subtype or "", name.upper()
    if trust_type.startswith("Acute"):
        return ("specialist" if "Specialist" in subtype else "acute"), basis
    if trust_type.startswith("Ambulance"):
        return "ambulance", basis
    if trust_type.startswith("Mental health"):
        if subtype == "Community":
            return "community", basis
        if subtype.startswith("Mental Health"):
            return "mental_health", basis
        basis = "inferred from the trust's name (low confidence)"
        if "COMMUNITY" in upper and "MENTAL" not in upper:
            return "community", basis
        if "MENTAL HEALTH" in upper:
            return "mental_health", basis
        return "mental_health_and_community", basis
    return "other", "no trust type in the register"


def _join(trusts: pd.DataFrame, table: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Left-join the named columns of a per-trust table on ``code``."""
    return trusts.merge(table[["code", *columns]], on="code", how="left")


def _deficit_source(trusts: pd.DataFrame) -> list[str | None]:
    """Which file each trust's deficit flag comes from (oversight first, then finance returns)."""
    return [
        f"oversight segmentation {q}" if pd.notna(d) else (f"performance snapshot {m}" if pd.notna(f) else None)
        for d, q, f, m in zip(trusts["deficit"], trusts["segment_quarter"], trusts["fin_in_deficit"], trusts["month"],
                              strict=True)
    ]
