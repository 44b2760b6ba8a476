"""Readable builders for test inputs: one trust row, a history frame, a copy of the shipped data."""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from matcher.dataset import DEFAULT_DATA_DIR
from matcher.result import Plan

AS_OF = date(2026, 11, 23)

OUTSTANDING, GOOD, RI, INADEQUATE = 4, 3, 2, 1


def make_trust(**overrides: Any) -> dict[str, Any]:
    """A canonical trust row: an acute trust in segment 3, rated Good in 2024, not in deficit."""
    trust = {
        "code": "RAA", "name": "EXAMPLE HOSPITALS NHS TRUST", "sector": "acute", "region": "Midlands",
        "segment": 3, "segment_quarter": "Q3 2025/26",
        "cqc_overall": GOOD, "cqc_well_led": GOOD, "cqc_published": date(2024, 1, 10), "cqc_location": "RAA01",
        "league_rank": 60, "league_size": 100, "deficit": 0, "deficit_source": "oversight segmentation Q3 2025/26",
    }
    trust.update(overrides)
    return trust


def make_history(*events: tuple[str, str, str, str]) -> pd.DataFrame:
    """Special-measures events as (code, event, regime, date)."""
    return pd.DataFrame(events, columns=["code", "event", "regime", "date"])


def copy_shipped_data(target: Path) -> Path:
    """Copy ``data/`` into ``target`` so a test can spoil one file without touching the real one."""
    shutil.copytree(DEFAULT_DATA_DIR, target)
    return target


def make_instance(arcs: list[tuple], *, capacity: dict[str, int] | None = None,
                  severity: dict[str, float] | None = None, persistent: set[str] = frozenset(),
                  must_match: set[str] = frozenset(), budget: int = 10**9, locked=(), exclusions=(),
                  pending=(), disruption_budget: int | None = None):
    """A ``MatchInstance`` from arcs written as (supporter, recipient, kind, units, score, annual cost).

    Recipients default to severity 1 and supporters to 2 units; coverage follows the real rule
    (a buddying of a persistent recipient counts half).
    """
    from matcher.domain import COVERAGE_SCALE, Pair
    from matcher.model.instance import MatchInstance
    from matcher.settings import Settings

    settings = Settings()
    severity = dict(severity or {})
    frame = pd.DataFrame(arcs, columns=["supporter", "recipient", "kind", "units", "score", "incentive_annual_gbp"])
    recipients = sorted(set(frame["recipient"]) | set(severity) | set(must_match))
    supporters = sorted(set(frame["supporter"]) | set(capacity or {}))
    sev = {r: float(severity.get(r, 1.0)) for r in recipients}
    frame["coverage"] = [sev[r] * (settings.weights.buddy_for_persistent if k == "buddy" and r in persistent else 1.0)
                         for r, k in zip(frame["recipient"], frame["kind"], strict=True)]
    frame["coverage_points"] = (frame["coverage"] * COVERAGE_SCALE).round().astype("int64")
    frame["incentive_term_gbp"] = frame["incentive_annual_gbp"] * 2
    frame["fit"] = frame["score"] / 100
    frame["distance_km"] = 10.0
    frame["failed"] = 0
    frame["size_ratio"] = 1.0
    locked_pairs = tuple(Pair(*p) for p in locked)
    frame["locked"] = [Pair(s, r, k) in locked_pairs
                       for s, r, k in zip(frame["supporter"], frame["recipient"], frame["kind"], strict=True)]
    from matcher.fit import term_columns
    for column in term_columns(settings):
        frame[column] = 0.0
    cap = dict.fromkeys(supporters, 2) | dict(capacity or {})
    trusts = pd.DataFrame({"code": supporters + recipients, "name": [f"TRUST {c}" for c in supporters + recipients],
                           "sector": "acute", "region": "Midlands"})
    return MatchInstance(
        supporters=pd.DataFrame({"code": supporters, "capacity_units": [cap[s] for s in supporters]}),
        recipients=pd.DataFrame({"code": recipients, "severity": [sev[r] for r in recipients],
                                 "persistent": [r in persistent for r in recipients],
                                 "intensive": [r in must_match for r in recipients],
                                 "must_match": [r in must_match for r in recipients]}),
        arcs=frame, rejected=frame.iloc[0:0].copy(), budget_annual_gbp=budget, locked=locked_pairs,
        exclusions=tuple(exclusions), pending=tuple(Pair(*p) for p in pending), disruption_budget=disruption_budget,
        settings=settings, trusts=trusts,
    )


def typed_plan(data: dict[str, Any]) -> Plan:
    """A typed plan from the few fields a test cares about; every other field gets a plain default."""
    pair_defaults = {"kind": "buddy", "units": 1, "fit": 1.0, "distance_km": 10.0, "score": 100,
                     "incentive_annual_gbp": 0, "incentive_term_gbp": 0, "coverage": 1.0, "explanation": "",
                     "fit_breakdown": {}, "alternatives": [], "locked": False}
    pairs = [pair_defaults | p for p in data.get("pairs", [])]
    uncovered = [{"reasons": [], "alternatives": []} | u for u in data.get("uncovered", [])]
    objective = {"coverage": sum(p["coverage"] for p in pairs), "score": sum(p["score"] for p in pairs),
                 "spend": sum(p["incentive_annual_gbp"] for p in pairs)}
    fingerprint = {"data": "", "config": "", "solver": "", "seed": 0, "workers": 1, "as_of": ""}
    full = {"status": "OPTIMAL", "objective": objective, "supporters": [], "stages": [], "budget_annual_gbp": 0,
            "fingerprint": fingerprint} | data | {"pairs": pairs, "uncovered": uncovered}
    return Plan.from_dict(full)
