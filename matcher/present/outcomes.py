"""Outcomes and track records as tables (the outcomes page, its CSV and its workbook) and in words.

Pure: followed agreements and trust names in, rows out; ``exports.to_csv`` and ``exports.to_xlsx``
write them, with the same guard against spreadsheet formulas as every other export.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..domain import Kind
from ..outcomes import Mark, Outcome, TrackRecord
from ..outcomes.records import long_date
from .exports import Table

OUTCOME_COLUMNS = (
    "Recipient code", "Recipient name", "Supporter code", "Supporter name", "Kind", "Start", "End", "Status",
    "Recipient at start", "At 12 months", "At 24 months", "Outcome", "Left difficulty", "Overstretch warning",
    "Source")
TRACK_COLUMNS = ("Supporter code", "Supporter name", "Ended out of difficulty", "Ended still in difficulty",
                 "Ended, outcome not yet known", "Live")


def mark_text(mark: Mark) -> str:
    """``segment 4; Requires improvement overall, ...; in difficulty (data of 31 March 2026)``, or no data yet."""
    if mark.observation is None:
        return "no data yet"
    return f"{mark.observation.describe()} (data of {long_date(mark.observation.observed_on)})"


def left_text(outcome: Outcome) -> str:
    """Yes, no, or not yet known."""
    return {True: "yes", False: "no", None: "not yet known"}[outcome.left_difficulty]


def outcomes_table(outcomes: Iterable[Outcome], names: Mapping[str, str]) -> Table:
    """One row per agreement: who, what, when, the recipient at each mark, and how it turned out."""
    rows = []
    for o in outcomes:
        a = o.agreement
        rows.append((a.recipient, names.get(a.recipient, ""), a.supporter, names.get(a.supporter, ""),
                     Kind(a.kind).label, a.start.isoformat(), a.end.isoformat() if a.end else "", o.status,
                     *(mark_text(m) for m in o.marks), o.result, left_text(o), o.overstretch or "", a.source))
    return Table("Outcomes", OUTCOME_COLUMNS, tuple(rows))


def track_table(records: Mapping[str, TrackRecord], names: Mapping[str, str]) -> Table:
    """One row per supporter with an agreement on record, best record first."""
    ordered = sorted(records.values(), key=lambda r: (-r.net, r.supporter))
    return Table("Track records", TRACK_COLUMNS, tuple(
        (r.supporter, names.get(r.supporter, ""), r.out_of_difficulty, r.still_in_difficulty, r.not_known, r.live)
        for r in ordered))
