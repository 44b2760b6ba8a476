"""Options and error handling shared by every ``python -m matcher`` command."""
from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

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




def progress_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--progress/--no-progress``: report each step and solver stage on stderr (default: when it is a terminal)."""
    return click.option("--progress/--no-progress", default=None,
                        help="Report steps and solver stages on stderr (default: only on a terminal).")(command)


@contextmanager
def reporting_progress(enabled: bool | None) -> Iterator[Callable[[str], None]]:
    """While the block runs, report progress on stderr if asked (or if stderr is a terminal).

    Yields ``step(text)`` for the command's own steps; the solver's stages come through the
    ``matcher`` logger at INFO level.
    """
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        yield lambda _text: None
        return
    logger, handler = logging.getLogger("matcher"), _ProgressHandler()
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield lambda text: click.echo(text, err=True)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


class _ProgressHandler(logging.Handler):
    """Log records as indented lines on whatever stderr is at the time (click swaps it in tests)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.setFormatter(logging.Formatter("  %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(self.format(record), err=True)
