"""Provider groups: trusts that already share a chief executive, a chair or a board, or are merging.

One row per (group, member). A trust may be in two groups. Codes are checked as ODS codes here;
which of them are open English trusts, and what a closed member became, is decided against the
register (``matcher.groups``), so a code the register does not know is reported, not fatal.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import InputError, Problem
from .columns import Column, TableSpec
from .readers import read_table

#: How the members of a group are led together (see SOURCES.md).
ARRANGEMENTS = ("group_joint_ceo", "group_model_shared_chair", "joint_ceo_only", "merger_planned", "other")
CONFIDENCE = ("sourced", "uncertain")

SHIPPED = TableSpec(
    title="provider groups",
    columns=(
        Column("group_name", nullable=False),
        Column("code", "code", header="member_code", nullable=False),
        Column("member_name"),
        Column("arrangement", "choice", nullable=False, choices=ARRANGEMENTS),
        Column("since", "partial_date"),
        Column("source_url"),
        Column("note", required=False),
        Column("confidence", "choice", nullable=False, choices=CONFIDENCE),
    ),
)


def load_groups(path: str | Path) -> pd.DataFrame:
    """Load the groups file; a member listed twice in the same group is an error, located.

    Raises:
        InputError: every problem in the file, located.
    """
    frame = read_table(path, SHIPPED)
    name = Path(path).name
    seen: dict[tuple[str, str], int] = {}
    problems = []
    for row in frame.itertuples():
        key = (row.group_name, row.code)
        if key in seen:
            problems.append(Problem(name, f"{row.code} is listed twice in the group '{row.group_name}' "
                                          f"(first on row {seen[key]})", row.source_row, "member_code"))
        seen.setdefault(key, row.source_row)
    if problems:
        raise InputError(problems)
    return frame
