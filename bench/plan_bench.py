"""Plan benchmark: the shipped national data end to end, and synthetic national-like sets.

Run:  .venv/bin/python -m bench.plan_bench [--sizes 2000,20000] [--time-limit 20] [--seed 1]

For each data set it times load, classification, candidate building, the staged solve and the
explanations, and reports each stage's status and gap. "stages s" is the solver's stages alone
(the sum of the per-stage times); "solve+explain s" adds building the core problem, validation
and the explanations. Synthetic sets get a budget scaled to
their size (the national £35m times providers / 199), so the budget binds as it does nationally.
"""
from __future__ import annotations

import argparse
import resource
import tempfile
import time
from datetime import date
from pathlib import Path

from matcher.errors import BuddyingError
from matcher.model.instance import build_instance
from matcher.pipeline import load_and_classify
from matcher.present.text import render_table
from matcher.settings import Settings
from matcher.solve import propose
from matcher.synthetic import write_dataset

AS_OF = date(2026, 11, 23)
NATIONAL_TRUSTS = 199


def run_one(label: str, data_dir: Path | None, settings: Settings | None, time_limit: float,
            tolerance: float = 0.0) -> tuple:
    """Time every step of one plan; returns a table row."""
    t0 = time.perf_counter()
    classified = load_and_classify(data_dir, None, AS_OF)
    if settings is not None:
        classified = classified.__class__(classified.dataset, settings, classified.trusts,
                                          classified.classifications, classified.as_of)
    t1 = time.perf_counter()
    recipients = sum(c.role.value == "recipient" for c in classified.classifications)
    supporters = sum(c.role.value == "supporter" for c in classified.classifications)
    try:
        instance = build_instance(classified)
    except BuddyingError as exc:
        return (label, f"{recipients}/{supporters}", "-", f"{t1 - t0:.2f}", "-", "-", "-", "-",
                "not run: " + str(exc)[:60], _rss())
    t2 = time.perf_counter()
    limited = instance.settings.model_copy(update={"solver": instance.settings.solver.model_copy(
        update={"time_limit_s": time_limit, "hold_tolerance": tolerance})})
    instance = instance.__class__(**{**instance.__dict__, "settings": limited})
    plan = propose(instance)
    t3 = time.perf_counter()
    stages = "; ".join(f"{s.name} {s.status[:4].lower()} gap {s.gap:.3%} {s.seconds:.1f}s"
                       for s in plan.stages)
    solve = sum(s.seconds for s in plan.stages)
    return (label, f"{recipients}/{supporters}", f"{len(instance.arcs):,}", f"{t1 - t0:.2f}", f"{t2 - t1:.2f}",
            f"{solve:.2f}", f"{t3 - t2:.2f}", f"{len(plan.pairs)}", stages, _rss())


def _rss() -> str:
    return f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,20000",
                        help="synthetic provider counts, comma-separated ('' for none)")
    parser.add_argument("--time-limit", type=float, default=20.0, help="seconds per solver stage")
    parser.add_argument("--seeds", default="1", help="synthetic seeds, comma-separated")
    parser.add_argument("--hold-tolerance", type=float, default=0.001,
                        help="solver.hold_tolerance of the synthetic runs (the national run is always strict)")
    args = parser.parse_args()
    rows = [run_one("national (shipped data)", None, None, args.time_limit)]
    with tempfile.TemporaryDirectory() as tmp:
        for size in [int(s) for s in args.sizes.split(",") if s.strip()]:
            for seed in [int(s) for s in args.seeds.split(",") if s.strip()]:
                folder = write_dataset(Path(tmp) / f"synth{size}-{seed}", size, seed)
                budget = Settings().incentives.annual_budget_gbp_m * size / NATIONAL_TRUSTS
                settings = Settings().model_copy(update={"incentives": Settings().incentives.model_copy(
                    update={"annual_budget_gbp_m": budget})})
                rows.append(run_one(f"synthetic {size:,} (seed {seed})", folder, settings, args.time_limit,
                                    args.hold_tolerance))
    print(render_table(["data", "recipients/supporters", "arcs", "load+classify s", "candidates s", "stages s",
                        "solve+explain s", "pairs", "stages", "peak memory"], rows, max_width=120))


if __name__ == "__main__":
    main()
