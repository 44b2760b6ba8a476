"""Whatever the instance, the solve is correct: valid, lexicographically optimal, and fully explained."""
from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings

from matcher.domain import Pair
from matcher.model.diagnose import InfeasibleError
from matcher.solve import propose
from matcher.validate import objective_of, violations
from tests.strategies import small_instances


def brute_force(instance):
    """The best (coverage, score, -spend) over every valid plan, or None if no plan is valid."""
    arcs = instance.arcs
    triples = list(zip(arcs["supporter"], arcs["recipient"], arcs["kind"], strict=True))
    options = {r: [None] + [Pair(s, r, k) for s, rr, k in triples if rr == r] for r in instance.recipients["code"]}
    best = None
    for combo in itertools.product(*options.values()):
        pairs = [p for p in combo if p is not None]
        if violations(instance, pairs):
            continue
        o = objective_of(instance, pairs)
        key = (o.coverage, o.score, -o.spend)
        best = key if best is None or key > best else best
    return best


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_instances())
def test_every_plan_is_valid_and_lexicographically_optimal(instance):
    expected = brute_force(instance)
    try:
        plan = propose(instance)
    except InfeasibleError as exc:
        assert expected is None, "the solver said infeasible but a valid plan exists"
        assert exc.diagnosis is not None and exc.diagnosis.verified_minimal
        return
    pairs = [Pair(p.supporter, p.recipient, p.kind) for p in plan.pairs]
    assert violations(instance, pairs) == []
    assert (plan.objective.coverage, plan.objective.score, -plan.objective.spend) == expected


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_instances(allow_must_match=False))
def test_every_uncovered_recipient_has_reasons_and_every_pair_an_explanation(instance):
    plan = propose(instance)
    covered = {p.recipient for p in plan.pairs}
    assert {u.recipient for u in plan.uncovered} == set(instance.recipients["code"]) - covered
    assert all(u.reasons and all(r.strip() for r in u.reasons) for u in plan.uncovered)
    assert all(p.explanation for p in plan.pairs)
    used = {s.code: s.used_units for s in plan.supporters}
    assert all(s.used_units <= s.capacity_units for s in plan.supporters)
    assert sum(used.values()) == sum(p.units for p in plan.pairs)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_instances(allow_must_match=False))
def test_reduced_cost_fixing_keeps_the_optimum(instance):
    """The large-instance path (LP reduced-cost fixing before CP-SAT) finds the same optimum as brute force."""
    from matcher.model.core import SolverOptions
    from matcher.solve import options_from

    base = options_from(instance)
    plan = propose(instance, SolverOptions(base.time_limit_s, base.workers, base.seed, reduce_above=0))
    expected = brute_force(instance)
    assert (plan.objective.coverage, plan.objective.score, -plan.objective.spend) == expected
    for stage in plan.stages:
        sign = 1 if stage.name != "spend" else -1
        assert sign * stage.bound >= sign * stage.objective - 1e-6  # the reported bound is a real bound
