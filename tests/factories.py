"""Readable builders for test inputs: one trust row, a history frame, a copy of the shipped data."""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from matcher.dataset import DEFAULT_DATA_DIR

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
