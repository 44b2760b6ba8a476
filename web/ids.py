"""Database ids in URLs and JSON: whole numbers from 1 up to what a 32-bit integer column holds.

Anything larger cannot name a row, so it is "not found" (in a URL) or a field error (in JSON),
never a database overflow.
"""
from __future__ import annotations

from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1


class DatabaseId(IntegerConverter):
    """``<int:...>`` in every route: a whole number no larger than ``MAX_ID``."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)
