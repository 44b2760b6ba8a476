"""The service's database: tables, migrations and transactional functions (SQLAlchemy 2, no Flask).

SQLite is the embedded default; PostgreSQL works through ``DATABASE_URL``. Every function that
writes takes a session inside ``session.begin()`` from its caller or opens one itself, so a
failure leaves nothing half-written.
"""

from . import limits, outcome_tables, workers  # noqa: F401  # the length check on every flush; more tables
