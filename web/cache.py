"""Small in-process caches for what never changes once written: a run's plan and its tables.

A run's plan and partnerships are immutable after the run is saved, so their rendered forms can
be kept per process and reused by every request (the load benchmark's busiest pages). Keys carry
everything the output depends on; each cache holds at most ``SIZE`` entries, oldest dropped first.

Whole pages (``page``) are kept per person and session, keyed also by a version of whatever
can still change on the page (a run's publication, the offers' version numbers), which the
view reads with one small query: a changed row changes the key, so a stale page is never served.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import current_app, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from . import data

T = TypeVar("T")
SIZE = 256


class Lru:
    """A thread-safe least-recently-used cache."""

    def __init__(self, size: int = SIZE):
        self.size = size
        self._items: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_make(self, key: Hashable, make: Callable[[], T]) -> T:
        """The cached value for ``key``, made (outside the lock) and kept if missing."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]  # type: ignore[return-value]
        value = make()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        """Forget everything (tests)."""
        with self._lock:
            self._items.clear()


def page(version: Hashable, make: Callable[[], str]) -> str:
    """This person's page at this address, made once per ``version`` of what can change on it.

    The key holds the person (the header shows who they are), the session's CSRF token (forms on
    the page carry it), the data loaded and the full address with its query. A page with a
    message waiting to be shown once (a flash) is never cached.
    """
    if session.get("_flashes"):
        return make()
    generate_csrf()  # the session has its token before the token becomes part of the key
    key = (current_app.config["DATABASE_URL"], request.full_path, current_user.id, current_user.email,
           current_user.role, current_user.trust_code, session.get("csrf_token"), id(data.classified()), version)
    return pages.get_or_make(key, make)


plan_json = Lru()
fragments = Lru()
pages = Lru(512)
