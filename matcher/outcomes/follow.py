"""Follow each agreement to its outcome: the recipient at start, 12 and 24 months, and whether it left difficulty.

Observations come from data refreshes, so they fall on refresh dates, not anniversaries:
- **at start**: the latest observation on or before the start date, else the first one within
  ``START_GRACE_DAYS`` after it (the data that arrived as the agreement began);
- **at 12 months**: the first observation on or after the first anniversary and before the second;
- **at 24 months**: the first observation on or after the second anniversary;
- **outcome**: the latest observation after the start, up to the first one on or after the end for an
  agreement that has ended; the recipient **left difficulty** when that observation no longer finds it
  in difficulty. With no observation after the start, the outcome is not yet known.

A supporter whose own segment falls (a higher number), or which falls into difficulty, while an agreement
is live is flagged: the overstretch warning.
"""
from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from .records import Agreement, Observation, long_date

START_GRACE_DAYS = 92  # one quarter: a refresh at most this long after the start still shows the state at start


@dataclass(frozen=True)
class Mark:
    """The recipient at one point of an agreement (None: no data refresh observed it then)."""

    label: str
    observation: Observation | None


@dataclass(frozen=True)
class Outcome:
    """One agreement followed to date."""

    agreement: Agreement
    status: str  # "live" or "ended"
    marks: tuple[Mark, ...]  # at start, at 12 months, at 24 months
    latest: Observation | None
    left_difficulty: bool | None  # None: not yet known
    overstretch: str | None  # the warning's words, when the supporter fell while supporting

    @property
    def result(self) -> str:
        """``out of difficulty``, ``still in difficulty`` or ``not yet known``, as of the latest observation."""
        if self.left_difficulty is None:
            return "not yet known"
        return "out of difficulty" if self.left_difficulty else "still in difficulty"


def add_months(day: date, months: int) -> date:
    """``day`` plus whole months (the 31st becomes the month's last day where needed)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _by_code(observations: Iterable[Observation]) -> dict[str, list[Observation]]:
    out: dict[str, list[Observation]] = defaultdict(list)
    for item in observations:
        out[item.code].append(item)
    for items in out.values():
        items.sort(key=lambda o: o.observed_on)
    return out


def _at_start(items: list[Observation], start: date) -> Observation | None:
    before = [o for o in items if o.observed_on <= start]
    if before:
        return before[-1]
    return next((o for o in items if o.observed_on <= start + timedelta(days=START_GRACE_DAYS)), None)


def _first_between(items: list[Observation], low: date, high: date | None) -> Observation | None:
    return next((o for o in items if o.observed_on >= low and (high is None or o.observed_on < high)), None)


def _latest(items: list[Observation], agreement: Agreement) -> Observation | None:
    after = [o for o in items if o.observed_on > agreement.start]
    if agreement.end is not None:
        end = agreement.end
        first_after_end = next((o for o in after if o.observed_on >= end), None)
        after = [o for o in after if o.observed_on < end] + ([first_after_end] if first_after_end else [])
    return after[-1] if after else None


def _overstretch(items: list[Observation], agreement: Agreement, today: date) -> str | None:
    """The warning's words when the supporter's own segment fell, or it fell into difficulty, during the agreement."""
    start = _at_start(items, agreement.start)
    if start is None:
        return None
    last = agreement.end if agreement.end is not None else today
    for later in (o for o in items if start.observed_on < o.observed_on <= last):
        fell = start.segment is not None and later.segment is not None and later.segment > start.segment
        if fell or (later.in_difficulty and not start.in_difficulty):
            change = (f"its segment fell from {start.segment} to {later.segment}" if fell
                      else "it was itself found in difficulty")
            return (f"{agreement.supporter} may be overstretched: {change} (data of {long_date(later.observed_on)}) "
                    f"while supporting {agreement.recipient}")
    return None


def follow(agreements: Iterable[Agreement], observations: Iterable[Observation], today: date) -> list[Outcome]:
    """Every agreement followed to ``today``, in start order (oldest first)."""
    seen = _by_code(observations)
    out = []
    for agreement in sorted(agreements, key=lambda a: (a.start, a.recipient, a.supporter)):
        items = seen.get(agreement.recipient, [])
        marks = (Mark("at start", _at_start(items, agreement.start)),
                 Mark("at 12 months", _first_between(items, add_months(agreement.start, 12),
                                                     add_months(agreement.start, 24))),
                 Mark("at 24 months", _first_between(items, add_months(agreement.start, 24), None)))
        latest = _latest(items, agreement)
        out.append(Outcome(agreement=agreement, status="ended" if agreement.ended_by(today) else "live", marks=marks,
                           latest=latest, left_difficulty=None if latest is None else not latest.in_difficulty,
                           overstretch=_overstretch(seen.get(agreement.supporter, []), agreement, today)))
    return out
