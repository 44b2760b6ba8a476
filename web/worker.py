"""The worker: takes queued runs from the database one at a time and carries them out.

``python -m web serve`` starts one beside the web server; ``python -m web worker`` runs one on
its own. Several may run at once: claiming a job is atomic.
"""
from __future__ import annotations

import logging
import os
import socket
import threading

from sqlalchemy.orm import Session, sessionmaker

from matcher import execute
from matcher.pipeline import CurrentData
from matcher.store import jobs

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
    LOG.info("worker %s waiting for runs", name)
    while not stop.is_set():
        if work_once(sessions, data, name) is None:
            stop.wait(POLL_SECONDS)
