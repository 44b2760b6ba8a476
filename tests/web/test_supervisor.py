"""A worker killed mid-run is replaced without restarting the service (issue 15).

``python -m web serve`` (a real gunicorn and a real worker process) marks the run failed, warns on
the dashboard while no worker is alive, and a new worker takes the next queued run within 30 seconds.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from matcher.store import jobs
from matcher.store.scenarios import ensure_default
from matcher.store.tables import Job
from matcher.store.workers import NO_WORKER
from tests.web.test_worker import wait_for

ROOT = Path(__file__).resolve().parents[2]
WARNING = "Runs are waiting"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def job(db, job_id: int) -> Job:
    with db() as session:
        return session.get(Job, job_id)


def test_a_killed_worker_is_replaced_and_the_dashboard_warns_meanwhile(db, database_url, synthetic_data, client_for):
    with db.begin() as session:
        scenario = ensure_default(session, (ROOT / "config.yaml").read_text()).id
        first = jobs.enqueue(session, scenario, "proposal", None).id
        second = jobs.enqueue(session, scenario, "proposal", None).id
    env = os.environ | {"DATABASE_URL": database_url, "BUDDYING_AS_OF": "2026-11-23", "PYTHONPATH": str(ROOT),
                        "BUDDYING_DATA_DIR": str(synthetic_data)}
    server = subprocess.Popen([sys.executable, "-m", "web", "serve", "--port", str(free_port()), "--workers", "1"],
                              env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    regulator = client_for("regulator")
    replacement = None
    try:
        wait_for(lambda: job(db, first).progress.startswith("Solving"), timeout=240, every=0.1)
        assert WARNING not in regulator.get("/dashboard").get_data(as_text=True)
        killed = job(db, first).worker
        os.kill(int(killed.rsplit(":", 1)[1]), signal.SIGKILL)
        killed_at = time.monotonic()

        wait_for(lambda: job(db, first).status == "failed", timeout=10, every=0.05)
        assert job(db, first).error == jobs.WORKER_STOPPED
        html = regulator.get("/dashboard").get_data(as_text=True)  # no live worker until the new one checks in
        assert WARNING in html and NO_WORKER in " ".join(html.split())
        assert WARNING in regulator.get(f"/jobs/{second}").get_data(as_text=True)  # the queued run says so too

        taken = wait_for(lambda: job(db, second).status != "queued", timeout=60, every=0.1)
        replaced_in = time.monotonic() - killed_at
        replacement = job(db, second).worker
        assert taken and replacement and replacement != killed
        assert replaced_in < 30, f"the next run waited {replaced_in:.1f} s"
        print(f"\nkilled worker replaced: next queued run taken {replaced_in:.1f} s after the kill")
        assert WARNING not in regulator.get("/dashboard").get_data(as_text=True)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    if replacement:  # stopping the service stops its worker too
        pid = int(replacement.rsplit(":", 1)[1])
        wait_for(lambda: not _running(pid), timeout=20)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a zombie is dead too
        return stat.read().split(")")[-1].split()[0] != "Z"


def test_the_dashboard_warns_when_no_worker_has_checked_in_for_a_minute(app, regulator):
    from datetime import timedelta

    from sqlalchemy import update

    from matcher.store import workers
    from matcher.store.tables import utcnow
    sessions = app.extensions["db"]
    assert WARNING in regulator.get("/dashboard").get_data(as_text=True)  # never a worker at all
    with sessions.begin() as session:
        workers.beat(session, "host:1")
    assert WARNING not in regulator.get("/dashboard").get_data(as_text=True)
    with sessions.begin() as session:
        session.execute(update(workers.WorkerBeat).values(last_seen=utcnow() - timedelta(seconds=61)))
    html = regulator.get("/dashboard").get_data(as_text=True)
    assert WARNING in html and NO_WORKER in " ".join(html.split())
