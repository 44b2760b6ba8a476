"""What would cover more (DOMAIN §6.2): each policy lever moved one notch and the plan solved again.

``levers`` takes a scenario (its settings) and the data, solves the plan as it stands and then
once per lever, each lever on its own (the built-in ones of ``settings.levers`` and those the
scenario adds), through the one planning path (``matcher.plan``), and returns a typed report:
for each lever the coverage gained by severity, the recipients who would gain (or lose) a
partner, the spend, and the §6.1 quality figures that get worse. Pure: no files, no database.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from datetime import date

from .dataset import Dataset
from .domain import display_name
from .errors import BuddyingError, ConfigError, ConfigProblem
from .lever_report import LeverReport, LeverResult, Recipient, Worse
from .planning import Prepared, plan
from .quality import worse_figures
from .result import Plan
from .settings import Settings, settings_from_mapping
from .settings.levers import Move, builtin_moves, custom_move, moved

__all__ = ["LeverReport", "LeverResult", "Recipient", "Worse", "lever_moves", "levers", "moved_settings"]


def lever_moves(settings: Settings) -> list[Move]:
    """The built-in levers for these settings, then each lever the scenario adds (already checked on loading)."""
    raw = settings.model_dump(mode="json")
    moves = builtin_moves(raw)
    for index, lever in enumerate(settings.levers):
        move = custom_move(raw, lever, index)
        if isinstance(move, ConfigProblem):
            raise ConfigError("the scenario", [move])
        moves.append(move)
    return moves


def moved_settings(settings: Settings, move: Move) -> Settings:
    """The settings with one lever moved one notch (checked like any configuration).

    Raises:
        ConfigError: the moved configuration is not valid, naming the key.
    """
    return settings_from_mapping(moved(settings.model_dump(mode="json"), move), f"the lever '{move.label}'")


def levers(dataset: Dataset, settings: Settings, as_of: date, *,
           progress: Callable[[int, int, str], None] | None = None,
           track_records: Mapping[str, int] | None = None) -> LeverReport:
    """Solve the plan as it stands and once per lever; see the module docstring.

    ``progress(done, total, label)`` is told before each solve; ``track_records`` are the supporters'
    track records, given to every solve as they are to a run's (``weights.track_record``).

    Raises:
        BuddyingError: the plan as it stands cannot be made (each lever's own failure is kept on its row).
    """
    started = time.perf_counter()
    moves = lever_moves(settings)
    total = len(moves) + 1
    tell = progress or (lambda done, of, label: None)
    tell(0, total, "The plan as it stands")
    kept: list[Prepared] = []
    base = plan(dataset, settings, as_of, on_prepared=kept.append, explained=False, track_records=track_records)
    trusts = kept[0].classified.trusts
    names = {str(c): display_name(str(n)) for c, n in zip(trusts["code"], trusts["name"], strict=True)}
    labels = _severity_labels(settings)
    results = []
    for number, move in enumerate(moves, start=1):
        tell(number, total, move.label)
        results.append(_one(dataset, settings, as_of, move, base, names, labels, track_records))
    results.sort(key=lambda r: (r.error is not None, -r.coverage_gained, -len(r.gained), r.spend_change, r.label))
    severities = {u.recipient: u.severity for u in base.uncovered}
    return LeverReport(coverage=base.objective.coverage, pairs=len(base.pairs), covered=len(base.pairs),
                       recipients=len(base.pairs) + len(severities), spend=base.objective.spend,
                       budget_annual_gbp=base.budget_annual_gbp, levers=tuple(results),
                       seconds=round(time.perf_counter() - started, 2))


def _one(dataset: Dataset, settings: Settings, as_of: date, move: Move, base: Plan, names: dict[str, str],
         labels: dict[float, str], track_records: Mapping[str, int] | None) -> LeverResult:
    try:
        after = plan(dataset, moved_settings(settings, move), as_of, explained=False, track_records=track_records)
    except BuddyingError as exc:
        return LeverResult(move.id, move.label, move.change_text, move.flag, base.objective.coverage, 0.0, {}, (),
                           (), (), (), len(base.pairs), base.objective.spend, 0, (), error=str(exc))
    before = {p.recipient: p for p in base.pairs}
    now = {p.recipient: p for p in after.pairs}
    severity = {u.recipient: u.severity for u in (*base.uncovered, *after.uncovered)}
    gained = tuple(Recipient(r, names.get(r, r), severity.get(r, 0.0), p.supporter, names.get(p.supporter),
                             p.kind) for r, p in sorted(now.items()) if r not in before)
    lost = tuple(Recipient(r, names.get(r, r), severity.get(r, 0.0)) for r in sorted(before) if r not in now)
    changed = [(r, p) for r, p in sorted(now.items()) if r in before and p.kind != before[r].kind]
    upgraded, downgraded = (
        tuple(Recipient(r, names.get(r, r), labels_weight(settings), p.supporter, names.get(p.supporter), p.kind)
              for r, p in changed if (p.coverage > before[r].coverage) == up) for up in (True, False))
    by_severity: dict[str, int] = {}
    for recipient, sign in [(g, 1) for g in gained] + [(lo, -1) for lo in lost]:
        label = labels.get(recipient.severity, f"severity {recipient.severity:g}")
        by_severity[label] = by_severity.get(label, 0) + sign
    worse = tuple(Worse(*w) for w in worse_figures(base.quality, after.quality)) \
        if base.quality is not None and after.quality is not None else ()
    return LeverResult(move.id, move.label, move.change_text, move.flag, after.objective.coverage,
                       round(after.objective.coverage - base.objective.coverage, 3),
                       {k: v for k, v in by_severity.items() if v}, gained, lost, upgraded, downgraded,
                       len(after.pairs), after.objective.spend, after.objective.spend - base.objective.spend, worse)


def labels_weight(settings: Settings) -> float:
    """The severity of a recipient in persistent difficulty (the only one a management contract upgrades)."""
    return float(settings.weights.persistent)


def _severity_labels(settings: Settings) -> dict[float, str]:
    """Each severity weight in words (DOMAIN §3)."""
    return {float(settings.weights.persistent): "persistent difficulty",
            float(settings.weights.severity): "intensive support or Inadequate", 1.0: "other recipients"}
