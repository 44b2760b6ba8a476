"""One trust's facts as the classification rules read them: ratings, the current segment and its history.

Missing values are ``None`` (never zero), and every fact knows how it is said in a reason, so
each rule can name the data it used or the data it lacked.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pandas as pd

from ..ingest.oversight import CURRENT_FRAMEWORK, quarter_order
from ..settings import Settings


@dataclass(frozen=True)
class QuarterSegment:
    """A trust's segment in one quarter, under the framework of that quarter's file."""

    quarter: str
    framework: str
    segment: int


@dataclass(frozen=True)
class ProgrammeEntry:
    """An entry into the national intensive-support programme that the history shows no exit from."""

    regime: str
    date: str


class TrustFacts:
    """One trust's fields with missing values as ``None`` and the wording used in reasons."""

    def __init__(self, trust: Mapping[str, Any], as_of: date, segments: list[QuarterSegment] | None = None,
                 programme: ProgrammeEntry | None = None):
        self.code = trust["code"]
        self.name = trust["name"]
        self.segment = value(trust.get("segment"))
        self.quarter = value(trust.get("segment_quarter")) or "the current segmentation"
        self.framework = value(trust.get("segment_framework")) or CURRENT_FRAMEWORK
        self.overall = value(trust.get("cqc_overall"))
        self.well_led = value(trust.get("cqc_well_led"))
        self.published = value(trust.get("cqc_published"))
        self.location = value(trust.get("cqc_location"))
        self.league_rank = value(trust.get("league_rank"))
        self.league_size = value(trust.get("league_size"))
        self.peer_league_rank = value(trust.get("peer_league_rank"))
        self.peer_league_size = value(trust.get("peer_league_size"))
        self.peer_group = value(trust.get("peer_group"))
        self.deficit = value(trust.get("deficit"))
        self.deficit_source = value(trust.get("deficit_source"))
        self.history = sorted(segments or [], key=lambda q: quarter_order(q.quarter), reverse=True)
        self.programme = programme
        self.as_of = as_of

    @property
    def rated(self) -> bool:
        """Whether the trust has a CQC overall rating in the data."""
        return self.overall is not None

    def rating_is_stale(self, max_age_years: float) -> bool:
        """Whether the rating is at least ``max_age_years`` old (or has no date)."""
        return self.published is None or self.published <= years_before(self.as_of, max_age_years)

    def rating_year(self) -> str:
        """The year of the rating, for "CQC rating from 2018 is older than ..."."""
        return str(self.published.year) if self.published is not None else "an unknown date"

    def where(self) -> str:
        """Where and when the rating was given, e.g. "main location R0A02, published 2019-03-19"."""
        parts = [f"main location {self.location}"] if self.location else []
        if self.published is not None:
            parts.append(f"published {self.published.isoformat()}")
        return ", ".join(parts) or "date unknown"

    def segment_text(self) -> str:
        """"segment 3 in Q3 2025/26", or "no segment"."""
        return f"segment {self.segment} in {self.quarter}" if self.segment is not None else "no segment"

    def quarters_known(self) -> str:
        """"1 quarter of segment history known (Q3 2025/26)"."""
        n = len(self.history)
        listed = ", ".join(q.quarter for q in self.history[:4]) + (" …" if n > 4 else "")
        return f"{n} quarter{'s' if n != 1 else ''} of segment history known" + (f" ({listed})" if n else "")


def intensive_segments(framework: str, settings: Settings) -> tuple[int, ...]:
    """The segments that mean intensive support under a framework (DOMAIN §1)."""
    if framework == CURRENT_FRAMEWORK:
        return settings.segments.intensive
    return settings.segments.earlier_framework.intensive


def difficulty_segments(framework: str, settings: Settings) -> tuple[int, ...]:
    """The further segments that mean difficulty under a framework (2025/26: the lowest quartile)."""
    if framework == CURRENT_FRAMEWORK:
        return settings.segments.difficulty
    return settings.segments.earlier_framework.difficulty


def segment_history(segments: pd.DataFrame | None) -> dict[str, list[QuarterSegment]]:
    """Every trust's segment in each loaded quarter, by trust code."""
    out: dict[str, list[QuarterSegment]] = {}
    if segments is None or not len(segments):
        return out
    known = segments[segments["segment"].notna()]
    for code, quarter, framework, segment in zip(known["code"], known["quarter"], known["framework"],
                                                 known["segment"], strict=True):
        out.setdefault(code, []).append(QuarterSegment(str(quarter), str(framework), int(segment)))
    return out


def programme_entry(history: pd.DataFrame, settings: Settings) -> ProgrammeEntry | None:
    """An entry into the intensive-support programme (since the configured year) with no later exit."""
    if history.empty:  # most trusts: no events, and sorting an empty frame costs more than the rule
        return None
    rules = settings.segments.programme
    names = tuple(n.lower() for n in rules.regimes)
    found = None
    ordered = history.sort_values("date", na_position="first")
    for regime, day, event in zip(ordered["regime"], ordered["date"], ordered["event"], strict=True):
        if not any(n in str(regime).lower() for n in names):
            continue
        year = int(str(day)[:4]) if day else None
        if event in ("entered", "entry_recommended") and year is not None and year >= rules.since_year:
            found = ProgrammeEntry(str(regime), str(day))
        elif event in ("exited", "exit_recommended"):
            found = None
    return found


def latest_day(text: str) -> date | None:
    """The last day a history date could mean: "2025" is 2025-12-31, "2025-02" is 2025-02-28; None if unreadable."""
    try:
        if len(text) == 4:
            return date(int(text), 12, 31)
        if len(text) == 7:
            year, month = int(text[:4]), int(text[5:7])
            following = date(year + month // 12, month % 12 + 1, 1)
            return following - timedelta(days=1)
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def years_before(day: date, years: float) -> date:
    """The calendar date ``years`` before ``day`` (whole years by the calendar, any fraction in days)."""
    whole = int(years)
    try:
        earlier = day.replace(year=day.year - whole)
    except ValueError:  # 29 February in a year that has none
        earlier = day.replace(year=day.year - whole, day=28)
    return earlier - timedelta(days=round((years - whole) * 365.25))


def value(x: Any) -> Any:
    """``None`` for any kind of missing value (None, NaN, pd.NA), else the value as a plain type."""
    if x is None or x is pd.NA or (isinstance(x, float) and x != x):
        return None
    if hasattr(x, "item"):  # numpy scalar
        return x.item()
    return x
