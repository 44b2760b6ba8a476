"""Why an uncovered recipient's supporters do not take it (issue 13, honest reasons): every claim checked.

Each supporter that could take the recipient is stopped by something the plan can show: a kept
recipient of greater need, room a swap would not free, the overstretch limit, the spread, the
budget, or only then a better-matched partnership. "A better match" is never said of a partnership
that scores less, and "greater need" never of a trust that counts no more.
"""
from __future__ import annotations

import re

from matcher.solve import propose
from tests.factories import make_instance

FAR = (54.40, -1.50)  # 211 km north of every other recipient


def test_a_supporter_kept_by_a_trust_of_greater_need_says_so_with_the_counts():
    # R2 scores higher with S1, but R1 is in persistent difficulty (a buddying counts 4 of its 8).
    instance = make_instance([("S1", "R1", "buddy", 1, 10, 1), ("S1", "R2", "buddy", 1, 90, 1)],
                             capacity={"S1": 1}, severity={"R1": 8}, persistent={"R1"})
    reasons = propose(instance).uncovered[0].reasons
    assert reasons[0] == ("Its only eligible supporter, Trust S1 (S1), is full: taking this trust instead of one of "
                          "its recipients would give up a trust of greater need.")
    assert reasons[1] == ("Trust S1 (S1), 10 km away, supports Trust R1 (R1), 10 km away: greater need (in "
                          "persistent difficulty, weighted 4 against this trust's 1).")


def test_a_supporter_whose_recipients_are_too_far_apart_says_which_and_how_far():
    # S1 takes R1 and R3 (severity 3); R2 counts less, and is 211 km from both.
    instance = make_instance([("S1", "R1", "buddy", 1, 10, 1), ("S1", "R3", "buddy", 1, 10, 1),
                              ("S1", "R2", "buddy", 1, 50, 1)],
                             capacity={"S1": 2}, severity={"R1": 3, "R3": 3}, where={"R2": FAR})
    plan = propose(instance)
    assert [u.recipient for u in plan.uncovered] == ["R2"]
    reasons = plan.uncovered[0].reasons
    assert reasons[0] == ("Its only eligible supporter, Trust S1 (S1), is full: taking this trust instead of one of "
                          "its recipients would give up a trust of greater need or break the 100 km limit between "
                          "its recipients.")
    assert ("greater need (rated Inadequate, weighted 3 against this trust's 1), and this trust is 211 km "
            "from its recipient Trust R") in reasons[1]
    assert reasons[1].endswith("and one supporter's recipients must be within 100 km of each other.")
    # More room alone would not help: the suggestion also names the spread it would need.
    assert reasons[-1] == ("What would change it: raising Trust S1 (S1)'s capacity from 2 to 3 and the distance "
                           "allowed between one supporter's recipients from 100 to 212 km would allow a buddying with "
                           "Trust S1 (S1) (score 50 points).")


def test_a_supporter_with_room_is_named_with_what_stops_it():
    instance = make_instance([("S1", "R1", "buddy", 1, 10, 1), ("S1", "R2", "buddy", 1, 50, 1)],
                             load={"R1": 600, "R2": 500}, load_limit={"S1": 1000})
    reasons = propose(instance).uncovered[0].reasons
    assert reasons[0].startswith("Its only eligible supporter, Trust S1 (S1), has room, but its recipients would "
                                 "together be ")
    assert reasons[0].endswith("over its overstretch limit of 1.5.")


def test_two_supporters_stopped_for_different_reasons_are_named_in_one_sentence():
    instance = make_instance([("S1", "R1", "buddy", 1, 80, 1), ("S1", "R3", "buddy", 1, 30, 1),
                              ("S2", "R2", "buddy", 1, 20, 1), ("S2", "R3", "buddy", 1, 10, 1)],
                             capacity={"S1": 1, "S2": 1})
    plan = propose(instance)
    assert [u.recipient for u in plan.uncovered] == ["R3"]
    assert plan.uncovered[0].reasons[0] == (
        "Neither of its 2 eligible supporters can take it: Trust S1 (S1) and Trust S2 (S2) are full: taking this "
        "trust instead of one of its recipients would give up a better match.")


def test_the_other_members_of_its_group_are_named_with_their_partners():
    instance = make_instance([("S1", "R1", "buddy", 1, 90, 1), ("S1", "R2", "buddy", 1, 10, 1)],
                             capacity={"S1": 1}, groups={"R1": "The Group", "R2": "The Group"})
    reasons = propose(instance).uncovered[0].reasons
    assert "It is in The Group with Trust R1 (R1), given a buddying with Trust S1 (S1) (10 km away)." in reasons


def test_every_claim_in_the_national_plan_checks_out(national_plan):
    """Over the shipped plan: each "better match" scores at least as much, each "greater need" counts more."""
    claims = [r for u in national_plan.uncovered for r in u.reasons]
    better = re.findall(r"a better match: (-?[\d,]+) points against (-?[\d,]+) for this trust", " ".join(claims))
    need = re.findall(r"weighted ([\d.]+) against this trust's ([\d.]+)", " ".join(claims))
    assert better and need  # the plan has both kinds of claim
    assert all(int(a.replace(",", "")) >= int(b.replace(",", "")) for a, b in better)
    assert all(float(a) > float(b) for a, b in need)
    assert not any(a.startswith("-") or b.startswith("-") for a, b in better)  # a negative score is not eligible
    assert not any("score higher" in r or "support unit" in r or "All 2 of" in r for r in claims)
