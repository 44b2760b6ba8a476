"""Where the trusts are: a known location, the distance limit by kind, the optional same-region rule."""
from __future__ import annotations

import math

from tests.matcher.rules.pairs import breaks, config, reject


def test_both_locations_known_passes():
    assert not breaks("no_location")


def test_an_unknown_location_cannot_be_measured():
    assert breaks("no_location", distance_km=math.nan)
    assert reject("no_location") == "a head-office location is unknown, so the distance cannot be measured"


def test_within_the_limit_for_the_kind():
    assert not breaks("distance", distance_km=200.0)
    assert not breaks("distance", kind="management_contract", distance_km=80.0)


def test_over_the_limit_for_the_kind():
    assert breaks("distance", distance_km=200.1)
    assert breaks("distance", kind="management_contract", distance_km=81.0)
    assert reject("distance") == "212 km apart, over the 200 km limit for buddying"
    assert (reject("distance", kind="management_contract")
            == "212 km apart, over the 80 km limit for management contracts")


def test_same_region_is_off_by_default():
    assert not breaks("same_region", same_region=False)


def test_same_region_when_switched_on():
    on = config("geography:\n  same_region: true\n")
    assert breaks("same_region", on, same_region=False)
    assert not breaks("same_region", on, same_region=True)
    assert reject("same_region", on) == ("different regions (Midlands and London) and only same-region pairs are "
                                         "allowed")
