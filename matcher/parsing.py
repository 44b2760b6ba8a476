"""Reading numbers that people typed: ASCII digits only, of a sensible length.

Python's ``int`` and ``float`` accept far more than a form should: digits of any script
(``int("٣")`` is 3), underscores (``1_000``), and ``str.isdigit`` is true for ``"²"``, which
``int`` then refuses, so a check with one and a parse with the other is a server error waiting
to happen. Every number from a form, a URL or a configuration field is read here instead.
"""
from __future__ import annotations

import re

WHOLE = re.compile(r"[+-]?[0-9]{1,18}")
DECIMAL = re.compile(r"[+-]?(?:[0-9]{1,30}(?:\.[0-9]{0,30})?|\.[0-9]{1,30})(?:[eE][+-]?[0-9]{1,3})?")


def whole_number(text: str) -> int | None:
    """The whole number ``text`` spells in ASCII digits (an optional sign, no spaces), else None."""
    return int(text) if WHOLE.fullmatch(text) else None


def decimal_number(text: str) -> float | None:
    """The decimal number ``text`` spells (``1.5``, ``-2``, ``.5``, ``1e3``) in ASCII, else None."""
    return float(text) if DECIMAL.fullmatch(text) else None


def database_id(text: str, largest: int = 2**31 - 1) -> int | None:
    """A row id from a form or query: ASCII digits only, from 1 to ``largest``, else None."""
    value = whole_number(text) if text[:1] not in "+-" else None
    return value if value is not None and 1 <= value <= largest else None


def count_from(text: str, low: int, high: int) -> int | None:
    """A whole number from ``low`` to ``high`` typed as ASCII digits (no sign), else None."""
    value = whole_number(text) if text[:1] not in "+-" else None
    return value if value is not None and low <= value <= high else None
