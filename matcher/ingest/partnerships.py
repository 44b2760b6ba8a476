"""Past partnerships (``recipient,supporter,kind,start,end,source``): agreements on record, to follow to their outcome.

Codes are checked against the whole trust register, closed trusts included, since a partnership of
2013 may name a trust that has since merged.

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
from .readers import read_table, read_table_text

SOURCE_LIMIT = 500  # the longest source (a citation or a link) the database keeps

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
    return _agreements(read_table(path, PARTNERSHIPS_FILE), Path(path).name, known_codes)


def partnerships_from_text(text: str, name: str, known_codes: Collection[str]) -> list[Agreement]:
    """The same checks on an uploaded file's text (``name`` is what messages call it).

    Raises:
        InputError: every problem of the file, located; nothing is returned.
    """
    return _agreements(read_table_text(text.removeprefix("\ufeff"), PARTNERSHIPS_FILE, name), name, known_codes)


def _agreements(frame, name: str, known_codes: Collection[str]) -> list[Agreement]:
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
        if len(row.source) > SOURCE_LIMIT:
            problems.append(Problem(name, f"the source is {len(row.source):,} characters long; keep it to "
                                          f"{SOURCE_LIMIT}", row.source_row, "source"))
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
