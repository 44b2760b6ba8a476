"""Keeping a worker alive beside the web server.

``python -m web serve`` starts one and, whenever it exits or is killed, fails the runs it held
and starts another.

Before this, a killed worker was never replaced: queued runs waited for ever and nothing said so
until someone restarted the service. The supervisor lives in the server's main process and is
checked from gunicorn's master loop (about once a second), not from a thread: gunicorn forks its
web workers from that process, and a fork must never copy a thread halfway through its work. The
restart waits ``FIRST_DELAY`` seconds, doubling up to ``LONGEST_DELAY`` while the worker keeps dying
young, so a worker that cannot start does not spin.
"""
from __future__ import annotations

import logging
import os
import socket
import subprocess  # nosec B404  # starts only this service's own worker, with a fixed argv (below)
import sys
import time

from sqlalchemy.orm import Session, sessionmaker

from matcher.store import workers

LOG = logging.getLogger(__name__)
FIRST_DELAY = 1.0
LONGEST_DELAY = 30.0
SETTLED_AFTER = 60.0  # a worker that lived this long was healthy: the next restart is quick again


class WorkerSupervisor:
    """One worker process (``python -m web worker``), restarted whenever it exits."""

    def __init__(self, sessions: sessionmaker[Session], env: dict[str, str] | None = None):
        self.sessions = sessions
        self.env = env if env is not None else os.environ.copy()
        self.owner = os.getpid()  # only this process starts or stops workers (gunicorn's children inherit us)
        self.process: subprocess.Popen | None = None
        self.started = 0.0
        self.delay = FIRST_DELAY
        self.next_start = 0.0
        self.restarts = 0

    def start(self) -> None:
        """Start the worker now."""
        self.process = subprocess.Popen([sys.executable, "-m", "web", "worker"], env=self.env)  # nosec B603  # fixed argv
        self.started = time.monotonic()
        LOG.info("started worker (pid %s)", self.process.pid)

    def check(self) -> None:
        """Restart the worker if it has gone (call this often); never raises, so the server keeps serving."""
        if os.getpid() != self.owner:
            return
        try:
            self._check()
        except Exception:  # the web server must outlive any trouble here; the next check tries again
            LOG.exception("could not check or restart the worker")

    def _check(self) -> None:
        now = time.monotonic()
        if self.process is None:
            if now >= self.next_start:
                self.restarts += 1
                self.start()
            return
        if self.process.poll() is None:
            if now - self.started > SETTLED_AFTER:
                self.delay = FIRST_DELAY
            return
        name = f"{socket.gethostname()}:{self.process.pid}"
        with self.sessions.begin() as session:
            failed = workers.stopped(session, name)
        LOG.error("worker %s stopped (exit status %s); %d run(s) it held marked failed; restarting in %.0f s",
                  name, self.process.returncode, failed, self.delay)
        self.process = None
        self.next_start = now + self.delay
        self.delay = min(self.delay * 2, LONGEST_DELAY)

    def stop(self) -> None:
        """Stop the worker (when the server stops)."""
        if os.getpid() != self.owner or self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.process = None
