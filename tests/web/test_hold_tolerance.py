"""A scenario with a hold tolerance: its run page, workbook and JSON state it; the strict default says nothing."""
from __future__ import annotations

import io

from openpyxl import load_workbook

from tests.web.conftest import page, post
from tests.web.test_policy import default_form

NOTE = "Hold tolerance 0.1%: each later objective could give up at most 0.1% of an earlier one&#39;s value"
ROW = "Hold tolerance (share of an earlier objective a later one could give up)"


def test_a_run_with_a_tolerance_states_it_on_its_page_workbook_and_json(client_for, run_jobs):
    policy = client_for("policy")
    scenario = post(policy, "/scenarios/1/edit", default_form(**{"solver.hold_tolerance": "0.001",
                                                                 "note": "Trade 0.1% of coverage for fit"}))
    job = post(policy, f"{scenario}/what-if")
    assert run_jobs() == 1
    run_url = policy.get(job).location
    run_id = run_url.rsplit("/", 1)[-1]
    assert NOTE in page(policy, run_url)
    book = load_workbook(io.BytesIO(policy.get(f"/runs/{run_id}/export.xlsx").get_data()))
    inputs = {row[0]: row[1] for row in book["Inputs and fingerprint"].iter_rows(values_only=True)}
    assert inputs[ROW] == 0.001
    assert policy.get(f"/api/runs/{run_id}").get_json()["hold_tolerance"] == 0.001
    assert policy.get(f"/api/runs/{run_id}/plan").get_json()["hold_tolerance"] == 0.001


def test_a_strict_run_says_nothing_of_a_tolerance(regulator, proposal):
    assert "Hold tolerance" not in page(regulator, f"/runs/{proposal}")
    book = load_workbook(io.BytesIO(regulator.get(f"/runs/{proposal}/export.xlsx").get_data()))
    assert ROW not in {row[0] for row in book["Inputs and fingerprint"].iter_rows(values_only=True)}
    assert regulator.get(f"/api/runs/{proposal}").get_json()["hold_tolerance"] == 0.0
