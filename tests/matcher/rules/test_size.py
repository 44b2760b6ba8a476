"""Sizes: known, within the limits, priceable.

A supporter of known size, a recipient within the size limit for its kind and within the load limit on its
own, and a recipient that can be priced.
"""
from __future__ import annotations

import math

from tests.matcher.rules.pairs import breaks, reject


def test_a_supporter_of_known_size_may_take_on_a_recipient():
    assert not breaks("supporter_size")


def test_a_supporter_of_unknown_size_may_not():
    assert breaks("supporter_size", supporter_income=math.nan)
    assert reject("supporter_size") == ("Supporting Hospitals NHS Trust (RSS)'s size (estimated income) is unknown, "
                                        "so it has no capacity and cannot take on a recipient")


def test_a_recipient_up_to_twice_the_supporters_size_may_be_buddied():
    assert not breaks("size_ratio", supporter_income=1e9, recipient_income=2e9)


def test_a_larger_recipient_may_not_be_buddied():
    assert breaks("size_ratio", supporter_income=1e9, recipient_income=2.01e9)
    assert reject("size_ratio") == ("Receiving Hospitals NHS Trust (RRR) is 2.5 times the size of Supporting "
                                    "Hospitals NHS Trust (RSS), over the 2 limit for a buddying")
    # Just over the limit, more decimals: never "2.0 times ..., over the 2 limit".
    assert reject("size_ratio", size_ratio=2.003).startswith("Receiving Hospitals NHS Trust (RRR) is 2.003 times")
    assert reject("overload", size_ratio=1.54).startswith("Receiving Hospitals NHS Trust (RRR) alone is 1.54 times")


def test_a_managed_trust_may_be_at_most_one_and_a_half_times_the_supporter():
    assert not breaks("size_ratio", kind="management_contract", supporter_income=1e9, recipient_income=1.5e9)
    assert breaks("size_ratio", kind="management_contract", supporter_income=1e9, recipient_income=1.51e9)


def test_a_recipient_within_the_load_limit_on_its_own_fits():
    assert not breaks("overload", supporter_income=1e9, recipient_income=1.5e9)


def test_a_recipient_over_the_whole_load_limit_never_fits():
    assert breaks("overload", supporter_income=1e9, recipient_income=1.6e9)
    assert reject("overload") == ("Receiving Hospitals NHS Trust (RRR) alone is 2.5 times the size of Supporting "
                                  "Hospitals NHS Trust (RSS), over the load limit of 1.5 times its income")


def test_a_recipient_with_an_income_can_be_priced():
    assert not breaks("no_income")


def test_a_recipient_without_an_income_cannot():
    assert breaks("no_income", recipient_income=math.nan)
    assert reject("no_income") == ("Receiving Hospitals NHS Trust (RRR)'s income cannot be estimated, so the "
                                   "incentive cannot be priced")
