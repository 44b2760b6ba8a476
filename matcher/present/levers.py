"""What would cover more, presented: the levers as a text table, a spreadsheet sheet and chart bars.

Pure functions of a ``LeverReport``; the command line, the web page and the workbook read the
same figures in the same order (most coverage gained first).
"""
from __future__ import annotations

from ..lever_report import LeverReport, LeverResult
from .charts import Bar
from .exports import Table
from .text import render_table

LEVER_COLUMNS = ("Lever", "What changes", "Coverage gained", "Recipients gained", "Recipients lost",
                 "Gained by severity", "Partnerships", "Annual spend (GBP)", "Spend change (GBP)",
                 "Quality figures that get worse", "Flag")


def names_text(result: LeverResult) -> str:
    """``Royal Cornwall Hospitals NHS Trust (REF) from RK9 ...``: who gains a partner, and from whom."""
    return "; ".join(f"{r.name} ({r.code}) by {r.supporter_name or r.supporter}" for r in result.gained)


def severity_text(result: LeverResult) -> str:
    """``+2 persistent difficulty, +1 other recipients``, and any buddying upgraded to a management contract."""
    parts = [f"{n:+d} {label}" for label, n in result.gained_by_severity.items()]
    if result.upgraded:
        parts.append(f"{len(result.upgraded)} in persistent difficulty from buddying to a management contract")
    if result.downgraded:
        parts.append(f"{len(result.downgraded)} in persistent difficulty from a management contract to buddying")
    return ", ".join(parts) or "no change"


def worse_text(result: LeverResult) -> str:
    """``median distance 96 km to 104 km; ...`` or ``none``."""
    return "; ".join(f"{w.figure} {w.before} to {w.after}" for w in result.worse) or "none"


def lever_rows(report: LeverReport) -> tuple[tuple, ...]:
    """One row a lever, as the spreadsheet sheet and the CSV hold them."""
    return tuple(
        (r.label, r.change, r.coverage_gained, names_text(r), "; ".join(f"{x.name} ({x.code})" for x in r.lost),
         severity_text(r), r.pairs, r.spend, r.spend_change, worse_text(r), r.error or r.flag)
        for r in report.levers)


def levers_table(report: LeverReport) -> Table:
    """The levers as a workbook sheet, most coverage gained first."""
    return Table("What would cover more", LEVER_COLUMNS, lever_rows(report))


#: The built-in levers' names as a chart's labels have room for them (the table beside it has the full names).
SHORT = {"segment_3_supporters": "Segment 3 supporters", "specialist_to_general": "Specialist supporters",
         "largest_capacity": "Largest capacity +1", "buddy_distance": "Buddying distance +50 km",
         "spread": "Spread +50 km", "budget": "Budget +10%", "group_rule": "Group rule off"}


def short_label(result: LeverResult) -> str:
    """The lever's name for a chart: a short form of a built-in one, else its label cut to 28 characters."""
    label = SHORT.get(result.id, result.label)
    return label if len(label) <= 28 else label[:27] + "…"


def coverage_bars(report: LeverReport) -> tuple[Bar, ...]:
    """Coverage gained per lever (severity points), for the bar chart; a lever that loses coverage shows 0."""
    return tuple(Bar(short_label(r), max(r.coverage_gained, 0.0)) for r in report.levers if r.error is None)


def render_levers(report: LeverReport) -> str:
    """The report as text for the command line."""
    head = (f"What would cover more: the plan as it stands covers {report.covered} of {report.recipients} "
            f"recipients (coverage {report.coverage:g}) for £{report.spend / 1e6:,.2f}m a year. "
            f"Each lever moved one notch and solved again ({len(report.levers)} levers, {report.seconds:g} s):")
    rows = [(r.label, f"{r.coverage_gained:+g}", severity_text(r), len(r.gained), len(r.lost),
             f"£{r.spend_change / 1e6:+,.2f}m", worse_text(r) if r.error is None else f"no plan: {r.error}")
            for r in report.levers]
    lines = [head, "", render_table(["lever", "coverage", "by severity", "gained", "lost", "spend", "worse"], rows,
                                    max_width=60), ""]
    for r in report.levers:
        if r.gained:
            lines.append(f"{r.label}: {names_text(r)}")
    return "\n".join(lines)
