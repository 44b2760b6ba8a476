"""National Cost Collection totals: the cost figure income is estimated from (not income itself)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .columns import Column, TableSpec
from .readers import read_table

SHIPPED = TableSpec(
    title="trust costs",
    key="code",
    key_label="trust code",
    columns=(
        Column("code", "code", header="org_code", nullable=False),
        Column("financial_year", header="financial_year", nullable=False),
        Column("ncc_cost_gbp_m", "float", header="ncc_mffd_total_cost_gbp_m", nullable=False, low=0),
    ),
)


def load_costs(path: str | Path) -> pd.DataFrame:
    """Load the cost file; a blank, negative or non-numeric cost is reported with its row."""
    return read_table(path, SHIPPED)
