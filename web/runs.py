"""Runs: progress, the proposal table, a pair's explanation, the uncovered, history and comparisons.

That is the progress of a queued run, the proposal table, a pair's explanation, the uncovered
recipients, run history, and the comparison of two runs. Regulators and policy staff read these;
only regulators publish.
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from matcher.present.charts import coverage_by_region, distance_distribution, spend_against_budget
from matcher.present.compare import compare, summarise
from matcher.present.mapping import ATTRIBUTION, plan_map
from matcher.present.rematch_changes import RematchChanges, rematch_changes
from matcher.result import Plan
from matcher.store import jobs, workers
from matcher.store.offers import ruled_out, unwilling
from matcher.store.runs import recent_runs
from matcher.store.tables import Job, Offer, Run

from . import cache, data, db
from .auth import roles_required
from .ids import form_id

bp = Blueprint("runs", __name__)
READERS = ("regulator", "policy")
SORTS = {"recipient": lambda p: p.recipient, "supporter": lambda p: p.supporter, "kind": lambda p: p.kind,
         "distance": lambda p: p.distance_km, "fit": lambda p: p.fit, "score": lambda p: p.score,
         "incentive": lambda p: p.incentive_annual_gbp}
REFRESH_SECONDS = 2
PUBLISHED = select(Run.published_at).where(Run.id == bindparam("run_id"))  # built once: asked on every view


@bp.get("/runs")
@roles_required(*READERS)
def index():
    """Every run, newest first, with a form to compare any two."""
    return render_template("runs/index.html", runs=recent_runs(db.session(), limit=200))


@bp.get("/jobs/<int:job_id>")
@roles_required(*READERS)
def job(job_id: int):
    """A run's progress; the page refreshes itself (no JavaScript needed) until the run is done.

    A run whose worker has stopped is marked failed here too, so the page never waits for ever
    even when no worker is left to notice.
    """
    with db.transaction() as session:
        jobs.reap_stale(session)
    item = db.session().get(Job, job_id)
    if item is None:
        abort(404)
    if item.status == "succeeded" and item.run is not None:
        return redirect(url_for("runs.show", run_id=item.run.id))
    if item.status == "succeeded" and item.levers_of is not None:
        return redirect(url_for("levers.show", run_id=item.levers_of))
    response = render_template("runs/job.html", job=item, refresh=REFRESH_SECONDS,
                               worker_alive=workers.alive(db.session()), no_worker=workers.NO_WORKER)
    headers = {"Refresh": str(REFRESH_SECONDS)} if item.status in ("queued", "running") else {}
    return response, 200, headers


@bp.get("/runs/<int:run_id>")
@roles_required(*READERS)
def show(run_id: int):
    """The proposal: figures, the filterable and sortable table of partnerships, and what changed.

    A saved run never changes but for its publication, so the page is made once per person,
    query and publication state, and its figures and tables once per process and query.
    """
    published = db.session().connection().execute(PUBLISHED, {"run_id": run_id}).first()
    if published is None:
        abort(404)
    return cache.page(("runs.show", published.published_at), lambda: _show(run_id))


def _show(run_id: int) -> str:
    run = run_or_404(run_id)
    filters = {k: request.args.get(k, "") for k in ("region", "kind", "sector")}
    sort = request.args.get("sort", "recipient")
    sort = sort if sort in SORTS else "recipient"
    descending = request.args.get("order") == "desc"
    where = (current_app.config["DATABASE_URL"], run_id, id(data.classified()))
    plan = db.plan(run)
    figures = cache.fragments.get_or_make(("figures", *where), lambda: Markup(render_template(  # nosec B704  # autoescaped template output
        "runs/_figures.html", run=run, plan=plan, summary=summarise(plan))))
    backups = current_user.role == "regulator" and any(p.backup or p.backup_reason for p in plan.pairs)
    table = cache.fragments.get_or_make(  # backups are for regulators only: part of the key
        ("table", *where, run.published_at, tuple(filters.items()), sort, descending, backups),
        lambda: Markup(render_template("runs/_table.html", backups=backups,  # nosec B704  # autoescaped template output
                                       **_table(run, plan, filters, sort, descending))))  # nosec B704  # autoescaped template output
    charts = cache.fragments.get_or_make(("charts", *where), lambda: Markup(render_template(  # nosec B704  # autoescaped template output
        "runs/_charts.html", run=run, charts=charts_of(plan))))
    return render_template("runs/show.html", run=run, plan=plan, figures_html=figures, table_html=table,
                           charts_html=charts)


def charts_of(plan: Plan) -> dict:
    """The figures of a plan's three charts."""
    regions = {code: f["region"] for code, f in data.facts().items()}
    return {"coverage": coverage_by_region(plan, regions), "spend": spend_against_budget(plan),
            "distance": distance_distribution(plan)}


def _table(run: Run, plan: Plan, filters: dict[str, str], sort: str, descending: bool) -> dict:
    """What the partnerships table shows: rows filtered and sorted, filter options, the changes."""
    facts = data.facts()
    rows = sorted(plan.pairs, key=lambda p: p.recipient)
    options = {
        "region": sorted({facts.get(p.recipient, {}).get("region", "") for p in rows}),
        "sector": sorted({facts.get(p.recipient, {}).get("sector", "") for p in rows}),
        "kind": sorted({p.kind for p in rows}),
    }
    for key in ("region", "sector"):
        if filters[key]:
            rows = [p for p in rows if facts.get(p.recipient, {}).get(key) == filters[key]]
    if filters["kind"]:
        rows = [p for p in rows if p.kind == filters["kind"]]
    rows.sort(key=SORTS[sort], reverse=descending)
    previous = db.session().get(Run, run.previous_run_id) if run.previous_run_id else None
    return {"run": run, "rows": rows, "facts": facts, "filters": filters, "options": options, "sort": sort,
            "descending": descending, "summary": summarise(plan), "plan": plan,
            "changes": changes_since(previous, plan) if previous is not None else None, "previous": previous}


def changes_since(previous: Run, plan: Plan) -> RematchChanges:
    """What a run changes from the published run it started from: partners, new and withdrawn offers, why."""
    session = db.session()
    return rematch_changes(db.plan(previous), plan, ruled_out(session), unwilling(session), data.names())


@bp.get("/runs/<int:run_id>/pairs/<recipient>")
@roles_required(*READERS)
def pair(run_id: int, recipient: str):
    """One partnership: fit breakdown, distance, capacity used, incentive, and the best alternatives."""
    run = run_or_404(run_id)
    plan = db.plan(run)
    item = plan.pair_for(recipient.upper())
    if item is None:
        abort(404)
    offer = db.session().scalar(select(Offer).where(Offer.supporter == item.supporter,
                                                    Offer.recipient == item.recipient, Offer.kind == item.kind))
    return render_template("runs/pair.html", run=run, pair=item, use=plan.use_of(item.supporter), offer=offer)


@bp.get("/runs/<int:run_id>/map")
@roles_required(*READERS)
def map_view(run_id: int):
    """The plan on a map of England's NHS regions: every partnership as a line, recipients sized by severity."""
    run = run_or_404(run_id)
    key = ("map", current_app.config["DATABASE_URL"], run_id, id(data.classified()))
    svg = cache.fragments.get_or_make(key, lambda: Markup(render_template(  # nosec B704  # autoescaped template
        "runs/_map.html", run=run, map=plan_map(db.plan(run), data.coordinates()))))
    return render_template("runs/map.html", run=run, svg=svg, attribution=ATTRIBUTION)


@bp.get("/runs/<int:run_id>/uncovered")
@roles_required(*READERS)
def uncovered(run_id: int):
    """Recipients left without a partner, with the binding reasons and what would change it."""
    run = run_or_404(run_id)
    names = data.names()
    items = sorted(db.plan(run).uncovered, key=lambda u: (-u.severity, names.get(u.recipient, u.recipient)))
    return render_template("runs/uncovered.html", run=run, items=items, facts=data.facts())


@bp.get("/runs/compare")
@roles_required(*READERS)
def compare_runs():
    """Two runs side by side: figures and every recipient whose partnership differs."""
    a_id, b_id = form_id(request.args.get("a")), form_id(request.args.get("b"))
    if a_id is None or b_id is None:
        return render_template("runs/index.html", runs=recent_runs(db.session(), limit=200),
                               errors={"a": "Select two runs to compare"}), 400
    a, b = run_or_404(a_id), run_or_404(b_id)
    plan_a, plan_b = db.plan(a), db.plan(b)
    return render_template("runs/compare.html", a=a, b=b, result=compare(plan_a, plan_b), charts_a=charts_of(plan_a),
                           charts_b=charts_of(plan_b))


def run_or_404(run_id: int) -> Run:
    """The run, with its scenario, or a 404: what every page about one run starts from."""
    run = db.session().get(Run, run_id, options=[joinedload(Run.scenario)])  # every run page shows its scenario
    if run is None:
        abort(404)
    return run
