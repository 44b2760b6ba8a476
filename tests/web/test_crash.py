"""A worker killed in the middle of a solve leaves no partial run, plan or offers.

The next start is clean: its job is marked failed and the next run succeeds.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select, update

from matcher.store import jobs
from matcher.store.scenarios import ensure_default
from matcher.store.tables import Job, Offer, Run, utcnow
from tests.web.test_worker import wait_for
from web.worker import work_once

ROOT = Path(__file__).resolve().parents[2]


def count(sessions, table) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(table))


def test_a_worker_killed_while_solving_leaves_nothing_half_written(db, database_url, synthetic_data, current_data):
    synthetic = synthetic_data
    with db.begin() as session:
        scenario = ensure_default(session, (ROOT / "config.yaml").read_text())
        job_id = jobs.enqueue(session, scenario.id, "proposal", None).id
        scenario_id = scenario.id
    env = os.environ | {"DATABASE_URL": database_url, "BUDDYING_AS_OF": "2026-11-23", "PYTHONPATH": str(ROOT),
                        "BUDDYING_DATA_DIR": str(synthetic)}
    worker = subprocess.Popen([sys.executable, "-m", "web", "worker"], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        def solving():
            with db() as session:
                return session.scalar(select(Job.progress).where(Job.id == job_id)).startswith("Solving")
        wait_for(solving, timeout=240, every=0.05)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    assert worker.returncode == -signal.SIGKILL
    with db() as session:
        assert session.scalar(select(Job.status).where(Job.id == job_id)) == "running"  # as the dead worker left it
    assert count(db, Run) == count(db, Offer) == 0

    # The next start: once the heartbeat is old, the job is failed, and a new run goes through.
    with db.begin() as session:
        session.execute(update(Job).values(heartbeat_at=utcnow() - timedelta(minutes=1)))
        assert jobs.reap_stale(session) == 1
    with db() as session:
        job = session.get(Job, job_id)
        assert job.status == "failed" and "worker stopped" in job.error
    assert count(db, Run) == count(db, Offer) == 0
    with db.begin() as session:
        jobs.enqueue(session, scenario_id, "proposal", None)
    assert work_once(db, current_data, "a fresh worker") is not None
    with db() as session:
        assert [j.status for j in session.scalars(select(Job).order_by(Job.id))] == ["failed", "succeeded"]
    assert count(db, Run) == 1
