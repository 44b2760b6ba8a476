"""Who is in difficulty, how severe it is, and who is in persistent difficulty (DOMAIN §3).

The current segment is the main signal; a CQC rating counts only while it is recent. Every rule
that fires, and every rule that could not be checked for lack of data, adds a reason.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from ..domain import Rating, rating_label
from ..settings import Settings
from .facts import ProgrammeEntry, TrustFacts, difficulty_segments, intensive_segments, latest_day


@dataclass(frozen=True)
class Difficulty:
    """Whether a trust is in difficulty, whether that is intensive support, and whether a recent Inadequate fired."""

    in_difficulty: bool
    intensive: bool
    recent_inadequate: bool


def in_difficulty(t: TrustFacts, s: Settings, reasons: list[str]) -> Difficulty:
    """The recipient rules: intensive support, a difficulty segment, or recent weak ratings."""
    intensive = _intensive(t, s, reasons)
    fired = intensive
    if t.segment is not None and not intensive and t.segment in difficulty_segments(t.framework, s):
        fired = True
        reasons.append(f"Recipient: oversight segment {t.segment} in {t.quarter} (the lowest quartile under the "
                       f"{t.framework} framework)")
    recent_inadequate = False
    max_age = s.recipient.max_rating_age_years
    if not t.rated:
        reasons.append("Not rated: no CQC rating in the data, so the rating rules were not applied")
    elif t.overall == Rating.INADEQUATE or (t.overall == Rating.REQUIRES_IMPROVEMENT
                                            and t.well_led in (Rating.REQUIRES_IMPROVEMENT, Rating.INADEQUATE)):
        ratings = f"CQC overall {rating_label(t.overall)} with well-led {rating_label(t.well_led)} ({t.where()})"
        if t.rating_is_stale(max_age):
            reasons.append(f"CQC rating from {t.rating_year()} is older than {max_age:g} years and is not used "
                           f"alone ({ratings})")
        elif t.overall == Rating.INADEQUATE:
            fired = recent_inadequate = True
            reasons.append(f"Recipient: CQC overall Inadequate ({t.where()})")
        elif t.segment in s.segments.outweighs_cqc:
            reasons.append(f"Not a recipient on ratings: {ratings} is outweighed by the current {t.segment_text()}")
        else:
            fired = True
            reasons.append(f"Recipient: {ratings}, and {t.segment_text()}")
    if not fired:
        found = [f"{t.segment_text()} is not intensive support or the lowest quartile"] if t.segment is not None else []
        if t.rated:
            found.append(f"CQC overall {rating_label(t.overall)} with well-led {rating_label(t.well_led)} "
                         f"({t.where()})")
        if found:
            reasons.append("Not a recipient: " + "; ".join(found))
    return Difficulty(fired, intensive, recent_inadequate)


def _intensive(t: TrustFacts, s: Settings, reasons: list[str]) -> bool:
    """Intensive support: an intensive segment now, or in the programme now by the special-measures history."""
    intensive = False
    if t.segment is None:
        reasons.append("No segment: the trust is not in the oversight segmentation, so the segment rules were "
                       "not applied")
    elif t.segment in intensive_segments(t.framework, s):
        intensive = True
        reasons.append(f"Recipient: oversight segment {t.segment} (intensive support under the {t.framework} "
                       f"framework) in {t.quarter}")
    if t.programme is not None:
        intensive = True
        reasons.append(f"Recipient: entered the {t.programme.regime} in {t.programme.date} and the special-measures "
                       f"history records no exit, so it is in intensive support now")
    return intensive


def persistent(t: TrustFacts, history: pd.DataFrame, s: Settings, reasons: list[str]) -> bool:
    """Persistent-difficulty rules; the histories the data lacks are named, not guessed.

    An episode counts as "placed in special measures or the programme before" only if it is not the
    current one: an entry into the programme with no exit is the trust's present difficulty, and
    counts towards persistence only once it has lasted ``persistent.min_months``, like the
    intensive segment.
    """
    earlier = [e for e in _events(history[history["event"].isin(s.persistent.history_events)])
               if not _is_current(e, t)] if len(history) else []
    for event in earlier:
        verb = "entered" if event.event == "entered" else "was recommended for"
        when = " (date unknown)"
        if event.date:
            when = f" on {event.date}" if len(event.date) == 10 else f" in {event.date}"
        reasons.append(f"Persistent difficulty: {verb} {event.regime}{when}{_as_predecessor(event, t)}")
    if earlier:
        return True
    months = _months_intensive(t, s)
    programme = t.programme
    in_programme = _months_in_programme(programme, t.as_of) if programme is not None else 0
    if programme is not None and in_programme >= s.persistent.min_months:
        reasons.append(f"Persistent difficulty: in the {programme.regime} since {programme.date}, "
                       f"at least {in_programme} months")
        return True
    if months >= s.persistent.min_months:
        reasons.append(f"Persistent difficulty: in the intensive segment for {months} months "
                       f"({t.quarters_known()})")
        return True
    if programme is not None:
        history_note = (f"its only special-measures or programme episode on record is the current one (the "
                        f"{programme.regime} since {programme.date}, at least {in_programme} months; "
                        f"the rule needs {s.persistent.min_months})")
    else:
        history_note = "no special-measures entry on record (the history file is partial)"
    missing = [
        history_note,
        f"inspection history not known (only the latest inspection is in the data; the rule needs "
        f"{s.persistent.min_inspections} inspections in difficulty)",
        f"{t.quarters_known()}, {months} months of them in the intensive segment (the rule needs "
        f"{s.persistent.min_months})",
        "no record of an earlier buddying",
    ]
    reasons.append("Not shown to be in persistent difficulty: " + "; ".join(missing))
    return False


@dataclass(frozen=True)
class _Event:
    """One special-measures event as the persistence rule reads it."""

    event: Any
    regime: Any
    date: Any
    name_at_time: Any = None


def _events(history: pd.DataFrame) -> list[_Event]:
    """The events in file order (columns read once, not a named tuple built per trust)."""
    names = history["name_at_time"] if "name_at_time" in history.columns else [None] * len(history)
    return [_Event(*row) for row in zip(history["event"], history["regime"], history["date"], names, strict=True)]


def _is_current(event: Any, t: TrustFacts) -> bool:
    """Whether a history entry is the entry into the programme the trust is still in."""
    current = t.programme
    return (current is not None and str(event.regime) == current.regime and str(event.date) == current.date)


def _as_predecessor(event: Any, t: TrustFacts) -> str:
    """" (as Colchester Hospital University NHS Foundation Trust, a predecessor)" when the name then differs."""
    then = getattr(event, "name_at_time", None)
    if isinstance(then, str) and then.strip() and then.strip().lower() != str(t.name).strip().lower():
        return f" (as {then.strip()}, a predecessor or earlier name)"
    return ""


def _months_in_programme(programme: ProgrammeEntry, as_of: date) -> int:
    """Whole months the trust has surely been in the programme (from the latest day its entry date could mean)."""
    entered = latest_day(programme.date)
    if entered is None:
        return 0
    months = (as_of.year - entered.year) * 12 + as_of.month - entered.month
    return max(0, months - (1 if as_of.day < entered.day else 0))


def _months_intensive(t: TrustFacts, s: Settings) -> int:
    """Months in the intensive segment over the latest unbroken run of known quarters (3 months a quarter)."""
    months = 0
    for q in t.history:
        if q.segment not in intensive_segments(q.framework, s):
            break
        months += 3
    return months


def severity(d: Difficulty, is_persistent: bool, s: Settings) -> float:
    """Coverage weight: persistent 8; intensive support or a recent Inadequate 3; other recipients 1; others 0."""
    if not d.in_difficulty:
        return 0.0
    if is_persistent:
        return float(s.weights.persistent)
    if d.intensive or d.recent_inadequate:
        return float(s.weights.severity)
    return 1.0
