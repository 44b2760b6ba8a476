"""``python -m matcher``: classify trusts, check a config, and report on the data.

Every command exits 0 on success and 2 on bad input (a data file, the config, or the
command line), printing a message that names the file, row and column or the config key.
"""
from __future__ import annotations

import importlib
import io
import json
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from typing import ClassVar

import click

from .cli_common import as_of_option, config_option, data_option, progress_option, reports_errors
from .cli_plan import candidates_command, levers_command, propose_command
from .coverage import data_notes, field_coverage
from .domain import display_name
from .pipeline import load_and_classify
from .present.text import render_table
from .settings import DEFAULT_CONFIG_PATH, load_settings


class _LazyGroup(click.Group):
    """A command group whose rarely used commands are imported only when called (``propose`` starts faster)."""

    LAZY: ClassVar[dict[str, tuple[str, str]]] = {"refresh": ("matcher.cli_refresh", "refresh_command"),
                                                  "gap": ("matcher.gap", "gap_command"),
                                                  "outcomes": ("matcher.cli_outcomes", "outcomes_command")}

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command, the lazy ones included."""
        return sorted({*super().list_commands(ctx), *self.LAZY})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command, importing its module first if it is a lazy one."""
        if cmd_name in self.LAZY:
            module, name = self.LAZY[cmd_name]
            command: click.Command = getattr(importlib.import_module(module), name)
            return command
        return super().get_command(ctx, cmd_name)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Buddying: propose and explain support partnerships between NHS trusts."""


@cli.command("classify")
@data_option
@config_option
@as_of_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@reports_errors
def classify_command(data_dir: Path | None, config: Path | None, as_of: date | None, fmt: str) -> None:
    """Classify every open English trust as recipient, supporter or neither, with reasons.

    Example: python -m matcher classify --format json > classification.json
    """
    result = load_and_classify(data_dir, config, as_of)
    if fmt == "json":
        click.echo(json.dumps([c.to_dict() for c in result.classifications], indent=2))
        return
    rows = [(c.code, display_name(c.name), c.sector, c.region, c.role.value, c.persistent, c.mc_supporter, c.severity)
            for c in result.classifications]
    click.echo(render_table(["code", "name", "sector", "region", "role", "persistent", "mc", "severity"], rows))


@cli.command("summary")
@data_option
@config_option
@as_of_option
@reports_errors
def summary_command(data_dir: Path | None, config: Path | None, as_of: date | None) -> None:
    """Counts of recipients and supporters by peer group, the trusts in persistent difficulty, and data caveats.

    Example: python -m matcher summary --as-of 2026-11-23
    """
    result = load_and_classify(data_dir, config, as_of)
    items = result.classifications
    counts = Counter((c.peer_group or "not known", c.role.value) for c in items)
    groups = sorted({c.peer_group or "not known" for c in items})
    roles = ["recipient", "supporter", "neither"]
    rows = [(g.replace("_", " "), *(counts[(g, r)] for r in roles)) for g in groups]
    rows.append(("all", *(sum(counts[(g, r)] for g in groups) for r in roles)))
    click.echo(f"Classification of {len(items)} open English NHS trusts (as of {result.as_of:%d %B %Y})\n")
    click.echo(render_table(["peer group", *roles], rows))
    persistent = [c for c in items if c.persistent]
    mc = [c for c in items if c.mc_supporter]
    click.echo(f"\nIn persistent difficulty ({len(persistent)}): "
               + ", ".join(f"{c.code} {display_name(c.name)}" for c in persistent))
    click.echo(f"Management-contract supporters ({len(mc)}): "
               + ", ".join(f"{c.code} {display_name(c.name)}" for c in mc))
    click.echo("\nAbout the data:")
    for note in data_notes(result.dataset, result.trusts, result.as_of, result.settings.supporter.max_rating_age_years):
        click.echo(f"  - {note}")


@cli.command("check-config")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@reports_errors
def check_config_command(file: Path | None) -> None:
    """Check a policy configuration file (default: config.yaml) and report every problem.

    Example: python -m matcher check-config scenarios/tight-budget.yaml
    """
    load_settings(file)
    click.echo(f"{file or DEFAULT_CONFIG_PATH.name} is valid.")


@cli.command("config-reference")
def config_reference_command() -> None:
    """Print the configuration reference (every key, default and meaning) as a Markdown table for the README.

    Example: python -m matcher config-reference > reference.md
    """
    from .settings import config_reference_markdown

    click.echo(config_reference_markdown(), nl=False)


@cli.command("data")
@data_option
@config_option
@as_of_option
@click.option("--coverage", is_flag=True, help="Show how many trusts have each field.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@reports_errors
def data_command(data_dir: Path | None, config: Path | None, as_of: date | None, coverage: bool, fmt: str) -> None:
    """Check the data files and list their sources; with --coverage, show each field's coverage.

    Example: python -m matcher data --coverage
    """
    result = load_and_classify(data_dir, config, as_of)
    sources = result.dataset.sources
    fields = field_coverage(result.trusts)
    notes = data_notes(result.dataset, result.trusts, result.as_of, result.settings.supporter.max_rating_age_years)
    if fmt == "json":
        click.echo(json.dumps({
            "trusts": len(result.trusts),
            "fingerprint": result.dataset.fingerprint,
            "sources": [s.__dict__ for s in sources],
            "coverage": [{"field": f.field, "present": f.present, "total": f.total, "source": f.source}
                         for f in fields] if coverage else None,
            "notes": notes,
        }, indent=2))
        return
    click.echo(render_table(["dataset", "file", "as of", "layout"],
                            [(s.key, s.file, s.as_of, s.layout) for s in sources], max_width=60))
    click.echo(f"\nAll files are valid: {len(result.trusts)} open English trusts (data fingerprint "
               f"{result.dataset.fingerprint}).")
    if coverage:
        click.echo("")
        click.echo(render_table(["field", "trusts with a value", "share", "from"],
                                [(f.field, f"{f.present} of {f.total}", f"{f.share:.0%}", f.source) for f in fields]))
    click.echo("\nAbout the data:")
    for note in notes:
        click.echo(f"  - {note}")


cli.add_command(propose_command)
cli.add_command(levers_command)
cli.add_command(candidates_command)


@cli.command("synth")
@click.option("--providers", type=click.IntRange(1, 99_999), required=True, help="Number of providers to make.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed (same seed, same files).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder to write the data files and manifest.yaml into.")
@progress_option
@reports_errors
def synth_command(providers: int, seed: int, out_dir: Path, progress: bool | None) -> None:
    """Write a reproducible national-like data set that every other command can load with --data.

    Example: python -m matcher synth --providers 2000 --seed 1 --out /tmp/synth
    && python -m matcher summary --data /tmp/synth
    """
    from .synthetic import write_dataset

    enabled = sys.stderr.isatty() if progress is None else progress
    steps = 14  # seven tables made, seven files written
    with click.progressbar(length=steps, label="Generating", file=sys.stderr if enabled else io.StringIO(),
                           show_eta=False, item_show_func=lambda item: item) as bar:
        folder = write_dataset(out_dir, providers, seed, progress=lambda name: bar.update(1, name))
    click.echo(f"Wrote {providers:,} synthetic providers (seed {seed}) to {folder}")


@cli.command("transparency")
@data_option
@config_option
@as_of_option
@click.option("--format", "fmt", type=click.Choice(["markdown", "json"]), default="markdown", show_default=True)
@reports_errors
def transparency_command(data_dir: Path | None, config: Path | None, as_of: date | None, fmt: str) -> None:
    """The Algorithmic Transparency Recording Standard record of the tool, from the configuration and data in use.

    Tier 1 (overview) and tier 2 (owner, description, decision-making process, data, risks), with
    every data source in the manifest (date and licence) and the configuration hash every run's
    fingerprint carries. The owner is read from BUDDYING_OWNER_ORGANISATION, BUDDYING_OWNER_TEAM,
    BUDDYING_OWNER_SRO and BUDDYING_OWNER_EMAIL.

    Example: python -m matcher transparency --format json > transparency.json
    """
    from .transparency import Owner, build_record, to_markdown

    result = load_and_classify(data_dir, config, as_of)
    record = build_record(result, Owner.from_environment(), date.today())
    click.echo(json.dumps(record.to_dict(), indent=2) if fmt == "json" else to_markdown(record), nl=fmt == "json")
