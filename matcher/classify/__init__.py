"""Classify trusts (DOMAIN §3): recipients, persistent difficulty, supporters, management-contract supporters.

Pure functions from the canonical trust table, the special-measures history, the segment history
and the settings to one ``Classification`` per trust. Every rule that fires, and every rule that
could not be checked for lack of data, adds a sentence to the trust's reasons, so nobody has to
guess why a trust was or was not picked. Missing data is never taken as a pass or a fail.
``difficulty`` holds the recipient rules, ``supporters`` the supporter rules, ``facts`` the data.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

import pandas as pd

from ..domain import Role
from ..settings import Settings
from .difficulty import in_difficulty, persistent, severity
from .facts import QuarterSegment, TrustFacts, programme_entry, segment_history, years_before
from .supporters import mc_supporter, supporter

__all__ = ["Classification", "classify", "classify_trust", "years_before"]


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
    peer_group: str | None = None
    intensive: bool = False

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (role as its string value, reasons as a list)."""
        out = asdict(self)
        out["role"] = self.role.value
        out["reasons"] = list(self.reasons)
        return out


def classify(trusts: pd.DataFrame, history: pd.DataFrame, settings: Settings, as_of: date,
             segments: pd.DataFrame | None = None) -> list[Classification]:
    """Classify every trust in the canonical table, in table order.

    Args:
        trusts: the canonical trust table (``matcher.trusts.build_trust_table``).
        history: special-measures events (``code``, ``event``, ``regime``, ``date``).
        settings: the policy configuration.
        as_of: the date ratings are aged against.
        segments: every loaded quarter of the segmentation (``code``, ``quarter``, ``framework``,
            ``segment``); None when only the current quarter in ``trusts`` is known.
    """
    # Not dict(groupby), which would take the GroupBy's ``keys`` attribute (its column name) for a mapping's.
    events = {code: group for code, group in history.groupby("code")} if len(history) else {}  # noqa: C416
    empty = history.iloc[0:0]
    known = segment_history(segments)
    return [classify_trust(row, events.get(row["code"], empty), settings, as_of, known.get(row["code"]))
            for row in trusts.to_dict("records")]


def classify_trust(trust: Mapping[str, Any], history: pd.DataFrame, settings: Settings, as_of: date,
                   segments: list[QuarterSegment] | None = None) -> Classification:
    """Apply every rule to one trust (a row of the canonical table), its events and its segment history."""
    if segments is None and trust.get("segment") is not None and not pd.isna(trust.get("segment")):
        segments = [QuarterSegment(str(trust.get("segment_quarter")), str(trust.get("segment_framework") or "2025/26"),
                                   int(trust["segment"]))]
    t = TrustFacts(trust, as_of, segments, programme_entry(history, settings))
    reasons: list[str] = []
    difficulty = in_difficulty(t, settings, reasons)
    is_persistent = difficulty.in_difficulty and persistent(t, history, settings, reasons)
    is_supporter = not difficulty.in_difficulty and supporter(t, settings, reasons)
    may_manage = is_supporter and mc_supporter(t, settings, reasons)
    if difficulty.in_difficulty:
        role = Role.RECIPIENT
        reasons.append("Not a supporter: it is in difficulty")
    else:
        role = Role.SUPPORTER if is_supporter else Role.NEITHER
    return Classification(
        code=t.code, name=t.name, sector=trust["sector"], region=trust["region"], role=role,
        persistent=is_persistent, mc_supporter=may_manage,
        severity=severity(difficulty, is_persistent, settings), reasons=tuple(reasons),
        peer_group=t.peer_group, intensive=difficulty.intensive and difficulty.in_difficulty,
    )
