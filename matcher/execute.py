"""Carrying out one queued run: the scenario's settings and the answers in the database -> ``plan`` -> a stored run.

The worker's half of the planning service: the store reads and saves, ``matcher.plan`` plans.
The plan is stored in a single transaction at the end, so a run that crashes or is killed
leaves no partial run, plan or offers behind, only a job the reaper marks failed.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from .dataset import Dataset
from .errors import BuddyingError
from .levers import levers
from .planning import plan
from .store import jobs
from .store.engine import read_snapshot, rows_changed
from .store.levers import save_levers
from .store.offers import rematch_from_offers
from .store.outcomes import track_records
from .store.runs import current_published, save_run
from .store.scenarios import settings_of
from .store.tables import Job

LOG = logging.getLogger(__name__)


def execute(sessions: sessionmaker[Session], job_id: int, dataset: Dataset, as_of: date) -> int | None:
    """Carry out a claimed job; return the new run's id (a levers job: its report's), or None when it failed.

    A failed job's error is stored on it.
    """
    try:
        with beating(sessions, job_id) as progress:
            return _execute(sessions, job_id, dataset, as_of, progress)
    except BuddyingError as exc:
        jobs.fail(sessions, job_id, str(exc))
    except Exception:  # a defect: keep the worker alive, tell the user, log the traceback
        LOG.exception("run job %s failed", job_id)
        jobs.fail(sessions, job_id, "The run failed because of an error in the service; it has been logged.")
    return None


def _execute(sessions, job_id, dataset, as_of, progress) -> int:
    started = time.perf_counter()
    with sessions() as session:
        read_snapshot(session)  # decisions arriving now wait for the next run, never half-count
        job = session.get(Job, job_id)
        settings = settings_of(job.scenario)
        records = {code: r.net for code, r in track_records(session, as_of).items()}
        if job.levers_of is not None:
            return _execute_levers(sessions, job_id, dataset, as_of, settings, progress, records)
        proposal = job.purpose == "proposal"
        rematch = rematch_from_offers(session)
        previous = current_published(session)
        previous_id = previous.id if previous else None
    # A proposal names each pair's backup: what a re-match after its decline proposes (regulators only).
    result = plan(dataset, settings, as_of, rematch, progress=progress, track_records=records, backups=proposal)
    with sessions.begin() as session:
        job = _still_ours(session, job_id, "Saving the plan")
        run = save_run(session, job, result, time.perf_counter() - started, previous_id)
        return run.id


def _execute_levers(sessions, job_id, dataset, as_of, settings, progress, records) -> int:
    """Each policy lever moved one notch on the run's scenario, solved through the planning path, stored once."""
    def tell(done: int, total: int, label: str) -> None:
        progress(f"Lever {done} of {total - 1}: {label}" if done else "Solving the plan as it stands")

    report = levers(dataset, settings, as_of, progress=tell, track_records=records)
    with sessions.begin() as session:
        job = _still_ours(session, job_id, "Saving the levers")
        return save_levers(session, job, report).id


def _still_ours(session: Session, job_id: int, saying: str) -> Job:
    """The job, if this worker still holds it; else ``WORKER_STOPPED`` (the reaper failed it meanwhile).

    A conditional write first: it takes the write lock (SQLite) or the row lock (PostgreSQL), so the
    reaper cannot fail the job between this check and the save.
    """
    still_ours = session.execute(update(Job).where(Job.id == job_id, Job.status == "running").values(progress=saying))
    job = session.get(Job, job_id)
    if rows_changed(still_ours) != 1 or job is None:
        raise BuddyingError(jobs.WORKER_STOPPED)
    return job


@contextmanager
def beating(sessions: sessionmaker[Session], job_id: int, every: float = jobs.HEARTBEAT_SECONDS) -> Iterator:
    """Heartbeat the job from a background thread while the body runs; yields ``progress(text)``."""
    stop = threading.Event()
    latest: list[str | None] = [None]

    def beat() -> None:
        while not stop.wait(every):
            jobs.heartbeat(sessions, job_id, latest[0])

    def progress(text: str) -> None:
        latest[0] = text
        jobs.heartbeat(sessions, job_id, text)

    thread = threading.Thread(target=beat, name=f"heartbeat-{job_id}", daemon=True)
    thread.start()
    try:
        yield progress
    finally:
        stop.set()
        thread.join()
