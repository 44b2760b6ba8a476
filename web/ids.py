"""Database ids in URLs and JSON: whole numbers from 1 up to what a 32-bit integer column holds.

Anything larger cannot name a row, so it is "not found" (in a URL) or a field error (in JSON),
never a database overflow.
"""
from __future__ import annotations

from werkzeug.routing import IntegerConverter

from matcher.parsing import database_id

MAX_ID = 2**31 - 1


def form_id(text: str | None) -> int | None:
    """An id typed in a form or query string (``"12"``), else None: ASCII digits only, 1 to ``MAX_ID``."""
    return database_id(text or "", MAX_ID)


class DatabaseId(IntegerConverter):
    """``<int:...>`` in every route: a whole number no larger than ``MAX_ID``."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)
