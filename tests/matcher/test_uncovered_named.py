"""An uncovered recipient names at most 5 eligible supporters, the most relevant first, and counts the rest.

At 20,000 providers a recipient may have hundreds of eligible supporters; naming each, with every
recipient each one keeps, made a book per recipient. The explanation names the ``NAMED`` (5) whose
options score best (the plan's own preference among equals in need) and says, in one sentence, how
many of the others each reason stops; those counts are also kept as numbers (``uncovered_unnamed``).
Nationally a recipient has at most 5, so nothing there changes.
"""
from __future__ import annotations

import pytest

from matcher.domain import Pair
from matcher.explain import NAMED, Unnamed, explain
from matcher.explain.options import PlanIndex
from matcher.explain.wording import Narrator
from matcher.model.problem import SolverOptions
from matcher.result import Plan
from matcher.solve import propose
from tests.factories import make_instance


@pytest.fixture(scope="module")
def crowd():
    """R0 has 9 eligible supporters, S1 (best score with R0) to S9 (worst), each keeping one recipient Rk.

    Every Rk scores 90 with its supporter, more than R0 does. R6 and R7 are rated Inadequate (severity
    3), so S6 and S7 keep trusts of greater need; S8 keeps a better match; S9 has room for R0, but R0's
    income would take S9 over its overstretch limit.
    """
    arcs = [(f"S{k}", "R0", "buddy", 1, score, 1) for k, score in enumerate((80, 70, 60, 50, 40, 30, 20, 15, 5), 1)]
    arcs += [(f"S{k}", f"R{k}", "buddy", 1, 90, 1) for k in range(1, 10)]
    instance = make_instance(arcs, capacity={f"S{k}": 1 for k in range(1, 9)} | {"S9": 2},
                             severity={"R6": 3, "R7": 3}, load={"R0": 600, "R9": 500}, load_limit={"S9": 1000})
    return instance, [Pair(f"S{k}", f"R{k}", "buddy") for k in range(1, 10)]


@pytest.fixture(scope="module")
def crowded(crowd):
    return explain(*crowd)


def test_the_limit_is_five():
    assert NAMED == 5


def test_a_recipient_with_more_than_five_eligible_supporters_names_exactly_five_best_scoring_first(crowded):
    first = crowded.uncovered_reasons["R0"][0]
    assert first.startswith("None of its 9 eligible supporters can take it. The 5 with the best-scoring options: "
                            "Trust S1 (S1), Trust S2 (S2), Trust S3 (S3), Trust S4 (S4) and Trust S5 (S5) are full: ")
    named = [f"(S{k})" for k in range(1, 10) if f"(S{k})" in first]
    assert named == ["(S1)", "(S2)", "(S3)", "(S4)", "(S5)"]


def test_only_the_named_supporters_get_a_sentence_on_what_they_keep(crowded):
    details = [r for r in crowded.uncovered_reasons["R0"] if ", 10 km away, supports " in r]
    assert [d.split(" ")[2] for d in details] == ["(S1),", "(S2),", "(S3),", "(S4),", "(S5),"]


def test_the_others_are_counted_by_reason_and_the_counts_add_up(crowded):
    reasons = crowded.uncovered_reasons["R0"]
    assert reasons[1] == (
        "The other 4 eligible supporters, not named here: 2 are full, and the swap that comes nearest would still "
        "give up a trust of greater need; 1 is full, and the swap that comes nearest would still give up a better "
        "match; 1 has room, but this trust would take its recipients over its overstretch limit.")
    counts = crowded.uncovered_unnamed["R0"]
    assert counts == Unnamed(full={"need": 2, "match": 1}, room={"load": 1})
    assert counts.total == 9 - NAMED


def test_what_would_change_it_is_still_said(crowded):
    assert crowded.uncovered_reasons["R0"][-1] == (
        "What would change it: raising Trust S1 (S1)'s capacity from 1 to 2 would allow a buddying with Trust S1 "
        "(S1) (score 80 points).")


def test_a_recipient_explained_on_its_own_reads_as_when_checked_with_all_the_others(crowd, crowded):
    narrator = Narrator(PlanIndex(*crowd))
    assert tuple(narrator.uncovered_reasons("R0")) == crowded.uncovered_reasons["R0"]
    assert narrator.unnamed["R0"] == crowded.uncovered_unnamed["R0"]


def test_a_recipient_with_five_eligible_supporters_names_them_all_and_counts_none():
    arcs = [(f"S{k}", "R0", "buddy", 1, 10 * k, 1) for k in range(1, 6)]
    arcs += [(f"S{k}", f"R{k}", "buddy", 1, 90, 1) for k in range(1, 6)]
    instance = make_instance(arcs, capacity={f"S{k}": 1 for k in range(1, 6)})
    notes = explain(instance, [Pair(f"S{k}", f"R{k}", "buddy") for k in range(1, 6)])
    reasons = notes.uncovered_reasons["R0"]
    assert reasons[0] == (
        "None of its 5 eligible supporters can take it: Trust S5 (S5), Trust S4 (S4), Trust S3 (S3), Trust S2 (S2) "
        "and Trust S1 (S1) are full: taking this trust instead of one of its recipients would give up a better "
        "match.")
    assert not any("not named here" in r for r in reasons)
    assert notes.uncovered_unnamed == {}


def test_no_national_recipient_has_more_than_five_so_none_is_summarised(national_plan):
    assert national_plan.uncovered
    assert not any("not named here" in r for u in national_plan.uncovered for r in u.reasons)
    assert all(u.unnamed is None for u in national_plan.uncovered)
    assert not any("unnamed" in u for u in national_plan.to_dict()["uncovered"])  # the JSON reads as before


def test_a_plans_json_carries_the_counts_of_the_unnamed_and_reads_them_back(crowd):
    instance, _ = crowd
    plan = propose(instance, SolverOptions(time_limit_s=10.0, workers=1))
    r0 = next(u for u in plan.to_dict()["uncovered"] if u["recipient"] == "R0")
    counted = sum(r0["unnamed"]["full"].values()) + sum(r0["unnamed"]["room"].values())
    assert counted == 4 and r0["reasons"][1].startswith("The other 4 eligible supporters, not named here: ")
    assert Plan.from_dict(plan.to_dict()).uncovered == plan.uncovered
