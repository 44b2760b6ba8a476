"""Solve OR-Library GAP files with HiGHS, the open-source MIP baseline for ``bench.gap_bench``.

Run as ``python -m bench.highs_gap FILE... [--time-limit S] [--sense max|min]``; it prints
one JSON line per problem in the same shape as ``python -m matcher gap``. It must run in its
own process: OR-Tools and highspy each ship a libhighs and the second one imported fails, so
this module never imports OR-Tools (``matcher.gap`` loads it only when solving).

Formulation: binary x[i][j]; each job to exactly one agent; sum_j use[i][j] x[i][j] <= capacity[i].
``seconds`` covers building the model and solving, as the engine's does.
"""
from __future__ import annotations

import argparse
import json
import time

import highspy
import numpy as np

from matcher.gap import GapInstance, default_sense, read_gap


def solve_highs(instance: GapInstance, sense: str, time_limit_s: float) -> dict:
    """Solve one instance with HiGHS within its own time limit; the ``gap`` JSON record."""
    started = time.perf_counter()
    m, n = instance.agents, instance.jobs
    columns = m * n                                            # column i * n + j gives job j to agent i
    agent, job = np.divmod(np.arange(columns), n)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = columns, n + m
    lp.col_cost_ = instance.cost.ravel().astype(float)
    lp.col_lower_, lp.col_upper_ = np.zeros(columns), np.ones(columns)
    lp.row_lower_ = np.r_[np.ones(n), np.full(m, -highspy.kHighsInf)]
    lp.row_upper_ = np.r_[np.ones(n), instance.capacity.astype(float)]
    index = np.empty(2 * columns, dtype=np.int32)
    value = np.empty(2 * columns)
    index[0::2], index[1::2] = job, n + agent                  # its job's row, then its agent's capacity row
    value[0::2], value[1::2] = 1.0, instance.use.ravel()
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.arange(0, 2 * columns + 1, 2, dtype=np.int32)
    lp.a_matrix_.index_, lp.a_matrix_.value_ = index, value
    lp.integrality_ = [highspy.HighsVarType.kInteger] * columns
    lp.sense_ = highspy.ObjSense.kMaximize if sense == "max" else highspy.ObjSense.kMinimize
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("time_limit", float(max(time_limit_s - (time.perf_counter() - started), 0.01)))
    highs.setOptionValue("mip_rel_gap", 0.0)                   # prove optimality, as CP-SAT does
    highs.passModel(lp)
    highs.run()
    seconds = time.perf_counter() - started
    model_status = highs.getModelStatus()
    info = highs.getInfo()
    has_plan = info.primal_solution_status == 2                # kSolutionStatusFeasible
    if model_status == highspy.HighsModelStatus.kOptimal:
        status = "OPTIMAL"
    elif has_plan:
        status = "FEASIBLE"
    elif model_status == highspy.HighsModelStatus.kInfeasible:
        status = "INFEASIBLE"
    else:
        status = "UNKNOWN"
    objective = None
    if has_plan:
        x = np.asarray(highs.getSolution().col_value).reshape(m, n)
        objective = instance.value(x.argmax(axis=0))
    bound = info.mip_dual_bound if has_plan else None
    if bound is not None:
        bound = round(bound) if abs(bound - round(bound)) < 1e-6 else bound
    return {"instance": instance.name, "objective": objective, "status": status, "bound": bound,
            "seconds": round(seconds, 3)}


def main(argv: list[str] | None = None) -> None:
    """Print one JSON line per problem of each file."""
    parser = argparse.ArgumentParser(prog="python -m bench.highs_gap", description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+")
    parser.add_argument("--time-limit", type=float, default=10.0, help="seconds per problem (default 10)")
    parser.add_argument("--sense", choices=["max", "min"], default=None,
                        help="default: max for gap1..gap12, min otherwise")
    args = parser.parse_args(argv)
    for file in args.files:
        for instance in read_gap(file):
            print(json.dumps(solve_highs(instance, args.sense or default_sense(file), args.time_limit)), flush=True)


if __name__ == "__main__":
    main()
