"""Classify trusts (DOMAIN §3): recipients, persistent difficulty, supporters, management-contract supporters.

Pure functions from the canonical trust table, the special-measures history and the
settings to one ``Classification`` per trust. Every rule that fires, and every rule that
could not be checked for lack of data, adds a sentence to the trust's reasons, so nobody
has to guess why a trust was or was not picked. Missing data is never taken as a pass or
a fail: the reason says "not rated" or "no segment".
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

import pandas as pd

from .domain import Role, rating_label
from .settings import Settings

OUTSTANDING, GOOD, REQUIRES_IMPROVEMENT, INADEQUATE = 4, 3, 2, 1


@dataclass(frozen=True)
class Classification:
    """What the rules make of one trust, and why."""

    code: str
    name: str
    sector: str
    region: str
    role: Role
    persistent: bool
    mc_supporter: bool
    severity: float
    reasons: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (role as its string value, reasons as a list)."""
        out = asdict(self)
        out["role"] = self.role.value
        out["reasons"] = list(self.reasons)
        return out


def classify(trusts: pd.DataFrame, history: pd.DataFrame, settings: Settings, as_of: date) -> list[Classification]:
    """Classify every trust in the canonical table, in table order.

    Args:
        trusts: the canonical trust table (``matcher.trusts.build_trust_table``).
        history: special-measures events (``code``, ``event``, ``regime``, ``date``).
        settings: the policy configuration.
        as_of: the date ratings are aged against.
    """
    events = history.groupby("code") if len(history) else None
    # Not dict(events), which would take the GroupBy's ``keys`` attribute (its column name) for a mapping's.
    by_code = {code: group for code, group in events} if events is not None else {}  # noqa: C416
    empty = history.iloc[0:0]
    return [classify_trust(row, by_code.get(row["code"], empty), settings, as_of)
            for row in trusts.to_dict("records")]


def classify_trust(trust: Mapping[str, Any], history: pd.DataFrame, settings: Settings, as_of: date) -> Classification:
    """Apply every rule to one trust (a row of the canonical table) and its own history."""
    t = _Facts(trust, as_of)
    reasons: list[str] = []
    in_difficulty = _in_difficulty(t, settings, reasons)
    persistent = in_difficulty and _persistent(t, history, settings, reasons)
    supporter = not in_difficulty and _supporter(t, settings, reasons)
    mc_supporter = supporter and _mc_supporter(t, settings, reasons)
    if in_difficulty:
        role = Role.RECIPIENT
        reasons.append("Not a supporter: it is in difficulty")
    else:
        role = Role.SUPPORTER if supporter else Role.NEITHER
    return Classification(
        code=t.code, name=t.name, sector=trust["sector"], region=trust["region"], role=role,
        persistent=persistent, mc_supporter=mc_supporter,
        severity=_severity(t, in_difficulty, persistent, settings), reasons=tuple(reasons),
    )


class _Facts:
    """One trust's fields with missing values as ``None`` and the wording used in reasons."""

    def __init__(self, trust: Mapping[str, Any], as_of: date):
        self.code = trust["code"]
        self.name = trust["name"]
        self.segment = _value(trust.get("segment"))
        self.quarter = _value(trust.get("segment_quarter")) or "the current segmentation"
        self.overall = _value(trust.get("cqc_overall"))
        self.well_led = _value(trust.get("cqc_well_led"))
        self.published = _value(trust.get("cqc_published"))
        self.location = _value(trust.get("cqc_location"))
        self.league_rank = _value(trust.get("league_rank"))
        self.league_size = _value(trust.get("league_size"))
        self.deficit = _value(trust.get("deficit"))
        self.deficit_source = _value(trust.get("deficit_source"))
        self.as_of = as_of

    @property
    def rated(self) -> bool:
        return self.overall is not None

    def rating_is_stale(self, max_age_years: float) -> bool:
        """Whether the rating is at least ``max_age_years`` old (or has no date)."""
        return self.published is None or self.published <= years_before(self.as_of, max_age_years)

    def where(self) -> str:
        """Where and when the rating was given, e.g. "main location R0A02, published 2019-03-19"."""
        parts = [f"main location {self.location}"] if self.location else []
        if self.published is not None:
            parts.append(f"published {self.published.isoformat()}")
        return ", ".join(parts) or "date unknown"

    def segment_text(self) -> str:
        return f"segment {self.segment} in {self.quarter}" if self.segment is not None else "no segment"


def _in_difficulty(t: _Facts, s: Settings, reasons: list[str]) -> bool:
    """The three recipient rules; each fired or unchecked rule adds a reason."""
    fired = False
    if t.segment is None:
        reasons.append("No segment: the trust is not in the oversight segmentation, "
                       "so the segment rules were not applied")
    elif t.segment in s.segments.intensive:
        fired = True
        reasons.append(f"Recipient: oversight segment {t.segment} (intensive support) in {t.quarter}")
    if not t.rated:
        reasons.append("Not rated: no CQC rating in the data, so the rating rules were not applied")
    elif t.overall == INADEQUATE:
        fired = True
        reasons.append(f"Recipient: CQC overall Inadequate ({t.where()})")
    elif t.overall == REQUIRES_IMPROVEMENT and t.well_led in (REQUIRES_IMPROVEMENT, INADEQUATE):
        ratings = f"CQC overall Requires improvement with well-led {rating_label(t.well_led)} ({t.where()})"
        if t.segment in s.segments.outweighs_cqc:
            reasons.append(f"Not a recipient on ratings: {ratings} is outweighed by the current {t.segment_text()}")
        else:
            fired = True
            reasons.append(f"Recipient: {ratings}, and {t.segment_text()}")
    if not fired:
        found = [f"{t.segment_text()} is not intensive support"] if t.segment is not None else []
        if t.rated:
            found.append(f"CQC overall {rating_label(t.overall)} with well-led {rating_label(t.well_led)} "
                         f"({t.where()})")
        if found:
            reasons.append("Not a recipient: " + "; ".join(found))
    return fired


def _persistent(t: _Facts, history: pd.DataFrame, s: Settings, reasons: list[str]) -> bool:
    """Persistent-difficulty rules; the histories the data lacks are named, not guessed."""
    entries = history[history["event"].isin(s.persistent.history_events)]
    for event in entries.itertuples():
        verb = "entered" if event.event == "entered" else "was recommended for"
        if not event.date:
            when = " (date unknown)"
        else:
            when = f" on {event.date}" if len(event.date) == 10 else f" in {event.date}"
        reasons.append(f"Persistent difficulty: {verb} {event.regime}{when}")
    if len(entries):
        return True
    missing = [
        "no special-measures entry on record (the history file is partial)",
        f"inspection history not known (only the latest inspection is in the data; the rule needs "
        f"{s.persistent.min_inspections} inspections in difficulty)",
        f"segment history not known (only {t.quarter} is in the data; the rule needs "
        f"{s.persistent.min_months} months in the intensive segment)",
        "no record of an earlier buddying",
    ]
    reasons.append("Not shown to be in persistent difficulty: " + "; ".join(missing))
    return False


def _supporter(t: _Facts, s: Settings, reasons: list[str]) -> bool:
    """Supporter rules: a supporter segment now, and no recent rating below Good."""
    allowed = " or ".join(str(x) for x in s.segments.supporter)
    if t.segment is None:
        reasons.append(f"Not a supporter: no segment (supporters need segment {allowed})")
        return False
    if t.segment not in s.segments.supporter:
        reasons.append(f"Not a supporter: {t.segment_text()} (supporters need segment {allowed})")
        return False
    max_age = s.supporter.max_rating_age_years
    if not t.rated:
        reasons.append(f"Supporter: not rated; {t.segment_text()} counts alone")
        return True
    if t.rating_is_stale(max_age):
        year = t.published.year if t.published else "an unknown date"
        reasons.append(f"Supporter: CQC rating from {year} is older than {max_age:g} years; "
                       f"segment {t.segment} counts alone")
        return True
    weak = [f"{label} {rating_label(v)}" for label, v in (("overall", t.overall), ("well-led", t.well_led))
            if v is not None and v < GOOD]
    if weak:
        reasons.append(f"Not a supporter: CQC {' and '.join(weak)} ({t.where()}) is within {max_age:g} years "
                       f"and below Good")
        return False
    well_led = rating_label(t.well_led) if t.well_led is not None else "not rated"
    reasons.append(f"Supporter: {t.segment_text()}, CQC overall {rating_label(t.overall)} and well-led {well_led} "
                   f"({t.where()}, within {max_age:g} years)")
    return True


def _mc_supporter(t: _Facts, s: Settings, reasons: list[str]) -> bool:
    """May run a management contract: no deficit, and Outstanding or top of its league table."""
    if t.deficit is None:
        reasons.append("Not a management-contract supporter: deficit status not known (no finance figure)")
        return False
    if t.deficit == 1:
        reasons.append(f"Not a management-contract supporter: in financial deficit ({t.deficit_source})")
        return False
    outstanding = [label for label, v in (("overall", t.overall), ("well-led", t.well_led)) if v == OUTSTANDING]
    if outstanding:
        reasons.append(f"Management-contract supporter: not in deficit, and {' and '.join(outstanding)} "
                       f"Outstanding at its latest inspection ({t.where()})")
        return True
    share = s.mc_supporter.league_top_share
    if t.league_rank is None or t.league_size is None:
        league = "no league rank"
    else:
        cutoff = share * t.league_size
        league = f"league rank {t.league_rank} of {t.league_size}"
        if t.segment == s.mc_supporter.league_segment and t.league_rank <= cutoff:
            reasons.append(f"Management-contract supporter: not in deficit, segment {t.segment} and {league} "
                           f"(within the best {share:.0%})")
            return True
        if t.league_rank > cutoff:
            league += f" is outside the best {share:.0%}"
    reasons.append(f"Not a management-contract supporter: no Outstanding rating, and {league}"
                   + (f"; the league route needs segment {s.mc_supporter.league_segment}"
                      if t.segment != s.mc_supporter.league_segment else ""))
    return False


def _severity(t: _Facts, in_difficulty: bool, persistent: bool, s: Settings) -> float:
    """Coverage weight: persistent 8, Inadequate or intensive 3, other recipients 1, others 0."""
    if not in_difficulty:
        return 0.0
    if persistent:
        return float(s.weights.persistent)
    if t.overall == INADEQUATE or t.segment in s.segments.intensive:
        return float(s.weights.severity)
    return 1.0


def years_before(day: date, years: float) -> date:
    """The calendar date ``years`` before ``day`` (whole years by the calendar, any fraction in days)."""
    whole = int(years)
    try:
        earlier = day.replace(year=day.year - whole)
    except ValueError:  # 29 February in a year that has none
        earlier = day.replace(year=day.year - whole, day=28)
    return earlier - timedelta(days=round((years - whole) * 365.25))


def _value(x: Any) -> Any:
    """``None`` for any kind of missing value (None, NaN, pd.NA), else the value as a plain type."""
    if x is None or x is pd.NA or (isinstance(x, float) and x != x):
        return None
    if hasattr(x, "item"):  # numpy scalar
        return x.item()
    return x

