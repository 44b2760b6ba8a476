"""The registry: every rule has one home, its own pair of tests, and a name wherever it is relaxed."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from matcher.rules import BIT, RELAXABLE, RULES, Words, describe, failed_rules
from matcher.settings import Settings
from tests.matcher.rules.pairs import TRUSTS

HERE = Path(__file__).parent
TEST_TEXT = "\n".join(p.read_text(encoding="utf-8") for p in HERE.glob("test_*.py") if p.name != "test_registry.py")


@pytest.mark.parametrize("rule", [r.id for r in RULES])
def test_every_rule_has_an_allowed_and_a_rejected_case(rule):
    assert len(re.findall(rf'(?:breaks|reject|excluded)\(\s*"{rule}"', TEST_TEXT)) + \
        len(re.findall(r"excluded\(\(", TEST_TEXT)) * (rule == "excluded") >= 2


def test_each_rule_has_its_own_bit_and_reasons_follow_the_registry_order():
    assert len(set(BIT.values())) == len(RULES)
    mask = BIT["distance"] | BIT["not_supporter"]
    assert failed_rules(mask) == ["not_supporter", "distance"]
    row = {"supporter": "RSS", "recipient": "RRR", "kind": "buddy", "distance_km": 250.0, "failed": mask}
    assert describe(row, Words(TRUSTS, Settings())) == ("Supporting Hospitals NHS Trust (RSS) is not a supporter; "
                                                        "250 km apart, over the 200 km limit for buddying")


@pytest.mark.parametrize("rule", RELAXABLE, ids=lambda r: r.id)
def test_every_relaxable_rule_names_its_relaxation(rule):
    text = rule.relaxation("RRR", "buddy", Settings())
    assert "RRR" in text and text == text.strip()
