"""Reading JSON request bodies without ever running out of stack.

Python's JSON reader is recursive: a body of 10,000 nested brackets raises ``RecursionError``,
which Flask does not treat as bad JSON, so it became a server error on every route that reads a
body. Here any body nested deeper than ``MAX_DEPTH`` (the API's bodies are flat objects) is bad
JSON like any other, and Flask answers 400.
"""
from __future__ import annotations

from typing import Any

from flask.json.provider import DefaultJSONProvider

MAX_DEPTH = 20


class SafeJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider, refusing deep nesting as invalid JSON (a ``ValueError``)."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        """Parse ``s``; nesting beyond ``MAX_DEPTH`` (or beyond the stack) is a ``ValueError``."""
        try:
            value = super().loads(s, **kwargs)
        except RecursionError:
            raise ValueError("JSON nested too deeply") from None
        if _depth(value) > MAX_DEPTH:
            raise ValueError(f"JSON nested more than {MAX_DEPTH} deep")
        return value


def _depth(value: Any) -> int:
    """How deeply lists and objects nest in a parsed value (walked without recursion)."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, depth)
            pending.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest
