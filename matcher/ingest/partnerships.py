"""Past partnerships (``recipient,supporter,kind,start,end,source``): agreements on record, to follow to their outcome.

Checked like every other file, all of it before any of it is used: a missing column, a trust code
the register does not know, an unknown kind, a bad date, an end before its start, a trust
partnered with itself, or the same partnership twice, each named by file, row and column.
"""
from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from ..domain import KINDS
from ..errors import InputError, Problem
from ..outcomes import Agreement
from .columns import Column, TableSpec
from .readers import read_table

PARTNERSHIPS_FILE = TableSpec(
    title="past partnerships",
    columns=(
        Column("recipient", "code", nullable=False),
        Column("supporter", "code", nullable=False),
        Column("kind", "choice", nullable=False, choices=KINDS),
        Column("start", "date", nullable=False),
        Column("end", "date"),
        Column("source", nullable=False),
    ),
)


def load_partnerships(path: str | Path, known_codes: Collection[str]) -> list[Agreement]:
    """Read a past-partnerships file into agreements, checking every row against the register's codes.

    Raises:
        InputError: every problem of the file, located; nothing is returned.
    """
    frame = read_table(path, PARTNERSHIPS_FILE)
    name = Path(path).name
    problems: list[Problem] = []
    seen: dict[tuple, int] = {}
    out = []
    for row in frame.itertuples():
        bad = False
        for column in ("recipient", "supporter"):
            code = getattr(row, column)
            if code not in known_codes:
                problems.append(Problem(name, f"'{code}' is not a trust code in the register", row.source_row, column))
                bad = True
        if row.recipient == row.supporter:
            problems.append(Problem(name, "a trust cannot support itself", row.source_row, "supporter"))
            bad = True
        end = None if row.end is None or row.end != row.end else row.end
        if end is not None and end < row.start:
            problems.append(Problem(name, f"the end {end.isoformat()} is before the start {row.start.isoformat()}",
                                    row.source_row, "end"))
            bad = True
        key = (row.recipient, row.supporter, row.kind, row.start)
        if key in seen:
            problems.append(Problem(name, f"the same partnership is listed twice (first on row {seen[key]})",
                                    row.source_row, "recipient"))
            bad = True
        seen.setdefault(key, row.source_row)
        if not bad:
            out.append(Agreement(row.recipient, row.supporter, row.kind, row.start, end, row.source))
    if problems:
        raise InputError(problems)
    return out
