"""Options and error handling shared by every ``python -m matcher`` command."""
from __future__ import annotations

import functools
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable

import click

from .errors import BuddyingError

EXIT_BAD_INPUT = 2


def reports_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn any ``BuddyingError`` into its message on stderr and exit status 2 (never a traceback)."""
    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except BuddyingError as exc:
            click.echo(str(exc), err=True)
            sys.exit(EXIT_BAD_INPUT)
    return wrapper


def _parse_date(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date; use YYYY-MM-DD") from None


data_option = click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
                           help="Folder with manifest.yaml and the data files (default: data/).")
config_option = click.option("--config", "config", type=click.Path(dir_okay=False, path_type=Path), default=None,
                             help="Policy configuration file (default: config.yaml).")
as_of_option = click.option("--as-of", callback=_parse_date, default=None, metavar="YYYY-MM-DD",
                            help="Date that rating ages are measured at (default: today).")


