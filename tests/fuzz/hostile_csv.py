"""Hostile CSV files made from real ones.

Columns dropped, renamed, doubled; cells blanked or spoiled; rows repeated, cut short or made
huge; then bytes spoiled (BOMs, other encodings, junk).
"""
from __future__ import annotations

import csv
import io

from hypothesis import strategies as st

from matcher.ingest.columns import TableSpec
from tests.fuzz.mutate import typo
from tests.fuzz.support import HOSTILE_CELLS, text

ROW_MUTATIONS = ("drop_column", "rename_column", "duplicate_column", "swap_columns", "blank_cell", "hostile_cell",
                 "hostile_cell", "hostile_cell", "random_cell", "duplicate_row", "short_row", "long_row", "huge_cell",
                 "many_columns", "header_only", "no_header", "blank_lines", "spec_heading_cell")
BYTE_MUTATIONS = ("none", "none", "none", "bom", "double_bom", "junk_bytes", "latin1", "utf16", "truncate", "empty",
                  "whitespace", "nul", "crlf", "cr")


def rows_of(content: str) -> list[list[str]]:
    """The records of a CSV text."""
    return list(csv.reader(io.StringIO(content)))


def hostile_csv(data: st.DataObject, base: list[list[str]], spec: TableSpec, max_rows: int = 40) -> bytes:
    """A spoiled copy of the file whose records are ``base`` (the first is the heading row)."""
    keep = data.draw(st.sampled_from([max_rows, max_rows, len(base)]))
    rows = [list(r) for r in base[:keep + 1]]
    headings = [h for c in spec.columns for h in (c.heading, *c.aliases)]
    for _ in range(data.draw(st.integers(0, 4))):
        if not rows:
            break
        i = data.draw(st.integers(0, len(rows) - 1))
        row = rows[i]
        checked = [k for k, h in enumerate(rows[0]) if h.strip() in headings] or [0]
        # mostly checked columns
        j = data.draw(st.one_of(st.sampled_from(checked), st.integers(0, max(len(row) - 1, 0))))
        if spec.headerless:
            j = data.draw(st.sampled_from(sorted(spec.positions.values())))
            i = data.draw(st.integers(0, len(rows) - 1))
            row = rows[i]
        elif i == 0 and len(rows) > 1 and data.draw(st.booleans()):
            i = data.draw(st.integers(1, len(rows) - 1))  # spoil a record more often than the heading
            row = rows[i]
        j = min(j, max(len(row) - 1, 0))
        how = data.draw(st.sampled_from(ROW_MUTATIONS))
        if how == "drop_column":
            rows = [[c for k, c in enumerate(r) if k != j] for r in rows]
        elif how == "rename_column" and rows[0]:
            rows[0][min(j, len(rows[0]) - 1)] = typo(rows[0][min(j, len(rows[0]) - 1)], data)
        elif how == "duplicate_column":
            rows = [r + r[j:j + 1] for r in rows]
        elif how == "swap_columns" and rows[0]:
            k = data.draw(st.integers(0, len(rows[0]) - 1))
            for r in rows:
                if j < len(r) and k < len(r):
                    r[j], r[k] = r[k], r[j]
        elif how in ("blank_cell", "hostile_cell", "random_cell", "huge_cell", "spec_heading_cell") and row:
            row[j] = {"blank_cell": lambda: "",
                      "hostile_cell": lambda: data.draw(st.sampled_from(HOSTILE_CELLS)),
                      "random_cell": lambda: data.draw(text),
                      "huge_cell": lambda: "9" * 200_000,
                      "spec_heading_cell": lambda: data.draw(st.sampled_from(headings))}[how]()
        elif how == "duplicate_row":
            rows.insert(data.draw(st.integers(1, len(rows))), list(row))
        elif how == "short_row":
            rows[i] = row[:j]
        elif how == "long_row":
            rows[i] = row + data.draw(st.lists(st.sampled_from(HOSTILE_CELLS), min_size=1, max_size=5))
        elif how == "many_columns":
            rows[i] = row + ["1"] * 5000
        elif how == "header_only":
            rows = rows[:1]
        elif how == "no_header":
            rows = rows[1:]
        elif how == "blank_lines":
            rows.insert(i, [])
    out = io.StringIO()
    quoting = data.draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
    writer = csv.writer(out, lineterminator="\n", quoting=quoting)
    for row in rows:
        writer.writerow(row)
    content = out.getvalue()
    how = data.draw(st.sampled_from(BYTE_MUTATIONS))
    if how == "crlf":
        content = content.replace("\n", "\r\n")
    elif how == "cr":
        content = content.replace("\n", "\r")
    elif how == "empty":
        content = ""
    elif how == "whitespace":
        content = " \n\t\n"
    elif how == "nul":
        at = data.draw(st.integers(0, len(content)))
        content = content[:at] + "\x00" + content[at:]
    if how == "latin1":
        return content.encode("latin-1", "replace") + "é".encode("latin-1")
    if how == "utf16":
        return content.encode("utf-16")
    raw = content.encode("utf-8")
    if how == "bom":
        return b"\xef\xbb\xbf" + raw
    if how == "double_bom":
        return b"\xef\xbb\xbf\xef\xbb\xbf" + raw
    if how == "junk_bytes":
        at = data.draw(st.integers(0, len(raw)))
        return raw[:at] + data.draw(st.binary(min_size=1, max_size=8)) + raw[at:]
    if how == "truncate":
        return raw[:data.draw(st.integers(0, len(raw)))]
    return raw
