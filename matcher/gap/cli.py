"""The ``python -m matcher gap`` command: read every file first, then one JSON line per problem."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..errors import InputError, Problem
from .instance import GapInstance
from .reader import default_sense, read_gap
from .solve import solve_gap


@click.command("gap")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), default=10.0, show_default=True,
              help="Seconds per problem, heuristic start included.")
@click.option("--sense", type=click.Choice(["max", "min"]), default=None,
              help="Maximise or minimise (default: max for gap1..gap12, min for other files).")
def gap_command(files: tuple[Path, ...], time_limit: float, sense: str | None) -> None:
    """Solve OR-Library generalised assignment problems, printing one JSON line per problem.

    Every file is read and checked before any is solved. Each line has the instance name,
    objective, status (OPTIMAL when proven, else FEASIBLE; INFEASIBLE or UNKNOWN, with a null
    objective, when no plan exists or none was found in time), best bound and seconds.

    Example: python -m matcher gap gap1.txt gapa.txt --time-limit 10
    """
    problems: list[Problem] = []
    read: list[tuple[Path, tuple[GapInstance, ...]]] = []
    for path in files:
        try:
            read.append((path, read_gap(path)))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        click.echo(str(InputError(problems)), err=True)
        sys.exit(2)
    for path, instances in read:
        for instance in instances:
            result = solve_gap(instance, sense or default_sense(path), time_limit)
            click.echo(json.dumps(result.to_dict()))
