"""Read one CSV file against its ``TableSpec``, collecting every problem before failing.

The reader never returns a half-checked table: either every cell passed and a typed
DataFrame comes back, or an ``InputError`` lists each problem with file, row and column.
Rows are numbered as a spreadsheet shows them (the heading is row 1).
"""
from __future__ import annotations

import csv
import difflib
import io
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from ..domain import NOT_RATED_WORDS, RATING_LABELS
from ..errors import InputError, Problem
from .columns import Column, TableSpec

#: Stop listing problems after this many; the message says how many more there were.
MAX_PROBLEMS = 50

_RATING_SCORES = {label.lower(): int(score) for score, label in RATING_LABELS.items()}
_RATING_WORDS = ", ".join([*RATING_LABELS.values(), "Not rated"])
_CODE = re.compile(r"^[A-Z0-9]{3,6}$")
_PARTIAL_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
_DATE_FORMATS = ("%Y-%m-%d", "%Y%m%d", "%d/%m/%Y", "%Y-%m-%dT%H:%M:%S")


def read_table(path: str | Path, spec: TableSpec, *, label: str | None = None) -> pd.DataFrame:
    """Read and check a whole file; return its typed columns named as in ``spec``.

    The result also has ``source_row``, each record's row number in the file, so later
    checks across rows can still point at the right line.

    Args:
        path: the CSV file.
        spec: its expected layout.
        label: the file name to use in messages (defaults to the file's own name).

    Raises:
        InputError: with every problem found (missing or misspelt columns, bad cells,
            duplicate keys), each naming the file, row and column.
    """
    path = Path(path)
    name = label or path.name
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError([Problem(name, f"the {spec.title} file is missing")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError([Problem(name, f"cannot read the {spec.title} file ({exc})")]) from None
    return read_table_text(text, spec, name)


def read_table_text(text: str, spec: TableSpec, name: str) -> pd.DataFrame:
    """Check CSV text against ``spec``; see ``read_table``."""
    raw, problems = _raw_frame(text, spec, name)
    if raw is None:
        raise InputError(problems)
    out = pd.DataFrame(index=raw.index)
    for column in spec.columns:
        if column.name not in raw.columns:
            continue
        out[column.name] = _parse_column(raw[column.name], column, name, problems)
    if spec.key and spec.key in out.columns:
        _check_unique(out[spec.key], spec.key_label, spec.column(spec.key).heading, name, problems)
    if problems:
        raise InputError(_capped(problems))
    out["source_row"] = raw.index
    return out.reset_index(drop=True)


def _raw_frame(text: str, spec: TableSpec, name: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Split the text into string cells under the spec's column names, checking headings."""
    problems: list[Problem] = []
    if not text.strip():
        return None, [Problem(name, f"the {spec.title} file is empty")]
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        return None, [Problem(name, f"is not a readable CSV file ({exc})")]
    if spec.headerless:
        width = max(spec.positions.values()) + 1
        short = [i + 1 for i, row in enumerate(rows) if row and len(row) < width]
        for row_number in short[:MAX_PROBLEMS]:
            problems.append(Problem(name, f"has {len(rows[row_number - 1])} fields; this layout needs {width}",
                                    row_number))
        if problems:
            return None, problems
        data: dict[str, list[str]] = {c.name: [row[spec.positions[c.name]] if row else "" for row in rows]
                                      for c in spec.columns}
        frame = pd.DataFrame(data, dtype=object)
        frame.index = range(1, len(rows) + 1)  # no heading row: the first record is row 1
        return frame[[bool(r) for r in rows]], problems
    header, body = [h.strip() for h in rows[0]], rows[1:]
    positions: dict[str, int] = {}
    for column in spec.columns:
        found = next((h for h in (column.heading, *column.aliases) if h in header), None)
        if found is not None:
            positions[column.name] = header.index(found)
        elif column.required:
            close = difflib.get_close_matches(column.heading, header, n=1, cutoff=0.75)
            hint = f" (found '{close[0]}'; did you mean '{column.heading}'?)" if close else ""
            problems.append(Problem(name, f"missing column '{column.heading}'{hint}"))
    if problems:
        return None, problems
    kept = [(offset + 2, row) for offset, row in enumerate(body)
            if any(cell.strip() for cell in row)]  # blank lines are not records
    data = {column_name: [row[position] if position < len(row) else "" for _, row in kept]
            for column_name, position in positions.items()}
    return pd.DataFrame(data, index=[number for number, _ in kept], dtype=object), problems


def _parse_column(cells: pd.Series, column: Column, name: str, problems: list[Problem]) -> pd.Series:
    """Convert one column's string cells to its kind, recording each bad cell.

    A cell's reading depends on its text alone, so each distinct text is read once (ratings,
    choices, dates and flags repeat across thousands of rows).
    """
    values: list[Any] = []
    read: dict[str, tuple[Any, str | None]] = {}
    blank = (None, None if column.nullable else "is blank; a value is required")
    for row_number, cell in cells.items():
        found = read.get(cell)
        if found is None:
            text = (cell or "").strip()
            missing = not text or text.lower() in ("null", "nan")
            found = read[cell] = blank if missing else _parse_cell(text, column)
        value, error = found
        if error:
            problems.append(Problem(name, error, row_number, column.heading))
        values.append(value)
    return _typed(values, column.kind, cells.index)


def _parse_cell(text: str, column: Column) -> tuple[Any, str | None]:
    """One cell's value (of the column's kind), or an error message saying what is wrong with it."""
    kind = column.kind
    if kind == "text":
        return text, None
    if kind == "code":
        code = text.upper()
        return (code, None) if _CODE.match(code) else (None, f"'{text}' is not an ODS code (3 to 6 letters or digits)")
    if kind in ("int", "float", "flag"):
        try:
            number = float(text.replace(",", ""))
        except ValueError:
            return None, f"'{text}' is not a number"
        if number != number:
            return None, f"'{text}' is not a number"
        if kind in ("int", "flag") and not number.is_integer():
            return None, f"'{text}' is not a whole number"
        if kind == "int" and abs(number) >= 2**63:  # beyond what a whole-number column can hold
            return None, f"{text} is far too large for a whole number"
        if kind == "flag" and number not in (0, 1):
            return None, f"'{text}' must be 0 or 1"
        low, high = column.low, column.high
        too_low = low is not None and number < low
        too_high = high is not None and number > high
        if (too_low or too_high) and low is not None and high is not None:
            return None, f"{text} is not between {_fmt(low)} and {_fmt(high)}"
        if too_low and low is not None:
            return None, f"{text} is too small; it must be {_fmt(low)} or more"
        if too_high and high is not None:
            return None, f"{text} is too large; it must be {_fmt(high)} or less"
        return number, None
    if kind == "date":
        for fmt in _DATE_FORMATS:
            try:
                return datetime.strptime(text, fmt).date(), None
            except ValueError:
                continue
        return None, f"'{text}' is not a date (use YYYY-MM-DD)"
    if kind == "partial_date":
        if _PARTIAL_DATE.match(text):
            return text, None
        return None, f"'{text}' is not a date (use YYYY-MM-DD, YYYY-MM or YYYY)"
    if kind == "rating":
        lowered = text.lower()
        if lowered in NOT_RATED_WORDS:
            return None, None
        if lowered in _RATING_SCORES:
            return _RATING_SCORES[lowered], None
        close = difflib.get_close_matches(text, [*RATING_LABELS.values(), "Not rated"], n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        return None, f"unknown rating '{text}'{hint}; expected one of {_RATING_WORDS}"
    if kind == "choice":
        if text in column.choices:
            return text, None
        return None, f"'{text}' is not one of {', '.join(column.choices)}"
    raise ValueError(f"unknown column kind {kind!r}")  # a programming error, not bad input


def _typed(values: list[Any], kind: str, index: pd.Index) -> pd.Series:
    """Build a series with a dtype that keeps missing values missing."""
    if kind in ("int", "flag", "rating"):
        return pd.Series([None if v is None else int(v) for v in values], index=index, dtype="Int64")
    if kind == "float":
        return pd.Series(values, index=index, dtype="Float64")
    return pd.Series(values, index=index, dtype=object)


def _check_unique(keys: pd.Series, label: str, heading: str, name: str, problems: list[Problem]) -> None:
    """Report every repeat of a key value, pointing at the row where it first appeared."""
    first_seen: dict[object, int] = {}
    for row_number, key in keys.items():
        if key is None:
            continue
        if key in first_seen:
            problems.append(Problem(
                name, f"duplicate {label} '{key}' (first seen on row {first_seen[key]})", row_number, heading))
        else:
            first_seen[key] = row_number


def _capped(problems: list[Problem]) -> list[Problem]:
    """The first ``MAX_PROBLEMS`` problems, plus one line saying how many were left out."""
    if len(problems) <= MAX_PROBLEMS:
        return problems
    rest = len(problems) - MAX_PROBLEMS
    return [*problems[:MAX_PROBLEMS], Problem(problems[0].file, f"and {rest} more problems not listed")]


def _fmt(bound: float) -> str:
    return str(int(bound)) if float(bound).is_integer() else str(bound)
