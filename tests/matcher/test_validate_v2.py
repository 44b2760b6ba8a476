"""The validator checks version 2's pair rules from the trust table, and a large-path plan keeps all of them."""
from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from matcher import solve
from matcher.domain import Pair
from matcher.model.instance import build_instance
from matcher.pipeline import load_and_classify
from matcher.settings import Settings
from matcher.solve import propose
from matcher.synthetic import write_dataset
from matcher.validate import pair_rule_violations, violations

AS_OF = date(2026, 11, 23)
PROVIDERS = 500


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    folder = write_dataset(tmp_path_factory.mktemp("synth") / "v2", PROVIDERS, 3)
    classified = load_and_classify(folder, None, AS_OF)
    settings = Settings().model_copy(update={
        "incentives": Settings().incentives.model_copy(update={"annual_budget_gbp_m": 35 * PROVIDERS / 199}),
        "solver": Settings().solver.model_copy(update={"time_limit_s": 10, "hold_tolerance": 0.001})})
    classified = classified.__class__(classified.dataset, settings, classified.trusts, classified.classifications,
                                      classified.as_of)
    return build_instance(classified)


@pytest.fixture(scope="module")
def national():
    return build_instance(load_and_classify(None, None, AS_OF))


def test_a_plan_from_the_pattern_path_keeps_every_version_2_rule(synthetic, monkeypatch):
    monkeypatch.setattr(solve, "LARGE_ARCS", 0)  # the path 20,000 providers take, on a set a test can afford
    plan = propose(synthetic)
    pairs = [Pair(p.supporter, p.recipient, p.kind) for p in plan.pairs]
    taken = Counter(p.supporter for p in pairs)
    assert len(pairs) > 20 and max(taken.values()) > 1  # supporters with two or more recipients: spread and load bind
    assert violations(synthetic, pairs) == [] and pair_rule_violations(synthetic, pairs) == []
    assert plan.hold_tolerance == 0.001
    for stage in plan.stages:
        assert stage.gap >= 0 and ((stage.bound >= stage.objective) if stage.name != "spend"
                                   else (stage.bound <= stage.objective))


def _find(national, test):
    t = national.trusts.set_index("code")
    codes = list(t.index)
    return next((a, b) for a in codes for b in codes if a != b and test(t.loc[a], t.loc[b]))


def test_a_pair_inside_a_group_is_named(national):
    a, b = _find(national, lambda s, r: isinstance(s["groups"], str) and s["groups"] == r["groups"])
    found = pair_rule_violations(national, [Pair(a, b, "buddy")])
    assert f"{Pair(a, b, 'buddy')}: both trusts are in one group" in found


def test_a_pair_across_peer_groups_is_named(national):
    a, b = _find(national, lambda s, r: s["peer_groups"] == "general_acute" and r["peer_groups"] == "mental_health")
    found = pair_rule_violations(national, [Pair(a, b, "buddy")])
    assert f"{Pair(a, b, 'buddy')}: a general_acute trust may not support a mental_health trust this way" in found


def test_a_management_contract_too_far_and_too_large_is_named(national):
    a, b = _find(national, lambda s, r: s["peer_groups"] == r["peer_groups"] == "general_acute"
                 and s["latitude"] - r["latitude"] > 3 and r["income_gbp"] > 2 * s["income_gbp"])
    found = " | ".join(pair_rule_violations(national, [Pair(a, b, "management_contract")]))
    assert "km apart, over the 80 km limit" in found and "times the supporter's size, over 1.5" in found
    assert "recipients together are" in found  # its whole load is over the overstretch guard too
