"""Fresh databases for tests.

A SQLite file by default, or a new schema in the PostgreSQL database named by
``TEST_DATABASE_URL`` (CI runs the whole suite once each way).
"""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

from matcher.store.engine import database_url as database_url_from_env


@contextmanager
def fresh_database_url(directory: Path, prefix: str = "test") -> Iterator[str]:
    """The URL of an empty database that is dropped afterwards (the SQLite file lives in ``directory``)."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{directory / 'buddying.sqlite3'}"
        return
    schema = f"{prefix}_{uuid.uuid4().hex[:16]}"
    server_url = database_url_from_env({"DATABASE_URL": base})
    admin = create_engine(server_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(server_url).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
