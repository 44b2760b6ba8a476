"""Shared test data for the GAP tests: the vendored OR-Library files, their optima, and small instances."""
from __future__ import annotations

import csv
import functools
from pathlib import Path

import numpy as np

from bench.gap_solvers import ORLIB_GAP
from bench.generate_gap import generate
from matcher.gap import GapInstance, read_gap

ORLIB = ORLIB_GAP
TIME_LIMIT_S = 10.0

#: 2 agents x 3 jobs, capacity 5 each. Maximising, 9+8+6 = 23 and 9+8+5 = 22 overload agent 0 and
#: 9+7+6 = 22 overloads agent 1, so the best is 9+7+5 = 21 (jobs 0 and 2 to agent 0). Minimising,
#: 4+7+5 = 16 overloads agent 1, so the cheapest is 4+8+5 = 17 (job 0 to agent 1).
TINY = """1
2 3
9 8 5
4 7 6
3 3 1
3 3 3
5 5
"""


def _optima() -> dict[tuple[str, str], int]:
    with (ORLIB / "optima.csv").open(newline="") as handle:
        return {(row["instance"], row["sense"]): int(row["optimum_or_best_known"]) for row in csv.DictReader(handle)}


OPTIMA = _optima()
GAP_1_TO_12 = [name for (name, sense) in OPTIMA if sense == "max"]


@functools.cache
def instances(file: str) -> dict[str, GapInstance]:
    """Every problem of one vendored file, by name."""
    return {instance.name: instance for instance in read_gap(ORLIB / file)}


def instance(name: str) -> GapInstance:
    """A published problem by its optima.csv name (``gap1-1``, ``c05100``)."""
    if "-" in name:
        return instances(name.split("-")[0] + ".txt")[name]
    return instances(f"gap{name[0]}.txt")[name]


def generated(family: str, agents: int, jobs: int, seed: int) -> GapInstance:
    """A type D or E problem from the benchmark's generator."""
    cost, use, capacity = generate(family, agents, jobs, seed)
    return GapInstance(f"{family}{agents:02d}{jobs}", cost, use, capacity)


def write(tmp_path: Path, text: str, name: str = "bad.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def brute_force(problem: GapInstance) -> int:
    """The cheapest plan's cost by trying every assignment (tiny problems only)."""
    best = None
    for codes in np.ndindex(*(problem.agents,) * problem.jobs):
        plan = np.array(codes)
        if problem.fits(plan) and (best is None or problem.value(plan) < best):
            best = problem.value(plan)
    return best
