"""The regulator's list of offers: filters, counts, who is still to answer, and declared capacity it cannot use."""
from datetime import UTC, datetime

from matcher.present.offer_list import (
    DeclaredCapacity,
    OfferAnswer,
    OfferFilters,
    OfferRow,
    counts,
    filter_offers,
)

AT = datetime(2026, 12, 1, tzinfo=UTC)
REGIONS = {"SOM": "South West", "RXW": "Midlands", "NTH": "North East and Yorkshire", "BLK": "North West"}
NAMES = {"SOM": "Somerset", "RXW": "Shrewsbury", "NTH": "Northumbria", "BLK": "Blackpool"}
ROWS = [OfferRow(1, "SOM", "RXW", "buddy", "pending", 1, AT, (OfferAnswer("SOM", "supporter", "accepted", "", AT),)),
        OfferRow(2, "NTH", "BLK", "buddy", "declined", 1, AT,
                 (OfferAnswer("BLK", "recipient", "declined", "too far", AT),))]


def test_filters_by_status_region_of_either_trust_and_trust_code_or_name():
    assert [r.id for r in filter_offers(ROWS, OfferFilters(status="declined"), REGIONS, NAMES)] == [2]
    assert [r.id for r in filter_offers(ROWS, OfferFilters(region="Midlands"), REGIONS, NAMES)] == [1]
    assert [r.id for r in filter_offers(ROWS, OfferFilters(trust="blk"), REGIONS, NAMES)] == [2]
    assert [r.id for r in filter_offers(ROWS, OfferFilters(trust="shrew"), REGIONS, NAMES)] == [1]
    assert filter_offers(ROWS, OfferFilters(status="pending", region="North West"), REGIONS, NAMES) == []
    assert not OfferFilters().active and OfferFilters(trust="x").active


def test_counts_every_status_and_says_who_is_still_to_answer():
    assert counts(ROWS) == {"pending": 1, "accepted": 0, "declined": 1, "withdrawn": 0}
    assert ROWS[0].waiting_for() == ("RXW",) and ROWS[1].waiting_for() == ()


def test_capacity_declared_by_a_trust_in_difficulty_is_flagged_not_ignored():
    assert "in difficulty" in DeclaredCapacity("BLK", True, 2, "new team", AT, "recipient").flag
    assert "not a supporter" in DeclaredCapacity("XYZ", True, 1, "", AT, "neither").flag
    assert DeclaredCapacity("SOM", True, 1, "", AT, "supporter").flag == ""
    assert DeclaredCapacity("BLK", False, 0, "", AT, "recipient").flag == ""  # unwilling: nothing to use
