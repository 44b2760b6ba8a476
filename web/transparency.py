"""The transparency record (DOMAIN §8): the Standard's record, made from the configuration and data in use.

``/transparency`` (public, as the Standard intends) describes the service as it runs now: the latest
version of the default scenario on the data loaded. ``/runs/<id>/transparency`` describes one run:
its scenario's configuration, whose hash is the one in the run's fingerprint. The record itself is
``matcher.transparency``; this module only chooses which configuration it describes.
"""
from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, current_app, jsonify, render_template

from matcher.store.runs import plan_of
from matcher.store.scenarios import settings_of
from matcher.transparency import Owner, Record, build_record

from . import data, db
from .auth import roles_required
from .runs import READERS, run_or_404

bp = Blueprint("transparency", __name__)


def _current() -> Record:
    return build_record(data.classified(), Owner.from_environment(), date.today())


@bp.get("/transparency")
def index() -> str:
    """The record of the service as it runs now (public)."""
    return render_template("transparency/record.html", record=_current(), run=None, data_differs=False)


@bp.get("/transparency.json")
def as_json() -> Response:
    """The same record as JSON (public)."""
    return jsonify(_current().to_dict())


@bp.get("/runs/<int:run_id>/transparency")
@roles_required(*READERS)
def for_run(run_id: int) -> str:
    """The record of one run: its scenario's configuration, on the data now loaded."""
    run = run_or_404(run_id)
    scenario = run.scenario
    classified = current_app.extensions["buddying"].under(scenario.config_hash, lambda: settings_of(scenario))
    record = build_record(classified, Owner.from_environment(), date.today(), run_id=run.id)
    fingerprint = plan_of(db.session(), run).fingerprint
    return render_template("transparency/record.html", record=record, run=run,
                           data_differs=fingerprint.data != record.data_fingerprint)
