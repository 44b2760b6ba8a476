"""Carrying out one queued run: scenario settings + database rules + data -> plan -> stored run.

The plan is stored in a single transaction at the end, so a run that crashes or is killed
leaves no partial run, plan or offers behind, only a job the reaper marks failed.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from ..dataset import Dataset
from ..errors import BuddyingError
from ..model.instance import MatchInstance, build_instance
from ..pipeline import classify_dataset
from ..solve import propose
from . import jobs
from .engine import read_snapshot
from .offers import rules_for_next_run
from .runs import current_published, save_run
from .scenarios import settings_of
from .tables import Job

LOG = logging.getLogger(__name__)


def execute(sessions: sessionmaker[Session], job_id: int, dataset: Dataset, as_of: date) -> int | None:
    """Carry out a claimed job; return the new run's id, or None when the job failed (its error is stored)."""
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
        rules = rules_for_next_run(session)
        previous = current_published(session)
        previous_id = previous.id if previous else None
    progress("Classifying trusts")
    classified = classify_dataset(dataset, settings, as_of)
    progress("Building the model")
    instance = build_instance(classified, locks=rules.locks, exclusions=rules.exclusions,
                              extra_capacity=rules.extra_capacity, pending=rules.pending, settings=settings)
    instance = without_spare_capacity(instance, rules.unwilling)
    progress(f"Solving ({len(instance.arcs):,} possible pairs)")
    plan = propose(instance, data_fingerprint=dataset.fingerprint, as_of=as_of.isoformat())
    with sessions.begin() as session:
        # A conditional write first: it takes the write lock (SQLite) or the row lock (PostgreSQL), so the
        # reaper cannot fail the job between this check and the save.
        still_ours = session.execute(update(Job).where(Job.id == job_id, Job.status == "running")
                                     .values(progress="Saving the plan"))
        if still_ours.rowcount != 1:
            raise BuddyingError(jobs.WORKER_STOPPED)
        job = session.get(Job, job_id)
        run = save_run(session, job, plan, time.perf_counter() - started, previous_id)
        return run.id


def without_spare_capacity(instance: MatchInstance, unwilling: frozenset[str]) -> MatchInstance:
    """Give each unwilling supporter only the capacity its locked (accepted) partnerships use."""
    if not unwilling:
        return instance
    locked = instance.arcs[instance.arcs["locked"]]
    used = locked.groupby("supporter")["units"].sum().to_dict()
    supporters = instance.supporters.copy()
    mask = supporters["code"].isin(unwilling)
    supporters.loc[mask, "capacity_units"] = [int(used.get(code, 0)) for code in supporters.loc[mask, "code"]]
    return replace(instance, supporters=supporters)


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
