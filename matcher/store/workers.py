"""Which workers are alive: each heartbeats a row of its own while it runs, busy or idle.

A job's heartbeat says a run is alive; this says a worker is. With no live worker, queued runs
wait, so the dashboard and the run page warn when no worker has been heard from for ``SILENT_AFTER``
(or when the only ones heard from were stopped: the service's supervisor marks a worker it saw die).
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import String, func, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from .engine import rows_changed
from .tables import Base, Job, Stamp, utcnow

BEAT_SECONDS = 10.0
SILENT_AFTER = timedelta(minutes=1)
NO_WORKER = ("No worker is carrying out runs at the moment, so queued runs are waiting. The service restarts its "
             "worker by itself; if this message stays for more than a few minutes, ask your administrator to check "
             "the service.")


class WorkerBeat(Base):
    """One worker process (``host:pid``): when it started, when it was last heard from, when it stopped."""

    __tablename__ = "workers"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(Stamp, default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(Stamp, default=utcnow)
    stopped_at: Mapped[datetime | None] = mapped_column(Stamp)


def beat(session: Session, name: str) -> None:
    """Say this worker is alive (creating its row the first time), in the caller's transaction."""
    name = name[:100]
    now = utcnow()
    if rows_changed(session.execute(update(WorkerBeat).where(WorkerBeat.name == name).values(last_seen=now))) == 0:
        session.add(WorkerBeat(name=name, started_at=now, last_seen=now))


def stopped(session: Session, name: str) -> int:
    """Record that a worker has stopped, and fail the runs it held (they will never finish); return how many."""
    name = name[:100]
    now = utcnow()
    session.execute(update(WorkerBeat).where(WorkerBeat.name == name).values(stopped_at=now))
    from .jobs import WORKER_STOPPED  # jobs imports nothing from here; the import is local to keep it that way
    failed = session.execute(update(Job).where(Job.worker == name, Job.status == "running").values(
        status="failed", error=WORKER_STOPPED, finished_at=now, progress="Failed"))
    return rows_changed(failed)


def alive(session: Session, now: datetime | None = None) -> bool:
    """Has a worker that has not stopped been heard from within ``SILENT_AFTER``?"""
    since = (now or utcnow()) - SILENT_AFTER
    return bool(session.scalar(select(func.count()).select_from(WorkerBeat).where(
        WorkerBeat.stopped_at.is_(None), WorkerBeat.last_seen > since)))
