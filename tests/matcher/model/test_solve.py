"""Solving: the lexicographic order (coverage, then score, then spend), statuses, determinism, infeasibility."""
from __future__ import annotations

import pytest

from matcher.domain import Pair
from matcher.model.diagnose import InfeasibleError
from matcher.result import Objective
from matcher.solve import propose
from matcher.validate import violations
from tests.factories import make_instance


def chosen(plan) -> set[Pair]:
    return {Pair(p.supporter, p.recipient, p.kind) for p in plan.pairs}


def test_coverage_comes_before_score():
    # S1 has one unit: it can take the severe recipient R1 (score 10) or the mild R2 (score 900).
    instance = make_instance([("S1", "R1", "buddy", 1, 10, 100), ("S1", "R2", "buddy", 1, 900, 100)],
                             capacity={"S1": 1}, severity={"R1": 3, "R2": 1})
    plan = propose(instance)
    assert chosen(plan) == {Pair("S1", "R1", "buddy")}
    assert plan.objective == Objective(coverage=3.0, score=10, spend=100)


def test_covering_two_beats_one_better_pair():
    instance = make_instance([("S1", "R1", "buddy", 1, 1000, 100), ("S1", "R2", "buddy", 1, 1, 100),
                              ("S2", "R1", "buddy", 1, 1, 100)], capacity={"S1": 1, "S2": 1})
    assert chosen(propose(instance)) == {Pair("S1", "R2", "buddy"), Pair("S2", "R1", "buddy")}


def test_score_comes_before_spend():
    instance = make_instance([("S1", "R1", "buddy", 1, 500, 900), ("S2", "R1", "buddy", 1, 400, 100)])
    assert chosen(propose(instance)) == {Pair("S1", "R1", "buddy")}


def test_spend_breaks_a_tie_in_score():
    instance = make_instance([("S1", "R1", "buddy", 1, 500, 900), ("S2", "R1", "buddy", 1, 500, 100)])
    plan = propose(instance)
    assert chosen(plan) == {Pair("S2", "R1", "buddy")}
    assert [s.name for s in plan.stages] == ["coverage", "score", "spend"]
    assert all(s.status == "OPTIMAL" and s.gap == 0 for s in plan.stages)


def test_a_management_contract_wins_for_persistent_difficulty_despite_its_cost():
    instance = make_instance([("S1", "R1", "buddy", 1, 900, 100), ("S1", "R1", "management_contract", 2, 100, 5000)],
                             severity={"R1": 8}, persistent={"R1"})
    plan = propose(instance)
    assert chosen(plan) == {Pair("S1", "R1", "management_contract")}
    assert plan.objective.coverage == 8.0


def test_the_budget_binds():
    instance = make_instance([("S1", "R1", "buddy", 1, 10, 600), ("S2", "R2", "buddy", 1, 10, 600)], budget=1000)
    plan = propose(instance)
    assert len(plan.pairs) == 1 and len(plan.uncovered) == 1
    assert plan.uncovered[0].reasons == (
        "Its only eligible supporter, Trust S1 (S1), has room, but the budget has £400 a year left and a buddying "
        "costs £600.",
        "What would change it: raising the annual budget by £200 (£400 is left) would allow a buddying with Trust S1 "
        "(S1) (score 10 points).")
    assert (plan.uncovered[0].alternatives[0].why_not
            == "it would take annual incentives to £1,200, over the £1,000 budget")


def test_capacity_binds_and_the_reason_names_who_uses_it():
    instance = make_instance([("S1", "R1", "buddy", 1, 50, 100), ("S1", "R2", "buddy", 1, 10, 100)], capacity={"S1": 1})
    plan = propose(instance)
    assert [u.recipient for u in plan.uncovered] == ["R2"]
    assert plan.uncovered[0].reasons == (
        "Its only eligible supporter, Trust S1 (S1), is full: taking this trust instead of one of its recipients would "
        "give up a better match.",
        "Trust S1 (S1), 10 km away, supports Trust R1 (R1), 10 km away: a better match: 50 points against 10 for "
        "this trust.",
        "What would change it: raising Trust S1 (S1)'s capacity from 1 to 2 would allow a buddying with Trust S1 (S1) "
        "(score 10 points).")
    assert plan.uncovered[0].alternatives[0].why_not == (
        "Trust S1 (S1) is full: its capacity of 1 is taken by a buddying with Trust R1 (R1) (counting 1), and a "
        "buddying would count 1")


def test_the_pair_explanation_says_why_it_beat_the_next_best():
    instance = make_instance([("S1", "R1", "buddy", 1, 500, 100), ("S2", "R1", "buddy", 1, 300, 100)])
    pair = propose(instance).pairs[0]
    assert pair.supporter == "S1"
    assert pair.explanation.endswith("Chosen over a buddying with Trust S2 (S2): lower score, 300 against 500 points "
                                     "(fit 3.00 against 5.00; 10 km against 10 km).")


def test_same_input_same_plan():
    arcs = [(f"S{s}", f"R{r}", "buddy", 1, (s * 7 + r * 13) % 50, 100) for s in range(4) for r in range(8)]
    first = propose(make_instance(arcs))
    second = propose(make_instance(arcs))
    assert chosen(first) == chosen(second) and first.objective == second.objective


def test_every_plan_passes_the_validator():
    arcs = [(f"S{s}", f"R{r}", k, 1 if k == "buddy" else 2, (s * 7 + r * 13) % 50, 100 + s)
            for s in range(3) for r in range(6) for k in ("buddy", "management_contract")]
    instance = make_instance(arcs, budget=700, persistent={"R1"}, severity={"R1": 8, "R2": 3})
    plan = propose(instance)
    assert violations(instance, list(chosen(plan))) == []


def test_must_match_that_cannot_be_met_raises_with_a_diagnosis_not_an_empty_plan():
    instance = make_instance([("S1", "R1", "buddy", 1, 10, 100), ("S1", "R2", "buddy", 1, 10, 100)],
                             capacity={"S1": 1}, must_match={"R1", "R2"})
    with pytest.raises(InfeasibleError) as caught:
        propose(instance)
    diagnosis = caught.value.diagnosis
    assert [r.text for r in diagnosis.relaxations] == ["capacity of S1 (1 support units)"]
    assert diagnosis.verified_minimal
    assert str(caught.value) == ("No plan satisfies the rules. Relaxing all of these would make one possible:\n"
                                 "  - capacity of S1 (1 support units)")


def test_locked_pairs_are_kept_even_when_another_scores_higher():
    instance = make_instance([("S1", "R1", "buddy", 1, 10, 100), ("S2", "R1", "buddy", 1, 900, 100)],
                             locked=[("S1", "R1", "buddy")])
    plan = propose(instance)
    assert chosen(plan) == {Pair("S1", "R1", "buddy")}
    assert plan.pairs[0].locked


def test_running_out_of_time_is_not_called_infeasible(monkeypatch):
    """A first stage that finds no plan in time must not be reported as 'no plan exists'."""
    from matcher.errors import BuddyingError
    from matcher.model import core

    real = core._solve_stage

    def out_of_time(problem, keep, stage, holds, hint, options):
        _status, _value, bound, chosen = real(problem, keep, stage, holds, hint, options)
        return "UNKNOWN", float("nan"), bound, chosen & False

    monkeypatch.setattr(core, "_solve_stage", out_of_time)
    instance = make_instance([("S1", "R1", "buddy", 1, 10, 100)])
    with pytest.raises(BuddyingError) as caught:
        propose(instance)
    assert not isinstance(caught.value, InfeasibleError)
    assert str(caught.value).startswith("No plan was found within the solver's time limit")


# --- Version 2: load limit, spread, group bonus ----------------------------------------------------

def test_a_supporter_never_takes_on_more_than_its_load_limit():
    # S1 has room for both, but the two recipients together are over its load limit: one is covered.
    instance = make_instance([("S1", "R1", "buddy", 1, 10, 1), ("S1", "R2", "buddy", 1, 10, 1)],
                             load={"R1": 600, "R2": 500}, load_limit={"S1": 1000})
    plan = propose(instance)
    assert len(plan.pairs) == 1 and len(plan.uncovered) == 1
    assert plan.uncovered[0].reasons[0] == ("Its only eligible supporter, Trust S1 (S1), has room, but its recipients "
                                            "would together be 1.65 times its income, over its overstretch limit of "
                                            "1.5.")


def test_two_recipients_of_one_supporter_are_within_the_spread_limit():
    # Manchester and London are 260 km apart: one supporter covers only one of them; S2 takes the other.
    where = {"R1": (53.48, -2.24), "R2": (51.51, -0.13)}
    instance = make_instance([("S1", "R1", "buddy", 1, 10, 1), ("S1", "R2", "buddy", 1, 20, 1),
                              ("S2", "R1", "buddy", 1, 5, 1)], where=where)
    plan = propose(instance)
    assert chosen(plan) == {Pair("S1", "R2", "buddy"), Pair("S2", "R1", "buddy")}


def test_one_supporter_for_two_recipients_of_one_group_earns_the_bonus():
    # Without the bonus S2 -> R2 scores higher; with it (100 points) S1 takes both members of the group.
    arcs = [("S1", "R1", "buddy", 1, 50, 1), ("S1", "R2", "buddy", 1, 50, 1), ("S2", "R2", "buddy", 1, 120, 1)]
    plan = propose(make_instance(arcs, groups={"R1": "Group A", "R2": "Group A"}))
    assert chosen(plan) == {Pair("S1", "R1", "buddy"), Pair("S1", "R2", "buddy")}
    assert plan.objective.score == 50 + 50 + 100
    without = propose(make_instance(arcs))
    assert chosen(without) == {Pair("S1", "R1", "buddy"), Pair("S2", "R2", "buddy")}
