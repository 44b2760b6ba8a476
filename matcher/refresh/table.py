"""The result of converting one download, and CSV helpers shared by the source modules."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from .fetch import RefreshError


@dataclass(frozen=True)
class Converted:
    """A downloaded source turned into a data file the loaders read.

    ``origins`` maps a row number of ``text`` (as a spreadsheet shows it: the heading is row 1)
    to where that row came from (a trust code and URL), so a loader problem can be traced back
    to the download. ``notes`` are facts worth printing (trusts not found, rows dropped).
    """

    key: str
    stem: str
    layout: str
    text: str
    source: str
    url: str
    origins: dict[int, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


def to_csv_text(header: list[str], rows: list[list[str]]) -> str:
    r"""Rows as CSV text with a heading row and ``\n`` line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def read_csv_rows(text: str, *, source: str, url: str, required: tuple[str, ...]) -> list[dict[str, str]]:
    """Parse a headed CSV strictly into dicts (one per record), checking its columns.

    Raises:
        RefreshError: for an empty file, a broken quote, missing columns, or a record whose number
            of fields differs from the heading (a file cut off mid-row), naming the row.
    """
    if not text.strip():
        raise RefreshError(source, "malformed body: the file is empty", url)
    try:
        rows = [row for row in csv.reader(io.StringIO(text), strict=True) if row]
    except csv.Error as exc:
        raise RefreshError(source, f"malformed body: not a readable CSV file ({exc})", url) from None
    header = [h.strip() for h in rows[0]]
    missing = [c for c in required if c not in header]
    if missing:
        raise RefreshError(source, "malformed body: missing column(s) " + ", ".join(repr(c) for c in missing)
                           + f"; the heading has {', '.join(header) or 'nothing'}", url)
    bad = [(n, len(r)) for n, r in enumerate(rows[1:], start=2) if len(r) != len(header)]
    if bad:
        row, width = bad[0]
        more = f" (and {len(bad) - 1} more rows)" if len(bad) > 1 else ""
        raise RefreshError(source, f"malformed body: row {row} has {width} fields but the heading has {len(header)}"
                           f"{more}; the file looks cut off or damaged", url)
    return [dict(zip(header, (cell.strip() for cell in r), strict=True)) for r in rows[1:]]
