"""The worker: takes queued runs from the database one at a time and carries them out.

``python -m web serve`` starts one beside the web server (and a new one whenever it stops);
``python -m web worker`` runs one on its own. Several may run at once: claiming a job is atomic.
Each worker heartbeats its own row (``matcher.store.workers``) every few seconds, busy or idle,
so the service can tell when no worker is alive.
"""
from __future__ import annotations

import logging
import os
import socket
import threading

from sqlalchemy.orm import Session, sessionmaker

from matcher import execute
from matcher.pipeline import CurrentData
from matcher.store import jobs, workers

LOG = logging.getLogger(__name__)
POLL_SECONDS = 0.5


def worker_name() -> str:
    """host:pid, shown on the job so a stuck run can be traced to its process."""
    return f"{socket.gethostname()}:{os.getpid()}"


def work_once(sessions: sessionmaker[Session], data: CurrentData, name: str | None = None) -> int | None:
    """Fail jobs whose worker died, then carry out the oldest queued job; return its id (None if idle)."""
    with sessions.begin() as session:
        reaped = jobs.reap_stale(session)
    if reaped:
        LOG.warning("marked %d stalled run(s) failed", reaped)
    job_id = jobs.claim_next(sessions, name or worker_name())
    if job_id is None:
        return None
    classified = data.current
    run_id = execute.execute(sessions, job_id, classified.dataset, classified.as_of)
    LOG.info("job %s finished: %s", job_id, f"run {run_id}" if run_id else "failed")
    return job_id


def work_forever(sessions: sessionmaker[Session], data: CurrentData, stop: threading.Event | None = None) -> None:
    """Carry out jobs until ``stop`` is set, waiting briefly whenever the queue is empty."""
    stop = stop or threading.Event()
    name = worker_name()
    finished = threading.Event()
    _beat(sessions, name)  # heard from before the first run
    threading.Thread(target=_keep_beating, args=(sessions, name, finished), name="worker-heartbeat",
                     daemon=True).start()
    LOG.info("worker %s waiting for runs", name)
    try:
        while not stop.is_set():
            if work_once(sessions, data, name) is None:
                stop.wait(POLL_SECONDS)
    finally:
        finished.set()
        with sessions.begin() as session:  # stopping on purpose: say so, and fail a run cut short
            workers.stopped(session, name)


def _beat(sessions: sessionmaker[Session], name: str) -> None:
    with sessions.begin() as session:
        workers.beat(session, name)


def _keep_beating(sessions: sessionmaker[Session], name: str, finished: threading.Event) -> None:
    """Heartbeat the worker's row until it finishes (a failed beat is retried at the next one)."""
    while not finished.wait(workers.BEAT_SECONDS):
        try:
            _beat(sessions, name)
        except Exception:  # the database may be away for a moment; the runs' own heartbeats say more
            LOG.exception("worker heartbeat failed")
