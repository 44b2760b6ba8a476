"""Small in-process caches for what never changes once written: a run's plan and its tables.

A run's plan and partnerships are immutable after the run is saved, so their rendered forms can
be kept per process and reused by every request (the load benchmark's busiest pages). Keys carry
everything the output depends on; each cache holds at most ``SIZE`` entries, oldest dropped first.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

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


plan_json = Lru()
fragments = Lru()
