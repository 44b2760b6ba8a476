"""``python -m matcher refresh``: fetch newer CQC, segmentation and ODS data and swap it in safely."""
from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path

import click

from .cli_common import config_option, data_option, progress_option, reporting_progress, reports_errors
from .cli_outcomes import record_observations
from .dataset import DEFAULT_DATA_DIR
from .outcomes.records import long_date
from .pipeline import load_and_classify
from .refresh import SOURCES, RefreshOptions, cqc, ods, refresh, segmentation


def _progress_bar(items: Iterable[str], label: str) -> Iterable[str]:
    """A progress bar on stderr over the requests of one source."""
    items = list(items)
    with click.progressbar(items, label=label, file=sys.stderr, show_pos=True) as bar:
        yield from bar


def _no_bar(items: Iterable[str], label: str) -> Iterable[str]:
    return items


@click.command("refresh")
@data_option
@config_option
@click.option("--source", "source", type=click.Choice(["cqc", "segmentation", "ods", "all"]), default="all",
              show_default=True, help="Which data to refresh.")
@click.option("--cqc-url", envvar="BUDDYING_CQC_URL", default=cqc.DEFAULT_URL, show_default=True,
              help="Base URL of the CQC public API (env BUDDYING_CQC_URL). The key is read from CQC_API_KEY.")
@click.option("--segmentation-url", envvar="BUDDYING_SEGMENTATION_URL", default=None,
              help="Folder URL where NHS England published the quarter's NHS Oversight Framework CSV files "
                   "(env BUDDYING_SEGMENTATION_URL); required for the segmentation source.")
@click.option("--segmentation-release", envvar="BUDDYING_SEGMENTATION_RELEASE", default=segmentation.DEFAULT_RELEASE,
              show_default=True, help="The release part of the file names, e.g. q3-25-26-v2 "
                                      "(env BUDDYING_SEGMENTATION_RELEASE).")
@click.option("--ods-url", envvar="BUDDYING_ODS_URL", default=ods.DEFAULT_URL, show_default=True,
              help="URL of the ODS etr trust register, zip or CSV (env BUDDYING_ODS_URL).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=30.0, show_default=True,
              help="Seconds to wait for each server to answer.")
@click.option("--dry-run", is_flag=True, help="Download and check everything, but write nothing into the data folder.")
@click.option("--record-outcomes", is_flag=True,
              help="Then record what the new data says of every trust in the service's database (DATABASE_URL), "
                   "to follow agreements to their outcome (python -m matcher outcomes).")
@progress_option
@reports_errors
def refresh_command(data_dir: Path | None, config: Path | None, source: str, cqc_url: str,
                    segmentation_url: str | None, segmentation_release: str, ods_url: str, timeout: float,
                    dry_run: bool, record_outcomes: bool, progress: bool | None) -> None:
    """Fetch newer data, check it with the same loaders, and add it as new dated files.

    Sources: the CQC public API (provider ratings of every open English trust; key from
    CQC_API_KEY), NHS England's NHS Oversight Framework segmentation and league-table CSVs,
    and NHS Digital's ODS etr trust register. Everything is downloaded into a staged copy of
    the data folder and checked there with load_dataset and a classification; only then are the
    new files (e.g. cqc_ratings_2026-11-23.csv) added and manifest.yaml replaced atomically,
    with each refreshed dataset's as_of set to today. On any failure nothing in the data folder
    changes and the command exits 2, naming the source, the URL and the problem.

    \b
    Examples:
      CQC_API_KEY=... python -m matcher refresh --source cqc --dry-run
      python -m matcher refresh --source ods --ods-url https://files.digital.nhs.uk/assets/ods/current/etr.zip
      python -m matcher refresh --source segmentation --segmentation-url https://www.england.nhs.uk/wp-content/uploads/YYYY/MM --segmentation-release q4-25-26
    """  # noqa: E501  each example is one command line, kept whole (\b) to copy
    chosen = SOURCES if source == "all" else (source,)
    options = RefreshOptions(data_dir=data_dir or DEFAULT_DATA_DIR, sources=chosen, cqc_url=cqc_url,
                             cqc_key=os.environ.get(cqc.KEY_ENV) or None, ods_url=ods_url,
                             segmentation_url=segmentation_url, segmentation_release=segmentation_release,
                             timeout=timeout, dry_run=dry_run, config=config)
    shown = sys.stderr.isatty() if progress is None else progress
    with reporting_progress(progress) as step:
        result = refresh(options, echo=step, progress=_progress_bar if shown else _no_bar)
    for note in result.notes:
        click.echo(f"  - {note}")
    verb = "Would add" if not result.written else "Added"
    for key, name in result.files:
        click.echo(f"{verb} {name} ({key}, as of {options.today.isoformat()})")
    if result.written:
        click.echo(f"Updated {options.data_dir.name}/manifest.yaml; "
                   f"{result.trusts} open English trusts load and classify.")
        if record_outcomes:
            count = record_observations(load_and_classify(options.data_dir, config, options.today), options.today)
            click.echo(f"Recorded {count} trusts as of {long_date(options.today)} for outcomes.")
    else:
        click.echo("Dry run: nothing in the data folder was changed.")
