"""The JSON API under /api/: runs, plans, offers and decisions, with the same permissions as the pages.

It uses the same sign-in session as the pages; state-changing requests carry the CSRF token in an
``X-CSRFToken`` header. Errors are JSON: ``{"error": ...}`` or ``{"errors": {field: message}}``.
The OpenAPI 3 document is at /api/openapi.json.
"""
from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from flask import Blueprint, abort, current_app, jsonify, request, url_for
from flask_login import current_user
from sqlalchemy import select

from matcher.errors import BuddyingError
from matcher.present.compare import summarise
from matcher.store import jobs, runs
from matcher.store.levers import enqueue_levers, latest_levers
from matcher.store.offers import (
    AlreadyDecided,
    DecisionRequest,
    check_request,
    decide,
    offer_for_trust,
    offers_for_trust,
    side_of,
)
from matcher.store.tables import Job, Offer, Run, Scenario

from . import cache, db, publishing
from .auth import csrf, roles_required
from .ids import MAX_ID
from .openapi import document

bp = Blueprint("api", __name__, url_prefix="/api")
READERS = ("regulator", "policy")


@bp.before_request
def _csrf_after_sign_in():
    """State changes need the CSRF token, checked after the sign-in check.

    So an anonymous request is told 401 (sign in) rather than 400 (token).
    """
    if request.method == "POST" and current_user.is_authenticated and current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3 description of this API."""
    return jsonify(document())


@bp.get("/runs")
@roles_required(*READERS)
def list_runs():
    """Every run, newest first (at most 200)."""
    return jsonify([_run_summary(r) for r in runs.recent_runs(db.session(), limit=200)])


@bp.post("/runs")
@roles_required(*READERS)
def start_run():
    """Queue a run: regulators may run proposals and what-ifs, policy staff what-ifs only."""
    body = _json_body()
    scenario_id, purpose = _whole(body.get("scenario_id"), 1), body.get("purpose", "proposal")
    errors = {}
    if scenario_id is None:
        errors["scenario_id"] = "Give the id of a scenario (a whole number)"
    if purpose not in ("proposal", "what_if"):
        errors["purpose"] = "purpose must be 'proposal' or 'what_if'"
    elif purpose == "proposal" and current_user.role != "regulator":
        abort(403)
    if errors or scenario_id is None:  # (a missing scenario_id is always among the errors)
        return jsonify(errors=errors), 400
    try:
        with db.transaction() as session:
            if session.get(Scenario, scenario_id) is None:
                return jsonify(error=f"There is no scenario {scenario_id}"), 404
            job = jobs.enqueue(session, scenario_id, purpose, current_user.id)
            payload = _job(job)
    except jobs.QueueFull as exc:
        return jsonify(error=str(exc)), 429
    return jsonify(payload), 202, {"Location": url_for("api.job", job_id=payload["id"])}


@bp.get("/jobs/<int:job_id>")
@roles_required(*READERS)
def job(job_id: int):
    """A queued run's progress; ``run_id`` once it has finished."""
    item = db.session().get(Job, job_id)
    if item is None:
        abort(404)
    return jsonify(_job(item))


@bp.get("/runs/<int:run_id>")
@roles_required(*READERS)
def show_run(run_id: int):
    """A run's headline figures and solver facts."""
    return jsonify(_run_summary(_run(run_id)))


@bp.get("/runs/<int:run_id>/plan")
@roles_required(*READERS)
def plan(run_id: int):
    """The run's plan, exactly as ``python -m matcher propose --format json`` prints it.

    A saved plan never changes, so its JSON is made once per process.
    """
    body = cache.plan_json.get_or_make(("plan", current_app.config["DATABASE_URL"], run_id),
                                       lambda: json.dumps(_run(run_id).plan).encode())
    return current_app.response_class(body, mimetype="application/json")


@bp.post("/runs/<int:run_id>/levers")
@roles_required(*READERS)
def start_levers(run_id: int):
    """Queue the policy levers of a run as one job (a job already waiting for this run is returned)."""
    try:
        with db.transaction() as session:
            payload = _job(enqueue_levers(session, run_id, current_user.id))
    except LookupError:
        abort(404)
    except jobs.QueueFull as exc:
        return jsonify(error=str(exc)), 429
    return jsonify(payload), 202, {"Location": url_for("api.job", job_id=payload["id"])}


@bp.get("/runs/<int:run_id>/levers")
@roles_required(*READERS)
def levers(run_id: int):
    """The run's newest lever report, exactly as ``python -m matcher levers --format json`` prints it."""
    _run(run_id)
    found = latest_levers(db.session(), run_id)
    if found is None:
        return jsonify(error=f"The levers have not been tried on run {run_id} yet; POST to this address to try "
                             "them"), 404
    return jsonify(found[1].to_dict())


@bp.post("/runs/<int:run_id>/publish")
@roles_required("regulator")
def publish(run_id: int):
    """Publish a run's partnerships as offers (publishing twice changes nothing)."""
    try:
        result = publishing.publish(run_id)
    except BuddyingError as exc:
        return jsonify(error=str(exc)), 409
    return jsonify(run_id=run_id, new=result.new, kept=result.kept, withdrawn=result.withdrawn,
                   already_published=result.already_published)


@bp.get("/offers")
@roles_required("regulator", "trust_exec")
def list_offers():
    """A trust executive's own offers; for a regulator, every offer (withdrawn ones too, as on the pages)."""
    session = db.session()
    if current_user.role == "trust_exec":
        items = offers_for_trust(session, current_user.trust_code, include_withdrawn=True)
    else:
        items = list(session.scalars(select(Offer).order_by(Offer.id)))
    return jsonify([_offer(o) for o in items])


@bp.get("/offers/<int:offer_id>")
@roles_required("regulator", "trust_exec")
def show_offer(offer_id: int):
    """One offer with its answers (another trust's offer is 404 to a trust executive)."""
    return jsonify(_offer(_visible_offer(offer_id)))


@bp.post("/offers/<int:offer_id>/decision")
@roles_required("trust_exec")
def decision(offer_id: int):
    """Answer an offer for the executive's own trust."""
    _visible_offer(offer_id)
    body = _json_body()
    values = {k: body.get(k, "") for k in ("decision", "reason_code", "reason_text")}
    version = _whole(body["version"], 0) if body.get("version") is not None else None
    if not all(isinstance(v, str) for v in values.values()) or (body.get("version") is not None and version is None):
        return jsonify(errors={"body": "decision, reason_code and reason_text are text; "
                                       "version is a whole number"}), 400
    answer = DecisionRequest(offer_id, current_user.trust_code, values["decision"], values["reason_code"],
                             values["reason_text"], version)
    errors = check_request(answer)
    if errors:
        return jsonify(errors=errors), 400
    try:
        offer = decide(db.sessions(), answer, current_user.id)
    except LookupError:
        abort(404)
    except AlreadyDecided as exc:
        return jsonify(error=str(exc)), 409
    with db.sessions()() as session:
        return jsonify(_offer(session.get_one(Offer, offer.id)))


def _whole(value: Any, low: int) -> int | None:
    """The JSON whole number a database column can hold (``5`` or ``5.0``; not a bool, not beyond 32 bits)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    ok = isinstance(value, int) and not isinstance(value, bool) and low <= value <= MAX_ID
    return value if ok else None


def _json_body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        abort(400, description="Send a JSON object")
    return body


def _run(run_id: int) -> Run:
    run = db.session().get(Run, run_id)
    if run is None:
        abort(404)
    return run


def _visible_offer(offer_id: int) -> Offer:
    if current_user.role == "trust_exec":
        offer = offer_for_trust(db.session(), offer_id, current_user.trust_code)
    else:
        offer = db.session().get(Offer, offer_id)
    if offer is None:
        abort(404)
    return offer


def _job(job: Job) -> dict[str, Any]:
    return {"id": job.id, "status": job.status, "purpose": job.purpose, "scenario_id": job.scenario_id,
            "progress": job.progress, "error": job.error, "run_id": job.run.id if job.run else None,
            "levers_of": job.levers_of, "created_at": job.created_at.isoformat()}


def _run_summary(run: Run) -> dict[str, Any]:
    plan = db.plan(run)
    summary = summarise(plan)
    return {"id": run.id, "scenario": run.scenario.label, "scenario_id": run.scenario_id, "purpose": run.purpose,
            "status": plan.status, "published_at": run.published_at.isoformat() if run.published_at else None,
            "created_at": run.created_at.isoformat(), "seconds": run.seconds, "gap": plan.largest_gap,
            "hold_tolerance": plan.hold_tolerance,
            "objective": plan.objective.to_dict(), "budget_annual_gbp": plan.budget_annual_gbp,
            "pairs": summary.pairs, "uncovered": summary.uncovered, "mean_distance_km": summary.mean_distance_km,
            "mean_fit": summary.mean_fit, "fingerprint": asdict(plan.fingerprint)}


def _offer(offer: Offer) -> dict[str, Any]:
    mine = side_of(offer, current_user.trust_code) if current_user.role == "trust_exec" else None
    return {"id": offer.id, "supporter": offer.supporter, "recipient": offer.recipient, "kind": offer.kind,
            "status": offer.status, "run_id": offer.run_id, "version": offer.version, "your_side": mine,
            "decisions": [{"side": d.side, "trust": d.trust_code, "decision": d.decision,
                           "reason_code": d.reason_code, "reason_text": d.reason_text,
                           "decided_at": d.decided_at.isoformat()} for d in offer.decisions]}
