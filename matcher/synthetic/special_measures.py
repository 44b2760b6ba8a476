"""Special-measures history: entry (and some exit) events as often as in the real file."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .columns import COLUMNS
from .providers import Providers
from .reference import Reference
from .sampling import dates_text

_LATEST_EXIT = float(np.datetime64("2025-12-31").astype(int))  # exits are drawn up to the history's end


def special_measures_table(rng: np.random.Generator, ref: Reference, p: Providers, segment: np.ndarray) -> pd.DataFrame:
    """Entered (and for some, exited 1 to 4 years later) events, YYYY-MM-DD.

    Providers get a history as often as real trusts of their segment do; entry dates and regimes
    are those of real entries, and exits as common as in the real file (none for segment 4).
    """
    real = ref.events
    segments = ref.oversight.set_index("org_code")["segment"]
    with_events = segments.index.isin(real["org_code"]) & segments.index.isin(ref.templates["Organisation Code"])
    rate = pd.Series(with_events).groupby(segments.to_numpy()).mean().to_dict()
    chosen = rng.random(len(p.code)) < np.array([rate.get(int(s), 0.0) if not np.isnan(s) else 0.0 for s in segment])
    entered = real[real["event"].eq("entered") & real["days"].notna()]
    exits = real["event"].isin(("exited", "exit_recommended")).sum()
    exit_share = exits / max(1, real["event"].isin(("entered", "entry_recommended")).sum())

    idx = np.flatnonzero(chosen)
    k = len(idx)
    pick = rng.integers(0, len(entered), k)
    # A real entry date; one given as a month or a year becomes a random day within it.
    start = entered["days"].to_numpy()[pick] + np.floor(rng.random(k) * entered["days_long"].to_numpy()[pick])
    end = start + rng.integers(365, 4 * 365 + 1, k)
    leaves = (rng.random(k) < exit_share) & (end <= _LATEST_EXIT) & (segment[idx] != 4)
    regime = entered["regime"].to_numpy()[pick]
    code = np.concatenate([p.code[idx], p.code[idx][leaves]])
    frame = pd.DataFrame({
        "org_code": code,
        "org_name_at_time": np.concatenate([p.display_name[idx], p.display_name[idx][leaves]]),
        "event": ["entered"] * k + ["exited"] * int(leaves.sum()),
        "regime": np.concatenate([regime, regime[leaves]]),
        "event_date": dates_text(np.concatenate([start, end[leaves]])),
        "date_precision": "day",
        "source": "synthetic event (matcher.synthetic)",
    })
    frame = frame.sort_values(["event_date", "org_code"], kind="stable")
    return frame[list(COLUMNS["special_measures"])].reset_index(drop=True)
