"""Every text the database keeps has a length limit, checked the same way on SQLite and PostgreSQL.

PostgreSQL refuses a value longer than its ``VARCHAR(n)`` column, and SQLite silently keeps it, so a
form that forgot a length check was a server error on one database and a quiet success on the other.
Before every flush, each new or changed row is checked here against its column's width (or, for an
unbounded ``TEXT`` column, against ``TEXT_LIMITS``), so a missing check fails the same way
everywhere, tests on SQLite included. Forms and the API check lengths first and say so in words;
this is the backstop, not the message.
"""
from __future__ import annotations

from itertools import chain

from sqlalchemy import String, event, inspect
from sqlalchemy.orm import Session

#: The longest text each unbounded column may hold (``table.column``).
TEXT_LIMITS = {
    "scenarios.config_yaml": 512 * 1024, "scenarios.note": 2000, "jobs.error": 4000,
    "decisions.reason_text": 2000, "pair_rules.reason": 1000,
    "declarations.note": 2000,
}


class TextTooLong(ValueError):
    """A text longer than its column allows reached the database: a check is missing before it."""


def limit_of(table: str, column) -> int | None:
    """The most characters ``column`` of ``table`` may hold (None: not text, or no limit)."""
    if isinstance(column.type, String) and column.type.length:
        return column.type.length
    return TEXT_LIMITS.get(f"{table}.{column.name}")


@event.listens_for(Session, "before_flush")
def _check_lengths(session: Session, _context, _instances) -> None:
    for item in chain(session.new, session.dirty):
        state = inspect(item)
        table = state.mapper.local_table
        for attribute in state.mapper.column_attrs:
            if attribute.key in state.unloaded or len(attribute.columns) != 1:
                continue  # never load a deferred column (a run's plan) just to check it
            column = attribute.columns[0]
            value = state.dict.get(attribute.key)
            limit = limit_of(table.name, column) if isinstance(value, str) else None
            if limit is not None and len(value) > limit:
                raise TextTooLong(f"{table.name}.{column.name} is {len(value):,} characters long; it holds at most "
                                  f"{limit:,}")
