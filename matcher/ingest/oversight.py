"""NHS Oversight Framework segmentation: segment, league table and domain segments per trust."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..domain import OversightDomain
from .columns import Column, TableSpec
from .readers import read_table

SHIPPED = TableSpec(
    title="oversight segmentation",
    key="code",
    key_label="trust code",
    columns=(
        Column("code", "code", header="org_code", nullable=False),
        Column("league_type", header="Trust_type", nullable=False),
        Column("league_subtype", header="Trust_subtype"),
        Column("segment", "int", header="overall_adjusted_segment", low=1, high=5),
        Column("league_rank", "int", header="league_rank", low=1),
        Column("league_score", "float", header="league_avg_score"),
        Column("deficit", "flag", header="lt_in_deficit"),
        *(Column(f"seg_{d.value}", "int", header=f"domain_segment_{d.value}", low=1, high=5) for d in OversightDomain),
        Column("quarter", header="quarter", nullable=False),
    ),
)


def load_oversight(path: str | Path) -> pd.DataFrame:
    """Load the segmentation file; segments 1 to 5 are accepted (5 = Recovery Support Programme).

    Raises:
        InputError: every problem in the file, located.
    """
    return read_table(path, SHIPPED)
