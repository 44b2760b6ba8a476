"""What would cover more: a run's policy levers, tried by the worker as one job, shown as a table and a chart.

For regulators and policy staff. Trying the levers queues one job (the same queue, progress page
and per-person limit as runs); the page shows the newest report for the run, most coverage gained
first, and the run's workbook carries the same table.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from matcher.present.levers import coverage_bars, names_text, severity_text, worse_text
from matcher.store import jobs
from matcher.store.levers import active_job, enqueue_levers, latest_levers

from . import db
from .auth import roles_required
from .runs import READERS, run_or_404

bp = Blueprint("levers", __name__)


@bp.get("/runs/<int:run_id>/levers")
@roles_required(*READERS)
def show(run_id: int):
    """The newest lever report of the run (or how to make one), and any levers job still working."""
    run = run_or_404(run_id)
    session = db.session()
    found = latest_levers(session, run_id)
    row, report = found if found is not None else (None, None)
    return render_template("runs/levers.html", run=run, row=row, report=report, waiting=active_job(session, run_id),
                           bars=coverage_bars(report) if report else (), names_text=names_text,
                           severity_text=severity_text, worse_text=worse_text)


@bp.post("/runs/<int:run_id>/levers")
@roles_required(*READERS)
def start(run_id: int):
    """Queue the levers of the run; the progress page follows it and then shows the report."""
    run_or_404(run_id)
    try:
        with db.transaction() as session:
            job_id = enqueue_levers(session, run_id, current_user.id).id
    except jobs.QueueFull as exc:
        flash(str(exc), "error")
        return redirect(url_for("levers.show", run_id=run_id))
    except LookupError:
        abort(404)
    return redirect(url_for("runs.job", job_id=job_id))
