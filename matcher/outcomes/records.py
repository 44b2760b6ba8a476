"""The two records outcomes are computed from: agreements, and what each data refresh observed of each trust."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from ..classify import Classification
from ..domain import Role, rating_label


@dataclass(frozen=True)
class Agreement:
    """A partnership both trusts accepted (or one on record): who, which kind, from when, until when, on whose word.

    ``end`` is None while the agreement is live. ``source`` says where it is recorded (an offer
    accepted in this service, or the page a past partnership is cited from).
    """

    recipient: str
    supporter: str
    kind: str
    start: date
    end: date | None
    source: str

    def live_on(self, day: date) -> bool:
        """Whether the agreement had started and not ended on ``day``."""
        return self.start <= day and (self.end is None or day < self.end)

    def ended_by(self, day: date) -> bool:
        """Whether the agreement had ended on or before ``day``."""
        return self.end is not None and self.end <= day


@dataclass(frozen=True)
class Observation:
    """One trust as one data refresh saw it: oversight segment, CQC overall and well-led, in difficulty or not."""

    code: str
    observed_on: date
    segment: int | None
    overall: int | None
    well_led: int | None
    in_difficulty: bool

    def describe(self) -> str:
        """``segment 4; Requires improvement overall, Inadequate well-led; in difficulty``."""
        segment = f"segment {self.segment}" if self.segment is not None else "segment not known"
        ratings = f"{rating_label(self.overall)} overall, {rating_label(self.well_led)} well-led"
        return f"{segment}; {ratings}; {'in difficulty' if self.in_difficulty else 'not in difficulty'}"


def long_date(day: date) -> str:
    """``6 December 2026``, as GOV.UK writes dates."""
    return f"{day.day} {day:%B %Y}"


def _int_or_none(value: object) -> int | None:
    return None if value is None or pd.isna(value) else int(value)  # type: ignore[call-overload]


def observe(trusts: pd.DataFrame, classifications: tuple[Classification, ...] | list[Classification],
            observed_on: date) -> list[Observation]:
    """What the classified data says of every trust on ``observed_on`` (one observation per trust)."""
    table = trusts.set_index("code")
    out = []
    for item in classifications:
        row = table.loc[item.code]
        out.append(Observation(code=item.code, observed_on=observed_on, segment=_int_or_none(row.get("segment")),
                               overall=_int_or_none(row.get("cqc_overall")),
                               well_led=_int_or_none(row.get("cqc_well_led")),
                               in_difficulty=item.role is Role.RECIPIENT))
    return out
