"""The database session of a request: opened on first use, closed when the request ends.

Reads use ``session()``; writes open their own transaction with ``transaction()`` so they
commit everything or nothing.
"""
from __future__ import annotations

from contextlib import AbstractContextManager

from flask import Flask, current_app, g
from sqlalchemy.orm import Session, sessionmaker

from matcher.result import Plan
from matcher.store.runs import plan_of
from matcher.store.tables import Run


def init_app(app: Flask) -> None:
    """Close the request's session when the request ends."""
    app.teardown_appcontext(_close)


def sessions() -> sessionmaker[Session]:
    """The app's session maker (for store functions that own their transaction)."""
    return current_app.extensions["db"]


def session() -> Session:
    """This request's session for reading."""
    if "db" not in g:
        g.db = sessions()()
    return g.db


def transaction() -> AbstractContextManager[Session]:
    """A new session in a transaction, for a ``with`` block: it commits on success and rolls back on error."""
    return sessions().begin()


def plan(run: Run) -> Plan:
    """A run's plan, typed (parsed once per process: a saved plan never changes). Also the ``plan`` filter."""
    return plan_of(session(), run)


def _close(_exc: BaseException | None) -> None:
    db = g.pop("db", None)
    if db is not None:
        db.close()
