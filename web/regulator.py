"""The regulator's pages: the dashboard, starting runs, publishing offers, and locks and exclusions."""
from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from matcher.domain import KINDS
from matcher.errors import BuddyingError
from matcher.present.compare import summarise
from matcher.present.offer_list import STATUS_WORDS, DeclaredCapacity, OfferFilters, counts, filter_offers
from matcher.store import jobs, runs, workers
from matcher.store.audit import record
from matcher.store.offers import latest_declarations, offer_rows
from matcher.store.scenarios import latest_versions
from matcher.store.tables import PAIR_RULE_TYPES, Job, Offer, PairRule, Run, Scenario, utcnow

from . import data, db, publishing
from .auth import roles_required
from .ids import form_id
from .runs import run_or_404

bp = Blueprint("regulator", __name__)


@bp.get("/dashboard")
@roles_required("regulator")
def dashboard():
    """Latest published and draft runs, coverage by severity, spend against budget, runs in progress.

    And a warning when no worker is alive to carry runs out (queued runs would wait unseen).
    """
    session = db.session()
    published = runs.current_published(session)
    drafts = list(session.scalars(select(Run).where(Run.purpose == "proposal", Run.published_at.is_(None))
                                  .order_by(Run.id.desc()).limit(5)))
    active = list(session.scalars(select(Job).where(Job.status.in_(("queued", "running"))).order_by(Job.id)))
    offers = dict(session.execute(select(Offer.status, func.count()).group_by(Offer.status)).all())
    return render_template("regulator/dashboard.html", published=published, drafts=drafts, active=active,
                           offers=offers, summary=summarise(db.plan(published)) if published else None,
                           worker_alive=workers.alive(session), no_worker=workers.NO_WORKER,
                           scenario_options=[(s.id, s.label) for s in latest_versions(session)])


@bp.post("/runs/new")
@roles_required("regulator")
def start_run():
    """Queue a proposal run of a scenario (it includes every decision, lock and exclusion so far)."""
    scenario_id = form_id(request.form.get("scenario_id"))
    if scenario_id is None:
        abort(400)
    try:
        with db.transaction() as session:
            if session.get(Scenario, scenario_id) is None:
                abort(404)
            job = jobs.enqueue(session, scenario_id, "proposal", current_user.id)
    except jobs.QueueFull as exc:
        flash(str(exc), "error")
        return redirect(url_for("regulator.dashboard"))
    return redirect(url_for("runs.job", job_id=job.id))


@bp.get("/runs/<int:run_id>/publish")
@roles_required("regulator")
def check_publish(run_id: int):
    """Check before publishing: what will be sent to whom, what is kept and what is withdrawn."""
    session = db.session()
    run = run_or_404(run_id)
    if run.published_at is not None:
        flash(f"Run {run_id} is already published.", "info")
        return redirect(url_for("runs.show", run_id=run_id))
    if run.purpose != "proposal":
        flash("A what-if run cannot be published; run the scenario as a proposal instead", "error")
        return redirect(url_for("runs.show", run_id=run_id))
    what = runs.preview(session, run)
    reply_by = utcnow().date() + timedelta(days=current_app.extensions["offer_timetable"].reply_days)
    return render_template("regulator/publish_check.html", run=run, what=what, refusal=what.refusal(run_id),
                           reply_by=reply_by)


@bp.post("/runs/<int:run_id>/publish")
@roles_required("regulator")
def publish(run_id: int):
    """Publish a run's partnerships as offers (publishing twice changes nothing), then confirm what happens next."""
    try:
        result = publishing.publish(run_id)
    except BuddyingError as exc:
        flash(str(exc), "error")
        return redirect(url_for("runs.show", run_id=run_id))
    flash(result.sentence(run_id), "info")
    if result.already_published:
        return redirect(url_for("runs.show", run_id=run_id))
    return redirect(url_for("regulator.published", run_id=run_id))


@bp.get("/runs/<int:run_id>/published")
@roles_required("regulator")
def published(run_id: int):
    """The confirmation after publishing: what the trusts now see and what happens next."""
    session = db.session()
    run = run_or_404(run_id)
    if run.published_at is None:
        return redirect(url_for("runs.show", run_id=run_id))
    statuses = dict(session.execute(select(Offer.status, func.count()).where(Offer.run_id == run_id)
                                    .group_by(Offer.status)).all())
    reply_by = run.published_at.date() + timedelta(days=current_app.extensions["offer_timetable"].reply_days)
    return render_template("regulator/published.html", run=run, statuses=statuses, reply_by=reply_by)


@bp.get("/offers")
@roles_required("regulator")
def offers():
    """Every offer with its status, who answered, when and why; and the capacity trusts declared, with notes."""
    session = db.session()
    facts = data.facts()
    filters = OfferFilters(**{k: request.args.get(k, "").strip()[:100] for k in ("status", "region", "trust")})
    rows = offer_rows(session)
    shown = filter_offers(rows, filters, {c: f["region"] for c, f in facts.items()}, data.names())
    declared = sorted((DeclaredCapacity(d.trust_code, d.willing, d.spare_units, d.note, d.created_at,
                                        facts.get(d.trust_code, {}).get("role", "neither"))
                       for d in latest_declarations(session).values()),
                      key=lambda d: (not d.flag, d.trust))
    return render_template("regulator/offers.html", rows=shown, total=len(rows), counts=counts(rows),
                           filters=filters, declared=declared, statuses=list(STATUS_WORDS.items()),
                           regions=sorted({f["region"] for f in facts.values() if f["region"]}))


@bp.route("/rules", methods=["GET", "POST"])
@roles_required("regulator")
def rules():
    """Locks (keep this pair) and exclusions (never this pair), each with who set it and why."""
    errors: dict[str, str] = {}
    source = request.form if request.method == "POST" else request.args  # a pair page links here pre-filled
    form = {k: source.get(k, "").strip() for k in ("rule", "supporter", "recipient", "kind", "reason")}
    if request.method == "POST":
        form["supporter"], form["recipient"] = form["supporter"].upper(), form["recipient"].upper()
        errors = _check_rule(form)
        if not errors:
            with db.transaction() as session:
                rule = PairRule(rule=form["rule"], supporter=form["supporter"], recipient=form["recipient"],
                                kind=form["kind"] or None, reason=form["reason"], created_by=current_user.id)
                session.add(rule)
                session.flush()
                record(session, current_user.id, f"rule.{form['rule']}", f"{rule.supporter} to {rule.recipient}",
                       kind=rule.kind, reason=rule.reason)
            flash(f"{'Lock' if form['rule'] == 'lock' else 'Exclusion'} saved; it applies from the next run.", "info")
            return redirect(url_for("regulator.rules"))
    active = list(db.session().scalars(select(PairRule).where(PairRule.removed_at.is_(None)).order_by(PairRule.id)))
    return render_template("regulator/rules.html", rules=active, errors=errors, form=form,
                           kinds_options=[(k, k.replace("_", " ")) for k in KINDS]), 400 if errors else 200


def _check_rule(form: dict[str, str]) -> dict[str, str]:
    """Field problems in a new lock or exclusion."""
    facts = data.facts()
    errors = {}
    if form["rule"] not in PAIR_RULE_TYPES:
        errors["rule"] = "Select lock or exclude"
    for side, role in (("supporter", "supporter"), ("recipient", "recipient")):
        code = form[side]
        if not code:
            errors[side] = f"Enter the {side}'s trust code"
        elif code not in facts:
            errors[side] = f"{code} is not an open English NHS trust in the data"
        elif form["rule"] == "lock" and facts[code]["role"] != role:
            errors[side] = f"{code} is not a {role} in the current data, so it cannot be locked as one"
    if form["supporter"] and form["supporter"] == form["recipient"]:
        errors["recipient"] = "A trust cannot support itself"
    if form["kind"] and form["kind"] not in KINDS:
        errors["kind"] = "Select a kind of support"
    if form["rule"] == "lock" and not form["kind"]:
        errors["kind"] = "Select the kind of support to lock"
    if not form["reason"]:
        errors["reason"] = "Explain why, for the audit log and the trusts"
    elif len(form["reason"]) > 1000:
        errors["reason"] = "Keep the reason to 1,000 characters or fewer"
    return errors


@bp.post("/rules/<int:rule_id>/remove")
@roles_required("regulator")
def remove_rule(rule_id: int):
    """Remove a lock or exclusion (kept in the record with who removed it)."""
    with db.transaction() as session:
        rule = session.get(PairRule, rule_id)
        if rule is None or rule.removed_at is not None:
            abort(404)
        rule.removed_at, rule.removed_by = utcnow(), current_user.id
        record(session, current_user.id, f"rule.{rule.rule}.remove", f"{rule.supporter} to {rule.recipient}")
    flash("Removed; it no longer applies from the next run.", "info")
    return redirect(url_for("regulator.rules"))
