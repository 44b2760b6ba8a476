"""Policy pages: scenarios (named, versioned configurations): editing, running and comparing them.

A scenario is edited in a form generated from the configuration model or by uploading YAML, run
as a what-if, and compared with another.
"""
from __future__ import annotations

import re

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from matcher import safe_yaml
from matcher.errors import ConfigError, excerpt
from matcher.present.config_diff import changes
from matcher.present.config_fields import LIST_KINDS, all_fields, form_sections
from matcher.present.config_form import FormValue, form_errors, form_from_yaml, settings_from_form
from matcher.settings import Settings, parse_settings, settings_to_yaml
from matcher.store import jobs
from matcher.store.scenarios import DEFAULT_NAME, latest_versions, save_scenario, settings_of, versions_of
from matcher.store.tables import Run, Scenario

from . import db
from .auth import roles_required

bp = Blueprint("scenarios", __name__, url_prefix="/scenarios")
READERS = ("policy", "regulator")
MAX_UPLOAD = 256 * 1024
SHOWN_PROBLEMS = 10


@bp.get("/")
@roles_required(*READERS)
def index():
    """The newest version of every scenario, its latest run, and a form to compare two."""
    session = db.session()
    items = [(s, _latest_run(s.name)) for s in latest_versions(session)]
    return render_template("scenarios/index.html", items=items, errors={}, upload={})


@bp.get("/<int:scenario_id>")
@roles_required(*READERS)
def show(scenario_id: int):
    """One version: its YAML, its history and its runs."""
    scenario = _scenario(scenario_id)
    session = db.session()
    runs = list(session.scalars(select(Run).join(Scenario).where(Scenario.name == scenario.name)
                                .order_by(Run.id.desc()).limit(20)))
    versions = versions_of(session, scenario.name)
    base = compared_with(scenario, versions)
    unreadable = _problems_of(scenario)
    changed = changes(settings_of(base), settings_of(scenario)) if base and not unreadable and \
        not _problems_of(base) else []
    return render_template("scenarios/show.html", scenario=scenario, versions=versions, runs=runs,
                           base=None if unreadable else base, changed=changed, unreadable=unreadable)


@bp.route("/<int:scenario_id>/edit", methods=["GET", "POST"])
@roles_required("policy")
def edit(scenario_id: int):
    """Edit a version in a form with every setting, its label and its help; saving makes a new version."""
    scenario = _scenario(scenario_id)
    errors: dict[str, str] = {}
    settings, values = _current(scenario)
    sections = form_sections(settings)
    meta = {"name": scenario.name, "note": ""}
    if request.method == "POST":
        values = form_values(request.form)
        meta = {"name": request.form.get("name", "").strip(), "note": request.form.get("note", "").strip()}
        errors = _check_meta(meta)
        try:
            settings = settings_from_form(values, source=f"scenario '{meta['name'] or scenario.name}'")
        except ConfigError as exc:
            errors |= form_errors(exc, values)
        if not errors:
            with db.transaction() as session:
                saved = save_scenario(session, meta["name"], settings_to_yaml(settings), meta["note"], current_user.id)
            return redirect(url_for("scenarios.show", scenario_id=saved.id))
        sections = form_sections(settings, rows=_rows_used(values, errors))
    elif (unreadable := _problems_of(scenario)) is not None:
        errors = unreadable
    return render_template("scenarios/edit.html", scenario=scenario, sections=sections, values=values, meta=meta,
                           errors=errors), 400 if errors and request.method == "POST" else 200


@bp.post("/upload")
@roles_required("policy")
def upload():
    """Save an uploaded YAML configuration as a new version of a scenario."""
    meta = {"name": request.form.get("name", "").strip(), "note": request.form.get("note", "").strip()}
    errors = _check_meta(meta)
    file = request.files.get("file")
    text = ""
    problems: list[str] = []
    if file is None or not file.filename:
        errors["file"] = "Choose a YAML file to upload"
    else:
        raw = file.read(MAX_UPLOAD + 1)
        name = excerpt(file.filename)[1:-1]
        if len(raw) > MAX_UPLOAD:
            errors["file"] = "The file must be smaller than 256 KB"
        else:
            try:
                text = raw.decode("utf-8")
                parse_settings(text, source=file.filename)
                if safe_yaml.load(text) is None:
                    errors["file"] = f"{name} is empty: it must set at least one setting, in the layout of config.yaml"
            except UnicodeDecodeError:
                errors["file"] = "The file must be UTF-8 text (YAML)"
            except ConfigError as exc:
                problems = upload_problems(exc.problems)
                count = len(exc.problems)
                errors["file"] = (f"{name} has {count:,} problem{'s' if count != 1 else ''}: "
                                  "fix each one listed under the file box and upload it again")
    if not errors:
        with db.transaction() as session:
            saved = save_scenario(session, meta["name"], text, meta["note"], current_user.id)
        return redirect(url_for("scenarios.show", scenario_id=saved.id))
    items = [(s, _latest_run(s.name)) for s in latest_versions(db.session())]
    return render_template("scenarios/index.html", items=items, errors=errors, upload=meta,
                           problems=problems), 400


@bp.post("/<int:scenario_id>/what-if")
@roles_required(*READERS)
def what_if(scenario_id: int):
    """Run a scenario as a what-if: the same rules and decisions as a proposal, never published."""
    try:
        with db.transaction() as session:
            if session.get(Scenario, scenario_id) is None:
                abort(404)
            job = jobs.enqueue(session, scenario_id, "what_if", current_user.id)
    except jobs.QueueFull as exc:
        flash(str(exc), "error")
        return redirect(url_for("scenarios.show", scenario_id=scenario_id))
    return redirect(url_for("runs.job", job_id=job.id))


@bp.get("/compare")
@roles_required(*READERS)
def compare():
    """Compare the latest runs of two scenarios (by name)."""
    a, b = request.args.get("a", ""), request.args.get("b", "")
    errors = {}
    runs = {}
    for field, name in (("a", a), ("b", b)):
        run = _latest_run(name) if name else None
        if not name:
            errors[field] = "Select a scenario"
        elif run is None:
            errors[field] = f"'{name}' has not been run yet; run it as a what-if first"
        else:
            runs[field] = run
    if errors:
        items = [(s, _latest_run(s.name)) for s in latest_versions(db.session())]
        return render_template("scenarios/index.html", items=items, errors=errors, upload={}), 400
    return redirect(url_for("runs.compare_runs", a=runs["a"].id, b=runs["b"].id))


def compared_with(scenario: Scenario, versions: list[Scenario]) -> Scenario | None:
    """The version a scenario's changes are shown against: the one before it, else the national default."""
    earlier = [v for v in versions if v.version < scenario.version]
    if earlier:
        return max(earlier, key=lambda v: v.version)
    if scenario.name == DEFAULT_NAME:
        return None
    return db.session().scalar(select(Scenario).where(Scenario.name == DEFAULT_NAME)
                               .order_by(Scenario.version.desc()).limit(1))


def upload_problems(problems) -> list[str]:
    """The problems of an uploaded file, one a line: the first ``SHOWN_PROBLEMS`` and how many more.

    A hostile file can hold thousands of problems; the page says enough to fix the first ones.
    """
    shown = [str(p) for p in problems[:SHOWN_PROBLEMS]]
    more = len(problems) - SHOWN_PROBLEMS
    return shown + ([f"and {more:,} more problems"] if more > 0 else [])


def form_values(form: MultiDict[str, str]) -> dict[str, FormValue]:
    """The posted form as the config form reads it: a list for checkboxes and repeated boxes, else one text."""
    kinds = {f.key: f.kind for f in all_fields()}
    empty: dict[str, FormValue] = {key: [] if kind in LIST_KINDS else "" for key, kind in kinds.items()}
    return empty | {key: form.getlist(key) if kinds.get(key) in LIST_KINDS else form.get(key, "") for key in form}


def _current(scenario: Scenario) -> tuple[Settings, dict[str, FormValue]]:
    """The settings a version's form is built from, and its fields' values (as written, if it no longer passes)."""
    try:
        settings = settings_of(scenario)
    except ConfigError:
        return Settings(), form_from_yaml(scenario.config_yaml)
    return settings, {f.key: f.text for s in form_sections(settings) for f in s.fields}


def _problems_of(scenario: Scenario) -> dict[str, str] | None:
    """Why a stored version no longer passes the checks (saved before a bound existed), in the form's words."""
    try:
        settings_of(scenario)
    except ConfigError:
        form = form_from_yaml(scenario.config_yaml)
        try:
            settings_from_form(form)
        except ConfigError as exc:
            return form_errors(exc, form)
        return {"name": "This version cannot be read; upload a corrected file"}
    return None


def _rows_used(values: dict[str, FormValue], errors: dict[str, str]) -> int:
    """How many rows of a repeated list a refused form must show: every row filled in or with an error."""
    rows = [int(m.group(1)) + 1 for key in [*(k for k, v in values.items() if v), *errors]
            if (m := re.match(r"(?:incentives\.mc\.milestones|levers)\[(\d+)\]", key))]
    return max(rows, default=0)


def _check_meta(meta: dict[str, str]) -> dict[str, str]:
    errors = {}
    if not meta["name"]:
        errors["name"] = "Enter a name for the scenario"
    elif len(meta["name"]) > 80:
        errors["name"] = "Keep the name to 80 characters or fewer"
    if not meta["note"]:
        errors["note"] = "Say what changed and why, so others can follow the history"
    elif len(meta["note"]) > 2000:
        errors["note"] = "Keep the note to 2,000 characters or fewer"
    return errors


def _scenario(scenario_id: int) -> Scenario:
    scenario = db.session().get(Scenario, scenario_id)
    if scenario is None:
        abort(404)
    return scenario


def _latest_run(name: str) -> Run | None:
    return db.session().scalar(select(Run).join(Scenario).where(Scenario.name == name).order_by(Run.id.desc()).limit(1))


