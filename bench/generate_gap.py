"""Generate the hard GAP families from their published recipes, written in OR-Library format.

Type D (Chu & Beasley 1997): use a_ij ~ U[1,100], cost c_ij = 111 - a_ij + e_ij with
e_ij ~ U[-10,10] (both integer), capacity b_i = 0.8 * sum_j a_ij / m. Costs fall as uses rise,
so cheap pairs are the ones that fill agents up.

Type E (Laguna, Kelly, Gonzalez-Velarde & Glover 1995): a_ij = 1 - 10 ln(U(0,1]),
c_ij = 1000 / a_ij - 10 U[0,1], b_i = 0.8 * sum_j a_ij / m.

Both are minimisation problems. Real values are truncated to integers as the usual generators
do. There is no published optimum for these instances: the benchmark compares against the
best value known from long runs (``bench.gap_reference``).
``python -m bench.generate_gap d 10x100 20x200 --seed 1 -o gapd.txt`` writes one file holding a
problem per size.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

FAMILIES = ("d", "e")
#: The sizes (agents x jobs) the benchmark generates, as in Chu & Beasley's D set.
DEFAULT_GENERATED = "5x100,10x100,20x100,10x200,20x200"


def generate(family: str, agents: int, jobs: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Costs, uses (agents x jobs) and capacities of one seeded type D or E problem."""
    rng = np.random.default_rng([seed, agents, jobs, FAMILIES.index(family)])
    if family == "d":
        use = rng.integers(1, 101, size=(agents, jobs))
        cost = 111 - use + rng.integers(-10, 11, size=(agents, jobs))
    elif family == "e":
        use = np.trunc(1 - 10 * np.log(1 - rng.random((agents, jobs)))).astype(np.int64)   # 1 - random() is in (0, 1]
        cost = np.trunc(1000 / use - 10 * rng.random((agents, jobs))).astype(np.int64)
    else:
        raise ValueError(f"family must be one of {FAMILIES}, not {family!r}")
    capacity = np.trunc(0.8 * use.sum(axis=1) / agents).astype(np.int64)
    return cost.astype(np.int64), use.astype(np.int64), capacity


def to_orlib(problems: list[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> str:
    """The problems as the text of one OR-Library GAP file."""
    lines = [str(len(problems))]
    for cost, use, capacity in problems:
        lines.append(f"{cost.shape[0]} {cost.shape[1]}")
        lines.extend(" ".join(map(str, row)) for row in (*cost, *use))
        lines.append(" ".join(map(str, capacity)))
    return "\n".join(lines) + "\n"


def write_family(path: str | Path, family: str, sizes: list[tuple[int, int]], seed: int) -> Path:
    """Write one file with a ``family`` problem per (agents, jobs) size; return its path."""
    path = Path(path)
    path.write_text(to_orlib([generate(family, m, n, seed) for m, n in sizes]), encoding="utf-8")
    return path


def parse_size(text: str) -> tuple[int, int]:
    """``10x200`` -> (10, 200)."""
    agents, _, jobs = text.lower().partition("x")
    return int(agents), int(jobs)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.generate_gap", description=__doc__.splitlines()[0])
    parser.add_argument("family", choices=FAMILIES)
    parser.add_argument("sizes", nargs="+", type=parse_size, help="agents x jobs, e.g. 10x100")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output", required=True, help="file to write (name it gapd.txt / gape.txt "
                                                                "for instance names like d10100)")
    args = parser.parse_args(argv)
    print(write_family(args.output, args.family, args.sizes, args.seed))


if __name__ == "__main__":
    main()
