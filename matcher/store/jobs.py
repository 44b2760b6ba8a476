"""The job queue in the database: a request enqueues, one worker claims, heartbeats and finishes.

A worker that dies stops heartbeating; ``reap_stale`` then marks its job failed, so no job
shows "running" for ever. Claiming is a conditional UPDATE, so two workers never take the same job.
One person may have at most ``QUEUE_LIMIT`` runs queued or running at once, so nobody can fill
the queue and keep everyone else's runs waiting.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from ..errors import BuddyingError
from .audit import record
from .engine import rows_changed
from .tables import PURPOSES, Job, Scenario, User, utcnow

HEARTBEAT_SECONDS = 2.0
STALE_AFTER_SECONDS = 30.0
WORKER_STOPPED = "The worker stopped before finishing this run (it may have crashed); start the run again."
QUEUE_LIMIT = 3
ERROR_LIMIT = 4000


class QueueFull(BuddyingError):
    """This person already has ``QUEUE_LIMIT`` runs queued or running."""


def enqueue(session: Session, scenario_id: int, purpose: str, user_id: int | None, levers_of: int | None = None
            ) -> Job:
    """Queue a run of a scenario (or, with ``levers_of``, its levers tried on that run); the worker picks it up."""
    if purpose not in PURPOSES and not (purpose == "levers" and levers_of is not None):
        raise BuddyingError(f"purpose must be one of {', '.join(PURPOSES)}, got '{purpose}'")
    scenario = session.get(Scenario, scenario_id)
    if scenario is None:
        raise BuddyingError(f"there is no scenario {scenario_id}")
    if user_id is not None:
        # A write first takes the user's row lock (PostgreSQL) or the write lock (SQLite), so two requests
        # from one person queue here and cannot both count the same free place.
        session.execute(update(User).where(User.id == user_id).values(active=User.active))
        waiting = session.scalars(select(func.count()).select_from(Job).where(
            Job.requested_by == user_id, Job.status.in_(("queued", "running")))).one()
        if waiting >= QUEUE_LIMIT:
            raise QueueFull(f"You already have {waiting} runs waiting or running, the most one person may have. "
                            "Start this one when one of them has finished.")
    job = Job(purpose=purpose, scenario_id=scenario_id, requested_by=user_id, levers_of=levers_of)
    session.add(job)
    session.flush()
    record(session, user_id, "run.request", f"job {job.id}", scenario=scenario.label, purpose=purpose)
    return job


def claim_next(sessions: sessionmaker[Session], worker: str) -> int | None:
    """Take the oldest queued job for ``worker`` and return its id (None when the queue is empty)."""
    with sessions.begin() as session:
        for job_id in session.scalars(select(Job.id).where(Job.status == "queued").order_by(Job.id).limit(5)):
            now = utcnow()
            taken = session.execute(update(Job).where(Job.id == job_id, Job.status == "queued").values(
                status="running", worker=worker, started_at=now, heartbeat_at=now, progress="Starting"))
            if rows_changed(taken) == 1:
                return job_id
    return None


def heartbeat(sessions: sessionmaker[Session], job_id: int, progress: str | None = None) -> None:
    """Say the job is still alive (and, optionally, what it is doing)."""
    values: dict = {"heartbeat_at": utcnow()}
    if progress:
        values["progress"] = progress
    with sessions.begin() as session:
        session.execute(update(Job).where(Job.id == job_id, Job.status == "running").values(**values))


def fail(sessions: sessionmaker[Session], job_id: int, message: str) -> None:
    """Mark a job failed with a message for the person who started it."""
    message = message if len(message) <= ERROR_LIMIT else message[:ERROR_LIMIT - 3] + "..."
    with sessions.begin() as session:
        session.execute(update(Job).where(Job.id == job_id, Job.status.in_(("queued", "running"))).values(
            status="failed", error=message, finished_at=utcnow(), progress="Failed"))
        record(session, None, "run.fail", f"job {job_id}", error=message[:500])


def reap_stale(session: Session, stale_after: float = STALE_AFTER_SECONDS) -> int:
    """Fail every running job whose worker has not been heard from for ``stale_after`` seconds."""
    cutoff = utcnow() - timedelta(seconds=stale_after)
    result = session.execute(update(Job).where(Job.status == "running", Job.heartbeat_at < cutoff).values(
        status="failed", error=WORKER_STOPPED, finished_at=utcnow(), progress="Failed"))
    return rows_changed(result)
