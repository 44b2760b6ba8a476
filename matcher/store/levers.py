"""What would cover more, in the database: a run's levers queued as one job, and each finished report.

The levers of a run are tried by the worker like any run (``store.jobs``: the same queue, claim,
heartbeat and per-person limit); the report is stored once, as its JSON document, in the same
transaction that ends the job.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import BuddyingError
from ..lever_report import LeverReport
from .audit import record
from .jobs import enqueue
from .tables import Job, Run, utcnow
from .tables import LeverReport as LeverRow


def enqueue_levers(session: Session, run_id: int, user_id: int | None) -> Job:
    """Queue the levers of a run (its scenario, each lever one notch on); a job already waiting is reused.

    Raises:
        LookupError: there is no such run.
        QueueFull: the person already has the most jobs waiting that one person may have.
    """
    run = session.get(Run, run_id)
    if run is None:
        raise LookupError(run_id)
    waiting = active_job(session, run_id)
    if waiting is not None:
        return waiting
    job = enqueue(session, run.scenario_id, "levers", user_id, levers_of=run_id)
    record(session, user_id, "levers.request", f"run {run_id}", job=job.id)
    return job


def active_job(session: Session, run_id: int) -> Job | None:
    """The levers job of this run that is queued or running, if any."""
    return session.scalar(select(Job).where(Job.levers_of == run_id, Job.status.in_(("queued", "running")))
                          .order_by(Job.id.desc()).limit(1))


def save_levers(session: Session, job: Job, report: LeverReport) -> LeverRow:
    """Store a finished report and mark its job done, in the caller's transaction."""
    if job.levers_of is None:
        raise BuddyingError(f"job {job.id} is not a levers job")
    row = LeverRow(job_id=job.id, run_id=job.levers_of, report=report.to_dict())
    session.add(row)
    job.status, job.finished_at, job.progress = "succeeded", utcnow(), "Finished"
    session.flush()
    record(session, job.requested_by, "levers.save", f"run {job.levers_of}", job=job.id, levers=len(report.levers))
    return row


def latest_levers(session: Session, run_id: int) -> tuple[LeverRow, LeverReport] | None:
    """The newest lever report of a run, typed, with its row (when and how long); None if none was made."""
    row = session.scalar(select(LeverRow).where(LeverRow.run_id == run_id).order_by(LeverRow.id.desc()).limit(1))
    return None if row is None else (row, LeverReport.from_dict(row.report))


def report_of_job(session: Session, job_id: int) -> LeverRow | None:
    """The report a levers job stored, once it has finished."""
    return session.scalar(select(LeverRow).where(LeverRow.job_id == job_id))
