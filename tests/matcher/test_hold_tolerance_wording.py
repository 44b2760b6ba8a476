"""A run with a hold tolerance says so on every screen and export; a strict run (tolerance 0) says nothing of it."""
from __future__ import annotations

import pandas as pd

from matcher.present.exports import inputs_table
from matcher.present.text import render_plan
from matcher.result import Plan
from tests.factories import typed_plan
from tests.matcher.present.test_exports import RUN

TRUSTS = pd.DataFrame({"code": ["RBV", "RXL"], "name": ["THE CHRISTIE NHS FOUNDATION TRUST", "BLACKPOOL"]})
NOTE = ("Hold tolerance 0.1%: each later objective could give up at most 0.1% of an earlier one's value "
        "(coverage first), so coverage may be up to 0.1% below its maximum.")


def plan(tolerance: float) -> Plan:
    return typed_plan({"pairs": [{"supporter": "RBV", "recipient": "RXL"}], "hold_tolerance": tolerance})


def test_the_plan_states_its_tolerance_in_words():
    assert plan(0.001).tolerance_note == NOTE
    assert plan(0.0).tolerance_note == ""


def test_the_text_report_states_the_tolerance_under_the_stages():
    lines = render_plan(plan(0.001), TRUSTS).splitlines()
    assert lines[1].startswith("Stages:") and lines[2] == NOTE
    assert "tolerance" not in render_plan(plan(0.0), TRUSTS).lower()


def test_the_inputs_export_states_the_tolerance_only_when_it_is_not_zero():
    values = {item: value for item, value, _ in inputs_table(RUN, plan(0.001), [], "").rows}
    assert values["Hold tolerance (share of an earlier objective a later one could give up)"] == 0.001
    strict = [item for item, _, _ in inputs_table(RUN, plan(0.0), [], "").rows]
    assert not any("tolerance" in str(item).lower() for item in strict)


def test_the_json_carries_the_tolerance_and_reads_it_back():
    data = plan(0.001).to_dict()
    assert data["hold_tolerance"] == 0.001
    assert Plan.from_dict(data).hold_tolerance == 0.001
    older = {k: v for k, v in plan(0.0).to_dict().items() if k != "hold_tolerance"}  # stored before the key existed
    assert Plan.from_dict(older).hold_tolerance == 0.0
