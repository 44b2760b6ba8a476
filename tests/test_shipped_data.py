"""The shipped data, classified with the defaults, gives the picture DOMAIN.md §3 describes.

These are regression figures for the shipped files at a fixed date; if the data is
refreshed, update them deliberately after reading the new classification.
"""
from __future__ import annotations

from collections import Counter

import pytest

from matcher.pipeline import load_and_classify
from tests.factories import AS_OF


@pytest.fixture(scope="module")
def result():
    return load_and_classify(as_of=AS_OF)


def test_counts_match_the_domain_sanity_check(result):
    roles = Counter(c.role.value for c in result.classifications)
    assert len(result.classifications) == 199
    assert roles == {"recipient": 64, "supporter": 31, "neither": 104}
    assert sum(c.persistent for c in result.classifications) == 8
    acute_supply = [c for c in result.classifications
                    if c.role.value == "supporter" and c.sector in ("acute", "specialist")]
    assert len(acute_supply) == 16


def test_recipients_are_almost_all_acute(result):
    recipients = [c for c in result.classifications if c.role.value == "recipient"]
    assert sum(c.sector == "acute" for c in recipients) == 62


@pytest.mark.parametrize("code, role, persistent", [
    ("RXL", "recipient", True),   # Blackpool: segment 4, Inadequate, in the RSP in 2025
    ("RWD", "recipient", True),   # United Lincolnshire: special measures 2013 and 2017
    ("R0A", "recipient", False),  # Manchester: Requires improvement with weak well-led, segment 3
    ("RBV", "supporter", False),  # The Christie: segment 1, well-led Outstanding
    ("RTH", "neither", False),    # Oxford: segment 3
])
def test_named_examples(result, code, role, persistent):
    item = next(c for c in result.classifications if c.code == code)
    assert (item.role.value, item.persistent) == (role, persistent)
    assert item.reasons
