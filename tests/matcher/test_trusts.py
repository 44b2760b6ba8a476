"""The canonical trust table and the estimated income (DOMAIN §5)."""
from __future__ import annotations

import pandas as pd
import pytest

from matcher.dataset import load_dataset
from matcher.income import estimate_income
from matcher.settings import Incentives, Settings
from matcher.trusts import COLUMNS, build_trust_table, derive_sector


@pytest.fixture(scope="module")
def trusts():
    return build_trust_table(load_dataset(), Settings()).set_index("code")


def test_one_row_per_open_english_trust(trusts):
    assert len(trusts) == 199
    assert trusts.index.is_unique
    assert "RVJ" not in trusts.index  # merged into RA7; still present in older source files
    assert list(trusts.reset_index().columns) == list(COLUMNS)


def test_a_trust_carries_every_source(trusts):
    blackpool = trusts.loc["RXL"]
    assert blackpool["sector"] == "acute" and blackpool["region"] == "North West"
    assert blackpool["segment"] == 4 and blackpool["segment_quarter"] == "Q3 2025/26"
    assert blackpool["cqc_overall"] == 1 and blackpool["cqc_location"] == "RXL01"
    assert blackpool["league_size"] == 134
    assert blackpool["rtt_source"] == "RTT extract 2026-04"
    assert blackpool["income_method"] == "ncc_cost"


def test_deficit_falls_back_to_the_finance_snapshot_and_says_so(trusts):
    sources = trusts["deficit_source"].dropna()
    assert sources.str.startswith("oversight segmentation").any()
    assert sources.str.startswith("performance snapshot").any()


@pytest.mark.parametrize("trust_type, subtype, name, expected", [
    ("Acute trust", "Acute - Teaching", "X", "acute"),
    ("Acute trust", "Acute - Specialist", "X", "specialist"),
    ("Ambulance trust", None, "X", "ambulance"),
    ("Mental health and community trust", "Community", "X", "community"),
    ("Mental health and community trust", "Mental Health and Learning Disability", "X", "mental_health"),
    ("Mental health and community trust", None, "LEEDS COMMUNITY HEALTHCARE NHS TRUST", "community"),
    ("Mental health and community trust", None, "KENT AND MEDWAY MENTAL HEALTH NHS TRUST", "mental_health"),
    ("Mental health and community trust", None, "OXLEAS NHS FOUNDATION TRUST", "mental_health_and_community"),
    ("Other (virtual/online trust)", None, "THE ONLINE NHS TRUST", "other"),
])
def test_sector_derivation(trust_type, subtype, name, expected):
    source = "NHS Oversight Framework Q3 2025/26" if subtype else "inferred_from_name (low confidence)"
    assert derive_sector(trust_type, subtype, name, source)[0] == expected


def test_income_from_cost_then_workforce_then_none():
    frame = pd.DataFrame({
        "ncc_cost_gbp_m": pd.array([875.0, None, None], dtype="Float64"),
        "cost_year": ["2024/25", None, None],
        "workforce_fte_reported": pd.array([99999.0, 20000.0, None], dtype="Float64"),
    })
    out = estimate_income(frame, Incentives())
    assert list(out["income_method"]) == ["ncc_cost", "workforce_fte", "none"]
    assert out["income_gbp"].iloc[0] == pytest.approx(1_000_000_000)
    assert out["income_gbp"].iloc[1] == pytest.approx(10_000 * 100_000)  # halved FTE times £100k
    assert pd.isna(out["income_gbp"].iloc[2])
    assert list(out["income_basis"]) == [
        "estimated income: National Cost Collection 2024/25 total cost £875.0m divided by 0.875 (cost is not income)",
        "estimated income: 10,000 FTE (reported 20,000, times 0.5 because the column is doubled) "
        "times £100,000 per FTE",
        "cannot be priced: no cost figure and no workforce figure",
    ]


def test_income_follows_the_configured_ratio():
    frame = pd.DataFrame({"ncc_cost_gbp_m": pd.array([500.0], dtype="Float64"), "cost_year": ["2024/25"],
                          "workforce_fte_reported": pd.array([None], dtype="Float64")})
    out = estimate_income(frame, Incentives(cost_to_income_ratio=0.5))
    assert out["income_gbp"].iloc[0] == pytest.approx(1_000_000_000)
