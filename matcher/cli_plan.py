"""Commands that plan: ``propose`` (and re-match), ``levers`` and ``candidates``."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click

from .candidates import describe_failures, evaluate_pairs, failed_rules
from .cli_common import as_of_option, config_option, data_option, progress_option, reporting_progress, reports_errors
from .dataset import load_dataset
from .domain import KINDS, Kind, display_name
from .errors import BuddyingError
from .ingest.decisions import load_rematch
from .model.export import instance_to_dict
from .pipeline import load_and_classify
from .planning import Prepared, plan
from .present.text import render_plan, render_table
from .settings import load_settings


@click.command("propose")
@data_option
@config_option
@as_of_option
@click.option("--decisions", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="CSV of supporter,recipient,kind,decision (accepted, declined or pending).")
@click.option("--previous", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="A previous plan (JSON from --format json): re-match it with minimal change.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--export-instance", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the exact model the solver saw to this JSON file.")
@click.option("--track-records", is_flag=True,
              help="Read each supporter's track record from the service's database (DATABASE_URL), for "
                   "weights.track_record, as the service's runs do.")
@progress_option
@reports_errors
def propose_command(data_dir, config, as_of: date | None, decisions, previous, fmt: str, export_instance,
                    track_records: bool, progress: bool | None) -> None:
    """Propose partnerships: who supports whom, why, at what cost, and who is left uncovered.

    \b
    Examples:
      python -m matcher propose
      python -m matcher propose --format json > plan.json
      python -m matcher propose --previous plan.json --decisions decisions.csv --format json
      python -m matcher propose --config scenario.yaml --track-records
    """
    with reporting_progress(progress) as step:
        step("Loading the data and the configuration")
        dataset, settings = load_dataset(data_dir), load_settings(config)
        rematch = load_rematch(decisions, previous) if decisions or previous else None
        prepared: list[Prepared] = []

        def keep(inputs: Prepared) -> None:
            prepared.append(inputs)
            if export_instance:
                export_instance.write_text(json.dumps(instance_to_dict(inputs.instance), indent=1), encoding="utf-8")

        records = None
        if track_records:
            step("Reading the track records")
            from .cli_outcomes import net_track_records  # the database layer, only when asked for

            records = net_track_records(as_of or date.today())
        elif settings.weights.track_record > 0:
            click.echo(f"Note: weights.track_record is {settings.weights.track_record:g}, but no track records were "
                       "read, so it changes nothing; pass --track-records to read them from the database.", err=True)
        # Backups (one re-solve a pair) are part of the JSON, which regulators' tools read; the table shows none.
        result = plan(dataset, settings, as_of or date.today(), rematch, progress=step, on_prepared=keep,
                      track_records=records, backups=fmt == "json")
        if fmt == "json":
            click.echo(json.dumps(result.to_dict(), indent=1))
        else:
            click.echo(render_plan(result, prepared[0].classified.trusts))


@click.command("levers")
@data_option
@config_option
@as_of_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@progress_option
@reports_errors
def levers_command(data_dir, config, as_of: date | None, fmt: str, progress: bool | None) -> None:
    """What would cover more: each policy lever moved one notch and the plan solved again.

    The built-in levers (DOMAIN 6.2) and any the configuration adds under 'levers'; for each, the
    coverage gained by severity, the recipients who would gain a partner, the spend, and the quality
    figures that get worse. Most coverage gained first.

    \b
    Examples:
      python -m matcher levers
      python -m matcher levers --config scenario.yaml --format json > levers.json
    """
    from .levers import levers  # with the spreadsheet writer: kept out of propose's start-up
    from .present.levers import render_levers

    with reporting_progress(progress) as step:
        step("Loading the data and the configuration")
        dataset, settings = load_dataset(data_dir), load_settings(config)
        report = levers(dataset, settings, as_of or date.today(),
                        progress=lambda done, total, label: step(f"Lever {done} of {total - 1}: {label}"
                                                                 if done else label))
    click.echo(json.dumps(report.to_dict(), indent=1) if fmt == "json" else render_levers(report))


@click.command("candidates")
@click.argument("code")
@data_option
@config_option
@as_of_option
@click.option("--kind", type=click.Choice([k.value for k in KINDS]), default=None,
              help="Only this kind (default: both).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@reports_errors
def candidates_command(code: str, data_dir, config, as_of, kind, fmt: str) -> None:
    """Who could support trust CODE, as if it were in difficulty now? Every other trust, with the rules it fails.

    Example: python -m matcher candidates RXL --kind management_contract --format json
    """
    result = load_and_classify(data_dir, config, as_of)
    code = code.upper()
    classes = {c.code: c for c in result.classifications}
    if code not in classes:
        raise BuddyingError(f"{code} is not an open English NHS trust in the data")
    others = [c for c in classes if c != code]
    pairs = evaluate_pairs(result.trusts, classes, result.settings, result.as_of, others, [code],
                           [kind] if kind else KINDS, recipient_status_rules=False)
    pairs["eligible"] = pairs["failed"].eq(0)
    pairs = pairs.sort_values(["eligible", "score", "supporter"], ascending=[False, False, True])
    items = []
    for _, row in pairs.iterrows():
        reason = describe_failures(row, result.trusts, result.settings) if row["failed"] else \
            f"eligible for {Kind(row['kind']).plural}"
        items.append({"supporter": row["supporter"], "kind": row["kind"], "eligible": bool(row["eligible"]),
                      "score": int(row["score"]), "fit": float(row["fit"]), "distance_km": float(row["distance_km"]),
                      "failed_rules": failed_rules(int(row["failed"])), "reason": reason})
    if fmt == "json":
        click.echo(json.dumps(items, indent=1))
        return
    names = result.trusts.set_index("code")["name"].map(display_name).to_dict()
    eligible = [i for i in items if i["eligible"]]
    click.echo(f"{len(eligible)} eligible options for {names[code]} ({code}) out of {len(items)} considered.\n")
    click.echo(render_table(["supporter", "", "kind", "eligible", "score", "km", "why not"],
                            [(i["supporter"], names.get(i["supporter"], ""), i["kind"].replace("_", " "), i["eligible"],
                              i["score"], f"{i['distance_km']:.0f}", "" if i["eligible"] else i["reason"])
                             for i in items], max_width=60))
