"""NHS Oversight Framework segmentation: segment, league table and domain segments per trust and quarter.

Several quarters may be loaded; each file belongs to a framework. Under the 2025/26 framework
segments 1-4 are quartiles and segment 5 is intensive support; under the 2021-25 framework
segment 4 was the Recovery Support Programme (DOMAIN §1).
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..domain import OversightDomain
from ..errors import Problem
from .columns import Column, TableSpec
from .readers import read_table

#: The oversight frameworks a segmentation file may belong to, and the one the shipped data uses.
FRAMEWORKS = ("2025/26", "2021-25")
CURRENT_FRAMEWORK = "2025/26"

_QUARTER = re.compile(r"^Q([1-4]) (\d{4})/(\d{2})$")

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


def quarter_order(quarter: str) -> tuple[int, int]:
    """``"Q3 2025/26"`` -> ``(2025, 3)``, so quarters sort in time order (an unreadable one sorts first)."""
    match = _QUARTER.match(str(quarter).strip())
    return (int(match.group(2)), int(match.group(1))) if match else (0, 0)


def check_quarters(frame: pd.DataFrame, files: list[str]) -> list[Problem]:
    """Problems across segmentation files: an unreadable quarter, or a trust twice in one quarter."""
    problems = []
    label = ", ".join(files)
    bad = sorted({q for q in frame["quarter"] if quarter_order(q) == (0, 0)})
    if bad:
        problems.append(Problem(label, f"quarter '{bad[0]}' is not written like 'Q3 2025/26'", column="quarter"))
    twice = frame[frame.duplicated(["code", "quarter"], keep=False)]
    if len(twice):
        first = twice.iloc[0]
        problems.append(Problem(label, f"{first['code']} has two segments for {first['quarter']} "
                                       f"(a quarter's file is listed twice?)", column="org_code"))
    return problems
