"""Shared pieces of the fuzz tests: reproducible Hypothesis settings, a case counter and hostile values.

Every fuzz test calls ``count(target)`` once per generated case; ``conftest.py`` prints the totals
at the end of the session so a CI log shows how many cases each target ran.
"""
from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

#: Cases run per fuzz target in this session (filled in by the tests, printed by conftest.py).
CASES: Counter[str] = Counter()


def count(target: str) -> None:
    """Record one generated case for ``target``."""
    CASES[target] += 1


def fuzz(max_examples: int) -> settings:
    """Hypothesis settings for a fuzz test: a fixed, modest budget, reproducible, no example database."""
    return settings(max_examples=max_examples, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much, HealthCheck.large_base_example])


#: Text without lone surrogates (which cannot be encoded, so no real file or form holds them).
text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)

#: Values a hostile or careless editor puts where a number, word or date belongs.
HOSTILE_CELLS = (
    "", " ", "null", "NaN", "nan", "inf", "-inf", "Infinity", "1e999", "-1e999", "-1", "0", "-0", "1.5", "0.0001",
    "99999999999999999999999", "-99999999999999999999999", "1e300", "1_000", "1,000", "12abc", "abc", "--",
    "Good", "good", "GOOD", "Excellent", "Requires Improvment", "Not rated", "Inadequate ", "outstanding",
    "2026-13-45", "31/02/2026", "2026-02-30", "20261301", "2026", "2026-00", "yesterday", "0000-00-00",
    "Y", "N", "maybe", "open", "closed", "England", "Narnia", "R0A", "r0a", "RXL", "TOOLONGCODE", "R-1",
    "entered", "exited", "buddy", "management_contract", "accepted", "declined", "pending", "later",
    '"', '""', "'", ",", "a,b", "line\nbreak", "cr\rhere", "\t", "\x00", "\ufeff", "\ufeffR0A", "é", "🏥",
    "<script>alert(1)</script>", "=cmd|' /C calc'!A0", "x" * 5000,
)
