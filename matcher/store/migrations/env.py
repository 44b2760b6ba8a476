"""Alembic environment: migrations run on the connection ``engine.migrate`` hands over."""
from __future__ import annotations

from alembic import context

from matcher.store.tables import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reached when alembic is run by hand
    raise SystemExit("Run migrations through matcher.store.engine.migrate (python -m web db upgrade).")
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
