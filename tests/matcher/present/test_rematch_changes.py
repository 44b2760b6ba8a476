"""A re-match's list of changes names each changed recipient's old and new partner and says why."""
from matcher.domain import Pair
from matcher.present.rematch_changes import PartnerChange, rematch_changes
from matcher.rematch import RuledOut
from tests.factories import typed_plan

NAMES = {"SOM": "Somerset", "CHR": "The Christie", "RXW": "Shrewsbury", "YRK": "York", "BLK": "Blackpool",
         "NTH": "Northumbria", "LEE": "Leeds"}


def plan(*pairs):
    return typed_plan({"pairs": [{"supporter": s, "recipient": r, "kind": k} for s, r, k in pairs]})


def changes(previous, current, ruled=(), unwilling=frozenset()):
    ruled_out = {(r.supporter, r.recipient): r for r in ruled}
    return rematch_changes(previous, current, ruled_out, unwilling, NAMES)


def test_a_decline_names_who_declined_and_why_and_the_moved_recipient_names_both_partners():
    before = plan(("SOM", "RXW", "buddy"), ("CHR", "YRK", "buddy"))
    after = plan(("CHR", "RXW", "buddy"), ("SOM", "YRK", "buddy"))
    declined = RuledOut("CHR", "YRK", "YRK", "the partner trust is too far away to support well")
    result = changes(before, after, [declined])
    assert result.changes == (
        PartnerChange("RXW", "SOM", "buddy", "CHR", "buddy", "Moved to free Somerset's capacity for York."),
        PartnerChange("YRK", "CHR", "buddy", "SOM", "buddy",
                      "Declined by York: the partner trust is too far away to support well."),
    )
    assert set(result.new_offers) == {Pair("CHR", "RXW", "buddy"), Pair("SOM", "YRK", "buddy")}
    assert result.withdrawn == (Pair("SOM", "RXW", "buddy"),)  # it was waiting for an answer
    assert result.no_longer_offered == (Pair("CHR", "YRK", "buddy"),)  # it was declined, not withdrawn
    assert result.unchanged == 0


def test_a_newly_covered_recipient_says_whose_capacity_it_takes_and_an_unchanged_pair_is_not_listed():
    before = plan(("NTH", "BLK", "buddy"), ("LEE", "YRK", "buddy"))
    after = plan(("NTH", "BLK", "buddy"), ("LEE", "RXW", "buddy"))
    result = changes(before, after, [RuledOut("LEE", "YRK", None, "shared chair")])
    assert [(c.recipient, c.old_supporter, c.new_supporter, c.reason) for c in result.changes] == [
        ("RXW", None, "LEE", "Newly covered, with the capacity Leeds had for York."),
        ("YRK", "LEE", None, "Excluded by the regulator: shared chair."),
    ]
    assert result.unchanged == 1 and result.withdrawn == ()


def test_an_unwilling_supporter_and_a_change_of_kind_are_explained():
    before = plan(("NTH", "BLK", "buddy"), ("LEE", "YRK", "buddy"))
    after = plan(("NTH", "BLK", "management_contract"))
    result = changes(before, after, unwilling=frozenset({"LEE"}))
    assert [c.reason for c in result.changes] == ["The kind of support changed.",
                                                  "Leeds said it cannot take on more support."]
    assert set(result.withdrawn) == {Pair("NTH", "BLK", "buddy"), Pair("LEE", "YRK", "buddy")}
    assert result.new_offers == (Pair("NTH", "BLK", "management_contract"),)


def test_a_recipient_left_without_a_partner_for_no_named_cause_says_so():
    result = changes(plan(("NTH", "BLK", "buddy")), plan())
    assert result.changes[0].reason == ("Left without a partner, so that recipients of greater need or better "
                                        "matches are covered.")
