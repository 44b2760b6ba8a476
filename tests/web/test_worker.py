"""The worker runs outside the web request, in its own process, and a dead worker's job is failed."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select, update

from matcher.store import jobs
from matcher.store.tables import Job, Run, utcnow
from tests.web.conftest import page, post

ROOT = Path(__file__).resolve().parents[2]


def wait_for(condition, timeout: float = 90.0, every: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError("timed out")


def test_a_worker_process_carries_out_a_queued_run(app, regulator, database_url):
    job_url = post(regulator, "/runs/new", {"scenario_id": "1"})
    env = os.environ | {"DATABASE_URL": database_url, "BUDDYING_AS_OF": "2026-11-23", "PYTHONPATH": str(ROOT)}
    worker = subprocess.Popen([sys.executable, "-m", "web", "worker"], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        sessions = app.extensions["db"]
        def finished():
            with sessions() as session:
                return session.scalar(select(Job.status).where(Job.status.in_(("succeeded", "failed"))))
        assert wait_for(finished) == "succeeded"
    finally:
        worker.terminate()
        worker.wait(timeout=20)
    assert regulator.get(job_url).location == "/runs/1"
    with app.extensions["db"]() as session:
        job = session.scalar(select(Job))
        assert job.worker and job.worker.endswith(f":{worker.pid}")


def test_a_job_whose_worker_stopped_heartbeating_is_failed_with_a_message(app, regulator, run_jobs):
    job_url = post(regulator, "/runs/new", {"scenario_id": "1"})
    sessions = app.extensions["db"]
    assert jobs.claim_next(sessions, "a worker that then dies") is not None
    with sessions.begin() as session:
        session.execute(update(Job).values(heartbeat_at=utcnow() - timedelta(minutes=5)))
    assert run_jobs() == 0  # the next worker's pass reaps it and finds nothing queued
    html = page(regulator, job_url)
    assert "The run failed" in html and "The worker stopped before finishing this run" in html
    with sessions() as session:
        assert session.scalar(select(Run)) is None


def test_the_job_page_itself_fails_a_run_whose_worker_died_even_with_no_worker_left(app, regulator):
    job_url = post(regulator, "/runs/new", {"scenario_id": "1"})
    sessions = app.extensions["db"]
    jobs.claim_next(sessions, "a worker that then dies")
    with sessions.begin() as session:
        session.execute(update(Job).values(heartbeat_at=utcnow() - timedelta(minutes=5)))
    response = regulator.get(job_url)
    assert "The worker stopped before finishing this run" in response.get_data(as_text=True)
    assert "Refresh" not in response.headers
