"""A run's plan as tables a regulator can file, filter and send on: CSV and XLSX.

Three tables describe a run: its partnerships, the recipients it leaves uncovered (with the
reasons), and its inputs and fingerprint (what it was run on, so anyone can tell which data,
configuration and solver made it). The XLSX workbook holds all three, one sheet each. The CSV
exports are one file per table, partnerships and uncovered recipients, because a CSV holds one
table and that is what spreadsheet users and analysts expect to open; the inputs travel in the
workbook.

Every text cell that a spreadsheet would read as a formula (it starts with ``=``, ``+``, ``-`` or
``@``, or a tab or carriage return) is written with a leading single quote, so an exported name or
reason can never run as a formula when the file is opened (CSV injection). Where a spreadsheet's
locale separates cells with semicolons, ``x;=1+1`` would open as two cells, the second a formula:
so every text cell of a CSV is also quoted (one cell in any locale), and a formula start just after
a semicolon inside a cell is guarded the same way.

Pure: plan data and trust facts in, rows and bytes out; no web framework and no database.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from ..result import Plan

#: A cell's first character that makes spreadsheets treat it as a formula (or hide what follows).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: A formula start just after a semicolon (a cell separator in many European locales).
_AFTER_SEMICOLON = re.compile(r"(;\s*)(?=[=+\-@\t\r])")
#: Where a regulator's spreadsheet might show money and reasons: wide enough to read, no wider.
MAX_COLUMN_WIDTH = 60

PARTNERSHIP_COLUMNS = (
    "Recipient code", "Recipient name", "Supporter code", "Supporter name", "Region", "Kind", "Support units",
    "Fit", "Distance (km)", "Score", "Incentive per year (GBP)", "Incentive over the term (GBP)", "Locked",
    "Explanation")
UNCOVERED_COLUMNS = ("Recipient code", "Recipient name", "Region", "Severity", "Reasons")
INPUT_COLUMNS = ("Item", "Value", "As of")
QUALITY_COLUMNS = ("Measure", "This plan", "On record (2013-2018)")

Cell = str | int | float | None


@dataclass(frozen=True)
class Table:
    """One exported table: a sheet's title, its column headings and its rows."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


@dataclass(frozen=True)
class RunFacts:
    """What the store knows about a run beyond its plan: who it is, when, and how the solve ended."""

    run_id: int
    scenario: str
    scenario_version: int
    purpose: str
    created: datetime
    published: datetime | None
    seconds: float


@dataclass(frozen=True)
class DataSource:
    """One data file the service is using, as its manifest describes it."""

    key: str
    file: str
    as_of: str
    source: str
    licence: str


def safe_cell(value: Cell) -> Cell:
    """``value``, with a leading ``'`` if it is text a spreadsheet would take for a formula.

    So is any semicolon that a formula start follows (``x;=1+1`` becomes ``x;'=1+1``). Numbers are
    left alone (a negative number is a number, not a formula).
    """
    if not isinstance(value, str):
        return value
    value = _AFTER_SEMICOLON.sub(r"\1'", value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def partnerships_table(plan: Plan, facts: Mapping[str, Mapping[str, str]]) -> Table:
    """One row per partnership, by recipient code; region is the recipient's.

    Args:
        plan: the run's plan.
        facts: trust code -> ``{"name", "region", ...}`` from the loaded data; a code it lacks
            gets an empty name and region rather than failing the export.
    """
    rows = tuple(
        (p.recipient, _fact(facts, p.recipient, "name"), p.supporter, _fact(facts, p.supporter, "name"),
         _fact(facts, p.recipient, "region"), p.kind.replace("_", " "), p.units, round(p.fit, 3),
         round(p.distance_km, 1), p.score, p.incentive_annual_gbp, p.incentive_term_gbp, "yes" if p.locked else "no",
         p.explanation)
        for p in sorted(plan.pairs, key=lambda p: p.recipient))
    return Table("Partnerships", PARTNERSHIP_COLUMNS, rows)


def uncovered_table(plan: Plan, facts: Mapping[str, Mapping[str, str]]) -> Table:
    """One row per recipient left without a partner, most severe first, its reasons joined by ``; ``."""
    items = sorted(plan.uncovered, key=lambda u: (-float(u.severity), u.recipient))
    rows = tuple((u.recipient, _fact(facts, u.recipient, "name"), _fact(facts, u.recipient, "region"),
                  float(u.severity), "; ".join(u.reasons)) for u in items)
    return Table("Uncovered recipients", UNCOVERED_COLUMNS, rows)


def inputs_table(run: RunFacts, plan: Plan, sources: Iterable[DataSource],
                 data_fingerprint_now: str) -> Table:
    """What the run was, what it found, and what it was run on: one fact a row, then each data source.

    The data sources are those the service is using now; ``Data hash of these sources`` sits next
    to the run's own data hash, so a reader sees at once whether they are the files the run used.
    """
    objective, inputs = plan.objective, plan.fingerprint
    facts: list[tuple[str, Cell]] = [
        ("Run id", run.run_id), ("Scenario", run.scenario), ("Scenario version", run.scenario_version),
        ("Purpose", run.purpose.replace("_", "-")), ("Created (UTC)", _stamp(run.created)),
        ("Published (UTC)", _stamp(run.published) if run.published else "not published"),
        ("Solver status", plan.status),
        ("Objective: coverage (severity points)", float(objective.coverage)),
        ("Objective: score (points)", int(objective.score)),
        ("Objective: spend (GBP a year)", int(objective.spend)),
        ("Budget (GBP a year)", plan.budget_annual_gbp),
        ("Largest stage gap", plan.largest_gap), ("Solve time (seconds)", round(float(run.seconds), 2)),
        ("Data hash", inputs.data), ("Configuration hash", inputs.config),
        ("Solver version", inputs.solver), ("Random seed", inputs.seed),
        ("Classified as of", inputs.as_of),
        ("Data hash of these sources", data_fingerprint_now),
    ]
    if plan.hold_tolerance:  # a strict run (tolerance 0) says nothing about it
        facts.insert(facts.index(("Largest stage gap", plan.largest_gap)) + 1,
                     ("Hold tolerance (share of an earlier objective a later one could give up)", plan.hold_tolerance))
    rows: list[tuple[Cell, ...]] = [(item, value, None) for item, value in facts]
    rows += [(f"Data source: {s.key}", f"{s.file}: {s.source} ({s.licence})", s.as_of) for s in sources]
    return Table("Inputs and fingerprint", INPUT_COLUMNS, tuple(rows))


def quality_table(plan: Plan) -> Table:
    """The plan's quality figures (DOMAIN §6.1) against the partnerships on record, one measure a row."""
    q = plan.quality
    if q is None:
        return Table("Plan quality", QUALITY_COLUMNS, ())
    on_record = q.past_practice
    rows: tuple[tuple[Cell, ...], ...] = (
        ("Pairs within one peer group (share)", q.share_same_peer_group, 1.0),
        ("Median distance between head offices (km)", q.median_distance_km, on_record["median_distance_km"]),
        ("Pairs within 80 km (share)", q.share_within_80km, on_record["share_within_80km"]),
        ("Supporters by recipients taken", "; ".join(f"{n} with {k}" for k, n in q.recipients_per_supporter.items()),
         "most took one; two took two"),
        ("Largest distance between two recipients of one supporter (km)", q.largest_corecipient_km,
         on_record["largest_corecipient_km"]),
        ("Pairs inside an existing group", q.pairs_inside_group, 0),
        ("Largest recipient as a multiple of its supporter's estimated income", q.largest_size_ratio, None),
        ("Largest load: recipients together as a multiple of the supporter's income", q.largest_load_ratio, None),
        ("Pairs outside past practice (a supporter from another peer group)",
         ", ".join(q.outside_past_practice) or "none", "none"),
    )
    return Table("Plan quality", QUALITY_COLUMNS, rows)


def plan_tables(run: RunFacts, plan: Plan, facts: Mapping[str, Mapping[str, str]],
                sources: Iterable[DataSource], data_fingerprint_now: str) -> tuple[Table, Table, Table, Table]:
    """The tables of a run, in the workbook's order: partnerships, uncovered, plan quality, inputs."""
    return (partnerships_table(plan, facts), uncovered_table(plan, facts), quality_table(plan),
            inputs_table(run, plan, sources, data_fingerprint_now))


def to_csv(table: Table) -> bytes:
    """``table`` as CSV, as spreadsheets read it safely.

    UTF-8 with a byte-order mark (so Excel reads names right), CRLF line ends, a header row, and
    formula-like text guarded.
    """
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_NONNUMERIC)  # text quoted: one cell whatever the separator
    writer.writerow(table.columns)
    writer.writerows([safe_cell(v) for v in row] for row in table.rows)
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(tables: Sequence[Table]) -> bytes:
    """An XLSX workbook with one sheet per table: bold frozen header row, filters, readable widths.

    Text that looks like a formula is written guarded, as in the CSV, so the workbook holds no
    formula at all.
    """
    book = Workbook()
    book.remove(book.active)
    for table in tables:
        sheet = book.create_sheet(title=table.title[:31])  # Excel's limit on a sheet's name
        sheet.append(list(table.columns))
        for row in table.rows:
            sheet.append([safe_cell(v) for v in row])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
        for index, column in enumerate(table.columns, start=1):
            longest = max([len(column), *(len(str(row[index - 1] or "")) for row in table.rows)])
            sheet.column_dimensions[get_column_letter(index)].width = min(longest + 2, MAX_COLUMN_WIDTH)
            if longest > MAX_COLUMN_WIDTH:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _fact(facts: Mapping[str, Mapping[str, str]], code: str, key: str) -> str:
    return str(facts.get(code, {}).get(key, ""))


def _stamp(value: datetime) -> str:
    """``2026-11-23 20:15``, in UTC."""
    return (value.astimezone(UTC) if value.tzinfo else value).strftime("%Y-%m-%d %H:%M")
