"""Who is in difficulty, how severe it is, and who is in persistent difficulty (DOMAIN §3).

The current segment is the main signal; a CQC rating counts only while it is recent. Every rule
that fires, and every rule that could not be checked for lack of data, adds a reason.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..domain import Rating, rating_label
from ..settings import Settings
from .facts import TrustFacts, difficulty_segments, intensive_segments


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
    """Persistent-difficulty rules; the histories the data lacks are named, not guessed."""
    entries = history[history["event"].isin(s.persistent.history_events)]
    for event in entries.itertuples():
        verb = "entered" if event.event == "entered" else "was recommended for"
        when = " (date unknown)"
        if event.date:
            when = f" on {event.date}" if len(event.date) == 10 else f" in {event.date}"
        reasons.append(f"Persistent difficulty: {verb} {event.regime}{when}")
    if len(entries):
        return True
    months = _months_intensive(t, s)
    if months >= s.persistent.min_months:
        reasons.append(f"Persistent difficulty: in the intensive segment for {months} months "
                       f"({t.quarters_known()})")
        return True
    missing = [
        "no special-measures entry on record (the history file is partial)",
        f"inspection history not known (only the latest inspection is in the data; the rule needs "
        f"{s.persistent.min_inspections} inspections in difficulty)",
        f"{t.quarters_known()}, {months} months of them in the intensive segment (the rule needs "
        f"{s.persistent.min_months})",
        "no record of an earlier buddying",
    ]
    reasons.append("Not shown to be in persistent difficulty: " + "; ".join(missing))
    return False


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
