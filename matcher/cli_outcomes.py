"""``python -m matcher outcomes``: import past partnerships, record a data refresh, list outcomes (DOMAIN §8).

These commands write to the service's database (``DATABASE_URL``, or the embedded SQLite file),
migrating it first, as every ``python -m web`` command does.
"""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from .cli_common import as_of_option, config_option, data_option, reports_errors
from .dataset import load_dataset
from .domain import display_name
from .ingest.partnerships import load_partnerships
from .outcomes import observe, track
from .outcomes.records import long_date
from .pipeline import load_and_classify
from .present.exports import to_csv
from .present.outcomes import outcomes_table, track_table
from .present.text import render_table
from .store import outcomes as store
from .store.engine import open_database


@click.group("outcomes")
def outcomes_command() -> None:
    r"""Agreements, what became of them, and each supporter's track record (in the service's database).

    \b
    Example:
      python -m matcher outcomes import past_partnerships.csv
      python -m matcher outcomes record --as-of 2026-12-31
      python -m matcher outcomes list
    """


@outcomes_command.command("import")
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@data_option
@reports_errors
def import_command(file: Path, data_dir: Path | None) -> None:
    """Import past partnerships from a CSV file (recipient,supporter,kind,start,end,source), all rows or none.

    Every row is checked first (missing column, unknown trust code or kind, bad date, end before start,
    duplicate row, already on record); any problem is reported by file, row and column and nothing is added.

    Example: python -m matcher outcomes import past_partnerships.csv
    """
    codes = set(load_dataset(data_dir)["register"]["code"])  # closed trusts too: past partners may have merged
    agreements = load_partnerships(file, codes)
    engine, sessions = open_database()
    try:
        with sessions.begin() as session:
            added = store.import_agreements(session, agreements, file.name, None)
    finally:
        engine.dispose()
    click.echo(f"Imported {added} partnerships from {file.name}.")


@outcomes_command.command("record")
@data_option
@config_option
@as_of_option
@reports_errors
def record_command(data_dir: Path | None, config: Path | None, as_of: date | None) -> None:
    """Record what the data says of every trust today (or --as-of), for following agreements to their outcome.

    ``python -m matcher refresh --record-outcomes`` does this after every refresh; run it by hand after
    placing a new quarter's files in the data folder yourself. Recording the same date again replaces it.

    Example: python -m matcher outcomes record --as-of 2026-12-31
    """
    result = load_and_classify(data_dir, config, as_of)
    count = record_observations(result, result.as_of)
    click.echo(f"Recorded {count} trusts as of {long_date(result.as_of)} (data fingerprint "
               f"{result.dataset.fingerprint}).")


def record_observations(result, observed_on: date) -> int:
    """Keep what the classified data says of every trust on ``observed_on`` in the service's database."""
    engine, sessions = open_database()
    try:
        with sessions.begin() as session:
            return store.record_observations(session, observe(result.trusts, result.classifications, observed_on),
                                             result.dataset.fingerprint)
    finally:
        engine.dispose()


def net_track_records(today: date) -> dict[str, int]:
    """Each supporter's track record (ended out of difficulty less still in it) from the service's database."""
    engine, sessions = open_database()
    try:
        with sessions() as session:
            return {code: record.net for code, record in store.track_records(session, today).items()}
    finally:
        engine.dispose()


@outcomes_command.command("list")
@data_option
@as_of_option
@click.option("--format", "fmt", type=click.Choice(["table", "csv"]), default="table", show_default=True)
@reports_errors
def list_command(data_dir: Path | None, as_of: date | None, fmt: str) -> None:
    """Every agreement followed to date, and each supporter's track record.

    Example: python -m matcher outcomes list --format csv > outcomes.csv
    """
    result = load_and_classify(data_dir, None, as_of)
    names = {code: display_name(name) for code, name in zip(result.trusts["code"], result.trusts["name"],
                                                             strict=True)}
    engine, sessions = open_database()
    try:
        with sessions() as session:
            followed = store.followed(session, result.as_of)
    finally:
        engine.dispose()
    table = outcomes_table(followed, names)
    if fmt == "csv":
        sys.stdout.buffer.write(to_csv(table))
        return
    click.echo(render_table(["recipient", "supporter", "kind", "start", "end", "status", "outcome", "warning"],
                            [(r[0], r[2], r[4], r[5], r[6], r[7], r[11], r[13]) for r in table.rows]))
    click.echo("\nTrack records:")
    click.echo(render_table(["supporter", "out of difficulty", "still in difficulty", "not yet known", "live"],
                            [r[0:1] + r[2:] for r in track_table(track(followed), names).rows]))
