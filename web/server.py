"""Serving the app with gunicorn, a production WSGI server (Linux), as ``python -m web serve`` does.

The app is loaded once in the master process (data loaded and checked, database migrated) and
the workers are forked from it; each worker drops the database connections it inherited so no
connection is ever shared between processes. The master's loop also checks the run worker's
supervisor (``web.supervisor``), so a dead run worker is replaced within a second or two.
"""
from __future__ import annotations

import os
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication
from gunicorn.arbiter import Arbiter

from .supervisor import WorkerSupervisor


def default_workers() -> int:
    """One worker per core plus one.

    A request here is short and CPU-bound (rendering, SQLite in the process), so workers beyond
    the cores only take turns on them and queue behind each other; gunicorn's usual 2 per core + 1
    is for workers that wait on I/O. Measured with ``bench/load_bench.py`` on 2 cores, 20 clients:
    p95 of the proposal page 56 ms with 5 workers, 44 ms with 4, 40 ms with 3.
    """
    return (os.cpu_count() or 1) + 1


class Server(BaseApplication):
    """gunicorn running an already-created Flask app."""

    def __init__(self, app: Flask, host: str, port: int, workers: int | None = None,
                 supervisor: WorkerSupervisor | None = None):
        self.app = app
        self.supervisor = supervisor
        self.options = {
            "bind": f"{host}:{port}", "workers": workers or default_workers(), "preload_app": True,
            "accesslog": None, "errorlog": "-", "loglevel": "warning", "timeout": 60, "graceful_timeout": 10,
            "post_fork": _forget_inherited_connections, "proc_name": "buddying",
        }
        super().__init__()

    def load_config(self) -> None:
        """Hand gunicorn our options (gunicorn calls this instead of reading its command line)."""
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        """The app created before the workers fork, so the data is loaded and checked once."""
        return self.app

    def run(self) -> None:
        """Gunicorn's master loop, checking the run worker's supervisor on each turn."""
        _SupervisingArbiter(self, self.supervisor).run()


class _SupervisingArbiter(Arbiter):
    """gunicorn's master, which also keeps the run worker alive (its loop turns about once a second)."""

    def __init__(self, app: Server, supervisor: WorkerSupervisor | None):
        super().__init__(app)
        self.supervisor = supervisor

    def manage_workers(self) -> None:
        super().manage_workers()
        if self.supervisor is not None:
            self.supervisor.check()


def _forget_inherited_connections(_server: Any, worker: Any) -> None:
    worker.app.app.extensions["db_engine"].dispose(close=False)
