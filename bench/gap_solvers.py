"""Run the engine or HiGHS over GAP files, each in its own subprocess, and collect their JSON lines.

Separate processes because OR-Tools and highspy each ship a libhighs and the second one
imported fails; it also keeps one solver's threads and memory from touching the other's time.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: The vendored OR-Library GAP files and their optima (see its README.md); tests and benchmarks read only these.
ORLIB_GAP = ROOT / "bench" / "instances" / "orlib-gap"


def run_solver(solver: str, files: tuple[Path, ...], sense: str, time_limit: float) -> list[dict]:
    """Run one solver in a subprocess over the files; its JSON records, one per problem."""
    options = ["--time-limit", str(time_limit), "--sense", sense]
    if solver == "engine":
        command = [sys.executable, "-m", "matcher", "gap", *map(str, files), *options]
    else:
        command = [sys.executable, "-m", "bench.highs_gap", *map(str, files), *options]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False,
                          timeout=120 * len(files) + 40 * time_limit * len(files))
    if done.returncode != 0:
        raise SystemExit(f"{solver} failed on {', '.join(f.name for f in files)}:\n{done.stderr}")
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
