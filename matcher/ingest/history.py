"""Special-measures history: when trusts entered or left special measures or the RSP."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .columns import Column, TableSpec
from .readers import read_table

EVENTS = ("entered", "exited", "exit_recommended", "entry_recommended")

SHIPPED = TableSpec(
    title="special-measures history",
    columns=(
        Column("code", "code", header="org_code", nullable=False),
        Column("name_at_time", header="org_name_at_time"),
        Column("event", "choice", header="event", nullable=False, choices=EVENTS),
        Column("regime", header="regime", nullable=False),
        Column("date", "partial_date", header="event_date"),
        Column("date_precision", header="date_precision"),
        Column("source", header="source"),
    ),
)


def load_history(path: str | Path) -> pd.DataFrame:
    """Load the special-measures events (many rows per trust are expected)."""
    return read_table(path, SHIPPED)
