"""Where the database is and how to open it: ``DATABASE_URL`` or the embedded SQLite file.

``open_database`` always migrates first, so every command (serve, worker, users add) works on
a fresh, empty database just as on an old one.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import cast

from alembic import command
from alembic.config import Config
from sqlalchemy import CursorResult, Engine, Result, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_URL = f"sqlite:///{ROOT / 'instance' / 'buddying.sqlite3'}"
MIGRATIONS = Path(__file__).with_name("migrations")


def database_url(environ: dict[str, str] | None = None) -> str:
    """``DATABASE_URL`` from the environment, else the embedded SQLite file under ``instance/``.

    A plain ``postgresql://`` URL is read with the psycopg 3 driver this project installs.
    """
    url = (environ if environ is not None else os.environ).get("DATABASE_URL") or DEFAULT_URL
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def make_engine(url: str, **kwargs) -> Engine:
    """An engine for ``url``; SQLite gets foreign keys, WAL and a wait on locks instead of an error."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (creating it on an empty database)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def open_database(url: str | None = None, **kwargs) -> tuple[Engine, sessionmaker[Session]]:
    """Migrate the database at ``url`` (default: ``database_url()``) and return an engine and session maker."""
    engine = make_engine(url or database_url(), **kwargs)
    migrate(engine)
    return engine, sessionmaker(engine, expire_on_commit=False)


def read_snapshot(session: Session) -> Session:
    """Make every read in the session's current transaction see the database as of its first read.

    A re-match reads offers, decisions, rules and declarations in several queries; answers
    arriving meanwhile must not leave it with half of them. PostgreSQL gets REPEATABLE READ;
    SQLite (in WAL mode) gets an explicit deferred transaction, whose snapshot holds until it ends.
    """
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
    elif connection.dialect.name == "sqlite":
        driver = connection.connection.dbapi_connection  # the sqlite3 connection (None only once invalidated)
        if driver is not None and not driver.in_transaction:
            connection.exec_driver_sql("BEGIN")
    return session


def rows_changed(result: Result) -> int:
    """How many rows an UPDATE changed.

    ``Session.execute`` is typed as returning a ``Result``; for an UPDATE it is a ``CursorResult``,
    the one with ``rowcount``, and SQLAlchemy's documented way to say so is a cast.
    """
    return cast(CursorResult, result).rowcount
