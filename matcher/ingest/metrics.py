"""Performance metrics: the trust performance snapshot and the RTT waiting-list extract."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .columns import Column, TableSpec
from .readers import read_table

SNAPSHOT = TableSpec(
    title="performance snapshot",
    key="code",
    key_label="trust code",
    columns=(
        Column("code", "code", header="org_code", nullable=False),
        Column("month", header="data_month", nullable=False),
        Column("ae_4hr_pct", "float", header="ae_type1_pct_within_4hrs", low=0, high=1),
        Column("rtt_18wk_pct_snapshot", "float", header="rtt_pct_within_18_weeks", low=0, high=1),
        Column("staff_engagement", "float", header="staff_survey_2025_theme_engagement", low=0, high=10),
        Column("shmi", "float", header="shmi_value", low=0),
        Column("fin_in_deficit", "flag", header="fin_in_deficit"),
        Column("workforce_fte_reported", "float", header="workforce_total_fte", low=0),
    ),
)

RTT = TableSpec(
    title="RTT waiting times",
    key="code",
    key_label="provider code",
    columns=(
        Column("code", "code", header="provider_org_code", nullable=False),
        Column("period", header="period", nullable=False),
        Column("rtt_pathways", "int", header="total_incomplete_pathways_all", low=0),
        Column("rtt_18wk_pct", "float", header="pct_within_18_weeks", low=0, high=1),
    ),
)


def load_snapshot(path: str | Path) -> pd.DataFrame:
    """Load the performance snapshot (A&E, RTT, staff survey, SHMI, finance, workforce)."""
    return read_table(path, SNAPSHOT)


def load_rtt(path: str | Path) -> pd.DataFrame:
    """Load the RTT incomplete-pathways extract (one row per provider)."""
    return read_table(path, RTT)
