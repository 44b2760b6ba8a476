"""Best known values of the generated D and E instances, from long runs, kept in ``gap_reference.csv``.

Run ``python -m bench.gap_reference [--time-limit 300] [--solvers highs,engine] [--seeds 1,2,3,4]``. The generated
instances have no published optimum, and measuring a 10 s run against the best value of the
same 10 s runs would flatter both solvers, so ``bench.gap_bench`` compares against this file:
for each instance, the best plan value any long run found and the best proven bound, with
who found each and how long they ran. Each run can only tighten an entry (a better value or
a better bound), so the file records the best evidence so far and is honest about the
remaining gap between value and bound.
"""
from __future__ import annotations

import argparse
import csv
import math
import sys
import tempfile
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from .gap_solvers import run_solver
from .generate_gap import DEFAULT_GENERATED, FAMILIES, parse_size, write_family

REFERENCE_CSV = Path(__file__).resolve().parent / "gap_reference.csv"


@dataclass(frozen=True)
class Reference:
    """The best known value and bound of one generated minimisation instance, with their sources."""

    instance: str
    seed: int
    best_value: int
    value_by: str
    best_bound: float
    bound_by: str

    @property
    def gap_percent(self) -> float:
        """How far the best known value may still be from the optimum, in %."""
        return (self.best_value - self.best_bound) / max(abs(self.best_value), 1) * 100


def read_references(path: Path = REFERENCE_CSV) -> dict[tuple[str, int], Reference]:
    """The reference file as {(instance, seed): Reference}; empty when there is none yet."""
    if not path.exists():
        return {}
    with path.open(newline="") as handle:
        return {(r["instance"], int(r["seed"])): Reference(r["instance"], int(r["seed"]), int(r["best_value"]),
                                                           r["value_by"], float(r["best_bound"]), r["bound_by"])
                for r in csv.DictReader(handle)}


def write_references(references: dict[tuple[str, int], Reference], path: Path = REFERENCE_CSV) -> None:
    """Write the references sorted by seed and instance."""
    fields = ["instance", "seed", "best_value", "value_by", "best_bound", "bound_by"]
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        for key in sorted(references, key=lambda k: (k[1], k[0])):
            row = asdict(references[key])
            row["best_bound"] = f"{row['best_bound']:g}"
            writer.writerow(row)


def tighten(known: Reference | None, record: dict, seed: int, source: str) -> Reference | None:
    """The reference after one solver record: the smaller value and the larger bound win."""
    value, bound = record["objective"], record["bound"]
    if known is None:
        if value is None:
            return None
        known = Reference(record["instance"], seed, value, source, -math.inf, "none")
    if value is not None and value < known.best_value:
        known = replace(known, best_value=value, value_by=source)
    if bound is not None and bound > known.best_bound:
        known = replace(known, best_bound=float(bound), bound_by=source)
    return known


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.gap_reference", description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=300.0, help="seconds per instance (default 300)")
    parser.add_argument("--solvers", default="highs,engine", help="comma-separated: highs, engine")
    parser.add_argument("--families", default=",".join(FAMILIES), help="comma-separated: d, e")
    parser.add_argument("--generated-sizes", default=DEFAULT_GENERATED)
    parser.add_argument("--seeds", default="1", help="comma-separated seeds of the generated instances (default 1)")
    args = parser.parse_args(argv)
    references = read_references()
    sizes = [parse_size(s) for s in args.generated_sizes.split(",")]
    with tempfile.TemporaryDirectory() as scratch:
        for seed in (int(s) for s in args.seeds.split(",")):
            for family in args.families.split(","):
                path = write_family(Path(scratch) / f"gap{family}.txt", family, sizes, seed)
                for solver in args.solvers.split(","):
                    print(f"{solver} on {family} seed {seed}, {args.time_limit:g} s each ...", file=sys.stderr,
                          flush=True)
                    for record in run_solver(solver, (path,), "min", args.time_limit):
                        key = (record["instance"], seed)
                        updated = tighten(references.get(key), record, seed, f"{solver} {args.time_limit:g}s")
                        if updated is not None:
                            references[key] = updated
                        write_references(references)
    for reference in sorted(references.values(), key=lambda r: (r.seed, r.instance)):
        print(f"{reference.instance} seed {reference.seed}: {reference.best_value} ({reference.value_by}), "
              f"bound {reference.best_bound:g} ({reference.bound_by}), gap {reference.gap_percent:.2f} %")


if __name__ == "__main__":
    main()
