"""Limits on what one person and one text can take (issue 15's attack pass).

Runs queued per person, the length of every stored text (checked alike on SQLite and PostgreSQL),
and a plan at the largest money figures.
"""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from matcher.result import Plan
from matcher.store import jobs
from matcher.store.limits import TextTooLong
from matcher.store.tables import Declaration, Job, Run, Scenario
from tests.fuzz.test_fuzz_config_form import DEFAULT_FORM
from tests.web.conftest import flashes, page, post

FULL = ("You already have 3 runs waiting or running, the most one person may have. "
        "Start this one when one of them has finished.")


def job_count(app) -> int:
    with app.extensions["db"]() as session:
        return session.scalar(select(func.count()).select_from(Job))


def test_one_person_may_have_three_runs_waiting_and_is_told_why_the_fourth_is_refused(app, client_for):
    policy = client_for("policy")
    for _ in range(3):
        assert post(policy, "/scenarios/1/what-if").startswith("/jobs/")
    assert flashes(page(policy, post(policy, "/scenarios/1/what-if"))) == [FULL]
    response = policy.post("/api/runs", json={"scenario_id": 1, "purpose": "what_if"})
    assert response.status_code == 429 and response.json == {"error": FULL}
    assert job_count(app) == 3
    regulator = client_for("regulator")  # everyone else still gets their place
    assert post(regulator, "/runs/new", {"scenario_id": "1"}).startswith("/jobs/")
    assert job_count(app) == 4


def test_ten_what_ifs_at_once_from_one_person_queue_three(app, client_for):
    policy = client_for("policy")
    cookie = policy.get_cookie("buddying_session").value

    def ask() -> None:
        client = app.test_client()
        client.set_cookie("buddying_session", cookie)
        client.post("/api/runs", json={"scenario_id": 1, "purpose": "what_if"})

    threads = [threading.Thread(target=ask) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert job_count(app) == jobs.QUEUE_LIMIT


def test_a_text_longer_than_its_column_is_refused_on_every_database(app):
    sessions = app.extensions["db"]
    too_long = r"^declarations.note is 2,001 characters long; it holds at most 2,000$"
    with pytest.raises(TextTooLong, match=too_long), sessions.begin() as session:
        session.add(Declaration(trust_code="RXL", willing=True, spare_units=0, note="x" * 2001))
    too_long = r"^declarations.trust_code is 11 characters long; it holds at most 10$"
    with pytest.raises(TextTooLong, match=too_long), sessions.begin() as session:
        session.add(Declaration(trust_code="X" * 11, willing=True, spare_units=0, note=""))


def test_a_what_if_at_the_largest_budget_and_term_is_stored(app, client_for, run_jobs):
    policy = client_for("policy")
    form = {**DEFAULT_FORM, "name": "Largest", "note": "every money figure at its bound",
            "incentives.annual_budget_gbp_m": "10000", "incentives.buddy.fixed": "100000000",
            "incentives.buddy.years": "25", "incentives.mc.years": "25"}
    scenario = int(post(policy, "/scenarios/1/edit", form).rsplit("/", 1)[-1])
    post(policy, f"/scenarios/{scenario}/what-if")
    assert run_jobs() == 1
    with app.extensions["db"]() as session:
        job = session.scalar(select(Job))
        assert job.status == "succeeded", job.error
        plan = Plan.from_dict(session.scalar(select(Run)).plan)
    assert plan.budget_annual_gbp == 10_000_000_000 and max(p.incentive_term_gbp for p in plan.pairs) > 2**31


def test_a_stored_scenario_with_an_absurd_budget_fails_its_what_if_by_name_and_never_overflows(app, client_for,
                                                                                               run_jobs):
    """A version saved before the bounds existed (written straight to the database) is refused when run."""
    with app.extensions["db"].begin() as session:
        old = Scenario(name="Old rich", version=1, config_yaml="incentives: {annual_budget_gbp_m: 1e21}\n",
                       note="from before the bounds", config_hash="x")
        session.add(old)
        session.flush()
        scenario_id = old.id
    policy = client_for("policy")
    job = post(policy, f"/scenarios/{scenario_id}/what-if")
    assert run_jobs() == 1  # the job ran and failed; no run was stored
    with app.extensions["db"]() as session:
        stored = session.scalar(select(Job).where(Job.scenario_id == scenario_id))
        assert stored.status == "failed" and session.scalar(select(func.count()).select_from(Run)) == 0
    assert "incentives.annual_budget_gbp_m must be 10,000 or less, got &#39;1e21&#39;" in page(policy, job)
    html = page(policy, f"/scenarios/{scenario_id}")  # its page still opens and says what to change
    assert ("This version cannot be run: Annual budget for incentive payments (£ millions) must be 10,000 or less "
            "(you entered 1e21). Edit it to save a version that can.") in " ".join(html.split())
    html = page(policy, f"/scenarios/{scenario_id}/edit")
    assert 'name="incentives.annual_budget_gbp_m" type="text" value="1e21"' in html
    assert "Annual budget for incentive payments (£ millions) must be 10,000 or less" in html
