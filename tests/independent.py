"""An independent check of an exported instance: its plan re-solved with HiGHS from the JSON alone.

Nothing of the engine is used: the model is built from ``propose --export-instance``'s JSON (every
arc's coefficients, capacities and load limits, the budget, locks, the spread conflicts and the
group bonuses), each lexicographic stage solved as a MIP and held for the next.
"""
from __future__ import annotations

from typing import Any

import highspy
import numpy as np


def key(item: dict[str, Any]) -> tuple[str, str, str]:
    return item["supporter"], item["recipient"], item["kind"]


def solve_lexicographic(instance: dict[str, Any]) -> dict[str, float]:
    """Coverage (max), then score with pair bonuses (max), then spend (min): each stage's optimum."""
    arcs = instance["arcs"]
    n = len(arcs)
    index = {key(a): i for i, a in enumerate(arcs)}
    bonuses = [(index[key(b["a"])], index[key(b["b"])], b["score"]) for b in instance["pair_bonuses"]]
    m = len(bonuses)
    rows: list[tuple[dict[int, float], float, float]] = []  # (coefficients by column, low, high)
    for r in instance["recipients"]:
        cols = {i: 1.0 for i, a in enumerate(arcs) if a["recipient"] == r["code"]}
        rows.append((cols, 1.0 if r["must_match"] else -highspy.kHighsInf, 1.0))
    for s in instance["supporters"]:
        mine = [i for i, a in enumerate(arcs) if a["supporter"] == s["code"]]
        rows.append(({i: float(arcs[i]["units"]) for i in mine}, -highspy.kHighsInf, float(s["capacity_units"])))
        if s["load_limit_gbp"] is not None:
            rows.append(({i: float(arcs[i]["load_gbp"]) for i in mine}, -highspy.kHighsInf,
                         float(s["load_limit_gbp"])))
    rows.append(({i: float(a["incentive_annual_gbp"]) for i, a in enumerate(arcs)}, -highspy.kHighsInf,
                 float(instance["budget_annual_gbp"])))
    for c in instance["conflicts"]:
        rows.append(({index[key(c["a"])]: 1.0, index[key(c["b"])]: 1.0}, -highspy.kHighsInf, 1.0))
    for k, (a, b, _) in enumerate(bonuses):  # both_k <= x_a, both_k <= x_b
        rows.append(({n + k: 1.0, a: -1.0}, -highspy.kHighsInf, 0.0))
        rows.append(({n + k: 1.0, b: -1.0}, -highspy.kHighsInf, 0.0))
    locked = {index[key(a)] for a in instance["locked"]}
    stages = {
        "coverage": (np.array([a["coverage"] for a in arcs] + [0.0] * m), "max"),
        "score": (np.array([a["score"] for a in arcs] + [s for _, _, s in bonuses], dtype=float), "max"),
        "spend": (np.array([a["incentive_annual_gbp"] for a in arcs] + [0.0] * m, dtype=float), "min"),
    }
    values: dict[str, float] = {}
    for name, (cost, sense) in stages.items():
        values[name] = _solve(n + m, rows, locked, cost, sense)
        held = {i: float(v) for i, v in enumerate(cost) if v}
        tolerance = 1e-6 * max(1.0, abs(values[name]))
        rows.append((held, values[name] - tolerance, highspy.kHighsInf) if sense == "max"
                    else (held, -highspy.kHighsInf, values[name] + tolerance))
    return values


def _solve(columns: int, rows: list, locked: set[int], cost: np.ndarray, sense: str) -> float:
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    lower = [1.0 if i in locked else 0.0 for i in range(columns)]
    highs.addVars(columns, np.array(lower), np.ones(columns))
    highs.changeColsIntegrality(columns, np.arange(columns, dtype=np.int32),
                                np.array([highspy.HighsVarType.kInteger] * columns))
    for cols, low, high in rows:
        idx = np.array(sorted(cols), dtype=np.int32)
        highs.addRow(low, high, len(idx), idx, np.array([cols[i] for i in idx], dtype=float))
    highs.changeColsCost(columns, np.arange(columns, dtype=np.int32), cost)
    highs.changeObjectiveSense(highspy.ObjSense.kMaximize if sense == "max" else highspy.ObjSense.kMinimize)
    highs.run()
    assert highs.getModelStatus() == highspy.HighsModelStatus.kOptimal, highs.getModelStatus()
    return float(highs.getInfo().objective_function_value)
