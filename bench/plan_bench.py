"""Plan benchmark: the shipped national data end to end, and synthetic national-like sets, against issue 17's targets.

Run:  .venv/bin/python -m bench.plan_bench [--sizes 2000,20000] [--seeds 1] [--time-limit 20]
                                           [--hold-tolerance 0.001] [--runs 5]

For each data set it times load, classification, candidate building, the staged solve and the
explanations, and reports each stage's status and its gap to its proven bound. "stages s" is the
solver's stages alone; "explain s" the explanations alone; "load to plan s" everything from
reading the files to the checked, explained plan. Synthetic sets get a budget scaled to their size
(the national £35m times providers / 199), so the budget binds as it does nationally, and run with
``solver.hold_tolerance`` (0.001 by default; the national run is always strict).

The national row also times the whole process, ``python -m matcher propose`` from start to exit,
``--runs`` times (median), next to a peer measured in the same run: the same process importing
the command's modules and doing nothing else, so a loaded machine shows in both figures.
The last table states each target and whether this run met it.
"""
from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import matcher.solve as solve_module
from matcher.errors import BuddyingError
from matcher.model.instance import build_instance
from matcher.pipeline import load_and_classify
from matcher.present.text import render_table
from matcher.result import Plan
from matcher.settings import Settings
from matcher.synthetic import write_dataset

AS_OF = date(2026, 11, 23)
NATIONAL_TRUSTS = 199
GAP_TARGET = 0.001          # every stage within 0.1 % of its proven bound
LOAD_TO_PLAN_TARGET = 60.0  # seconds at 20,000 providers
MEMORY_TARGET_MB = 2048
PROCESS_TARGET = 1.0        # seconds, national propose start to exit (median)
EXPLAIN_TARGET = 15.0 / 4   # seconds at 20,000 providers (a quarter of the 15 s measured before)


def run_one(label: str, data_dir: Path | None, settings: Settings | None, time_limit: float,
            tolerance: float = 0.0) -> tuple[tuple, Plan | None, dict[str, float]]:
    """Time every step of one plan; the table row, the plan, and the figures the targets read."""
    explained: list[float] = []
    original = solve_module.explain

    def timed_explain(*args, **kwargs):
        started = time.perf_counter()
        out = original(*args, **kwargs)
        explained.append(time.perf_counter() - started)
        return out

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
        return ((label, f"{recipients}/{supporters}", "-", f"{t1 - t0:.2f}", "-", "-", "-", "-", "-",
                 "not run: " + str(exc)[:60], _rss()), None, {})
    t2 = time.perf_counter()
    limited = instance.settings.model_copy(update={"solver": instance.settings.solver.model_copy(
        update={"time_limit_s": time_limit, "hold_tolerance": tolerance})})
    instance = instance.__class__(**{**instance.__dict__, "settings": limited})
    solve_module.explain = timed_explain
    try:
        plan = solve_module.propose(instance)
    finally:
        solve_module.explain = original
    t3 = time.perf_counter()
    stages = "; ".join(f"{s.name} {s.status[:4].lower()} gap {s.gap:.3%} {s.seconds:.1f}s" for s in plan.stages)
    solve = sum(s.seconds for s in plan.stages)
    figures = {"load_to_plan": t3 - t0, "explain": explained[0] if explained else float("nan"),
               "gap": plan.largest_gap, "memory": _rss_mb()}
    return ((label, f"{recipients}/{supporters}", f"{len(instance.arcs):,}", f"{t1 - t0:.2f}", f"{t2 - t1:.2f}",
             f"{solve:.2f}", f"{figures['explain']:.2f}", f"{t3 - t0:.2f}", f"{len(plan.pairs)}", stages, _rss()),
            plan, figures)


def process_seconds(runs: int) -> tuple[float, float]:
    """Median seconds of ``python -m matcher propose`` start to exit, and of its peer (imports only)."""
    def median(argv: list[str]) -> float:
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times.append(time.perf_counter() - started)
        return statistics.median(times)
    return (median([sys.executable, "-m", "matcher", "propose"]),
            median([sys.executable, "-c", "import matcher.cli, matcher.cli_plan, matcher.solve"]))


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rss() -> str:
    return f"{_rss_mb():,.0f} MB"


def _met(ok: bool) -> str:
    return "met" if ok else "NOT MET"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,20000",
                        help="synthetic provider counts, comma-separated ('' for none)")
    parser.add_argument("--seeds", default="1", help="synthetic seeds, comma-separated")
    parser.add_argument("--time-limit", type=float, default=20.0, help="seconds per solver stage")
    parser.add_argument("--hold-tolerance", type=float, default=0.001,
                        help="solver.hold_tolerance of the synthetic runs (the national run is always strict)")
    parser.add_argument("--runs", type=int, default=5, help="runs of the national process (median)")
    args = parser.parse_args()
    row, plan, _ = run_one("national (shipped data)", None, None, args.time_limit)
    rows, targets = [row], []
    optimal = plan is not None and plan.status == "OPTIMAL"
    if args.runs:
        process, peer = process_seconds(args.runs)
        targets.append((f"national propose, start to exit, median of {args.runs}", f"{process:.2f} s "
                        f"(peer, imports only: {peer:.2f} s; ratio {process / peer:.2f})",
                        _met(process < PROCESS_TARGET and optimal)))
    with tempfile.TemporaryDirectory() as tmp:
        for size in [int(s) for s in args.sizes.split(",") if s.strip()]:
            for seed in [int(s) for s in args.seeds.split(",") if s.strip()]:
                folder = write_dataset(Path(tmp) / f"synth{size}-{seed}", size, seed)
                budget = Settings().incentives.annual_budget_gbp_m * size / NATIONAL_TRUSTS
                settings = Settings().model_copy(update={"incentives": Settings().incentives.model_copy(
                    update={"annual_budget_gbp_m": budget})})
                label = f"synthetic {size:,} (seed {seed}, tolerance {args.hold_tolerance:g})"
                row, plan, figures = run_one(label, folder, settings, args.time_limit, args.hold_tolerance)
                rows.append(row)
                if not figures:
                    continue
                targets.append((f"{label}: every stage within 0.1 %", f"largest gap {figures['gap']:.3%}",
                                _met(figures["gap"] <= GAP_TARGET)))
                if size >= 20_000:
                    targets.append((f"{label}: load to explained plan", f"{figures['load_to_plan']:.1f} s",
                                    _met(figures["load_to_plan"] <= LOAD_TO_PLAN_TARGET)))
                    targets.append((f"{label}: peak memory", f"{figures['memory']:,.0f} MB",
                                    _met(figures["memory"] <= MEMORY_TARGET_MB)))
                    targets.append((f"{label}: explanations", f"{figures['explain']:.2f} s",
                                    _met(figures["explain"] <= EXPLAIN_TARGET)))
    print(render_table(["data", "recipients/supporters", "arcs", "load+classify s", "candidates s", "stages s",
                        "explain s", "load to plan s", "pairs", "stages", "peak memory"], rows, max_width=120))
    print()
    print(render_table(["target", "this run", ""], targets, max_width=120))


if __name__ == "__main__":
    main()
