"""The explanation benchmark's stand-in plan keeps every rule the explanations read."""
from __future__ import annotations

from bench.explain_bench import greedy_plan
from matcher.model.instance import build_instance
from matcher.pipeline import load_and_classify
from matcher.validate import violations
from tests.factories import AS_OF


def test_the_greedy_stand_in_plan_breaks_no_rule_and_covers_someone():
    instance = build_instance(load_and_classify(None, None, AS_OF))
    plan = greedy_plan(instance)
    assert plan and violations(instance, plan) == []
    assert len({pair.recipient for pair in plan}) == len(plan)
