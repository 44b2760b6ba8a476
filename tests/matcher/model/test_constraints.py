"""Each constraint of the assignment core alone: a feasible case and an infeasible case."""
from __future__ import annotations

import numpy as np
from ortools.sat.python import cp_model

from matcher.model import constraints

OPTIONS_FREE = None


def feasible(build) -> bool:
    model = cp_model.CpModel()
    build(model)
    return cp_model.CpSolver().solve(model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def bools(model, n):
    return [model.new_bool_var(f"x{i}") for i in range(n)]


def test_one_partnership_per_recipient_allows_one():
    def build(model):
        x = bools(model, 2)
        constraints.one_partnership_per_recipient(model, x, np.array([0, 0]), 1, np.array([False]))
        model.add(x[0] == 1)
    assert feasible(build)


def test_one_partnership_per_recipient_forbids_two():
    def build(model):
        x = bools(model, 2)
        constraints.one_partnership_per_recipient(model, x, np.array([0, 0]), 1, np.array([False]))
        model.add(x[0] == 1)
        model.add(x[1] == 1)
    assert not feasible(build)


def test_a_must_cover_recipient_needs_an_arc():
    def build(model):
        x = bools(model, 1)
        constraints.one_partnership_per_recipient(model, x, np.array([0]), 2, np.array([False, True]))
    assert not feasible(build)


def test_a_must_cover_recipient_with_an_arc_is_covered():
    def build(model):
        x = bools(model, 1)
        constraints.one_partnership_per_recipient(model, x, np.array([0]), 1, np.array([True]))
        model.add(x[0] == 0)
    assert not feasible(build)
    def build_ok(model):
        x = bools(model, 1)
        constraints.one_partnership_per_recipient(model, x, np.array([0]), 1, np.array([True]))
    assert feasible(build_ok)


def test_capacity_holds_exactly_at_the_limit():
    def build(model):
        x = bools(model, 2)
        constraints.supporter_capacity(model, x, np.array([0, 0]), np.array([1, 1]), np.array([2]))
        model.add(x[0] == 1)
        model.add(x[1] == 1)
    assert feasible(build)


def test_capacity_is_exceeded_by_one_unit():
    def build(model):
        x = bools(model, 2)
        constraints.supporter_capacity(model, x, np.array([0, 0]), np.array([2, 1]), np.array([2]))
        model.add(x[0] == 1)
        model.add(x[1] == 1)
    assert not feasible(build)


def test_budget_allows_spend_up_to_the_limit():
    def build(model):
        x = bools(model, 2)
        constraints.budget(model, x, np.array([600, 400]), 1000)
        model.add(x[0] == 1)
        model.add(x[1] == 1)
    assert feasible(build)


def test_budget_forbids_spend_over_the_limit():
    def build(model):
        x = bools(model, 2)
        constraints.budget(model, x, np.array([600, 401]), 1000)
        model.add(x[0] == 1)
        model.add(x[1] == 1)
    assert not feasible(build)


def test_a_lock_keeps_its_arc():
    def build(model):
        x = bools(model, 1)
        constraints.locks(model, x, np.array([True]))
        model.add(x[0] == 0)
    assert not feasible(build)
    def build_ok(model):
        x = bools(model, 1)
        constraints.locks(model, x, np.array([True]))
    assert feasible(build_ok)


def test_at_most_limits_a_weighted_count():
    def build(model, limit):
        x = bools(model, 3)
        constraints.at_most(model, x, np.array([1, 1, 1]), limit)
        for v in x:
            model.add(v == 1)
    assert feasible(lambda m: build(m, 3))
    assert not feasible(lambda m: build(m, 2))


def test_groups_label_each_group_by_its_own_key_when_keys_are_unsorted():
    """Regression: the grouping once labelled groups by position in the sorted keys."""
    groups = constraints.groups(np.array([1, 0, 1, 0]))
    assert {k: sorted(v.tolist()) for k, v in groups.items()} == {0: [1, 3], 1: [0, 2]}


# --- Version 2 side rules: the load limit, the spread between one supporter's recipients ----------

def test_supporter_load_holds_exactly_at_the_limit():
    def build(model):
        x = bools(model, 2)
        constraints.supporter_load(model, x, np.array([0, 0]), np.array([600, 400]), np.array([1000]))
        for v in x:
            model.add(v == 1)
    assert feasible(build)


def test_supporter_load_forbids_recipients_over_the_limit():
    def build(model):
        x = bools(model, 2)
        constraints.supporter_load(model, x, np.array([0, 0]), np.array([600, 401]), np.array([1000]))
        for v in x:
            model.add(v == 1)
    assert not feasible(build)


def test_spread_forbids_both_arcs_of_a_conflicting_pair():
    def build(model):
        x = bools(model, 2)
        constraints.spread(model, x, np.array([[0, 1]]))
        for v in x:
            model.add(v == 1)
    assert not feasible(build)


def test_spread_allows_either_arc_of_a_conflicting_pair():
    def build(model):
        x = bools(model, 2)
        constraints.spread(model, x, np.array([[0, 1]]))
        model.add(x[0] == 1)
    assert feasible(build)
