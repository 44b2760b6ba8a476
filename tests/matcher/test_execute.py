"""Carrying out a job (``matcher.execute``): a stored run in one transaction at the end, or a failed job.

A queued job becomes a stored run in one transaction at the end, or a failed job and nothing else.
"""
from __future__ import annotations

import logging
import time
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import undefer

import matcher.planning
from matcher import execute
from matcher.errors import BuddyingError
from matcher.settings import Settings
from matcher.solve import propose
from matcher.store import jobs
from matcher.store.runs import publish
from matcher.store.scenarios import save_scenario
from matcher.store.tables import (
    AuditEntry,
    Declaration,
    Job,
    Offer,
    PairRule,
    Run,
    utcnow,
)
from tests.factories import AS_OF
from tests.running import answer, count, offers_by_key, stored_plan
from tests.snapshots.record import without_timings

NO_CAPACITY_BUT_MUST_MATCH = "must_match_intensive: true\ncapacity:\n  units_by_band: [0, 0, 0]\n"


@pytest.fixture(scope="module")
def expected_plan(shipped_dataset):
    """The plan the command line proposes for the shipped data with the default settings (with its backups)."""
    return matcher.planning.plan(shipped_dataset, Settings(), AS_OF, backups=True)


def triples(items) -> set[tuple[str, str, str]]:
    return {(p.supporter, p.recipient, p.kind) for p in items}


def no_runs_stored(db) -> bool:
    with db() as session:
        return count(session, Run) == 0


def test_a_job_on_the_shipped_data_stores_the_plan_as_a_run(db, run_job, expected_plan, scenario_id, as_of):
    job_id, run_id = run_job()
    with db() as session:
        run, job = session.get(Run, run_id, options=[undefer(Run.plan)]), session.get(Job, job_id)
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    plan = stored_plan(db, run_id)
    # every figure, explanation and stage exactly as planned (but the solver's seconds), and stored once
    assert without_timings(plan.to_dict()) == without_timings(expected_plan.to_dict())
    assert run.plan == plan.to_dict()
    assert triples(plan.pairs) == triples(expected_plan.pairs) != set()
    assert (run.job_id, run.scenario_id, run.purpose, run.previous_run_id) == (job_id, scenario_id, "proposal", None)
    assert plan.budget_annual_gbp == 35_000_000 and run.published_at is None
    assert plan.fingerprint.data == expected_plan.fingerprint.data and plan.fingerprint.as_of == as_of.isoformat()
    assert (job.status, job.progress, job.error) == ("succeeded", "Finished", None)
    assert job.finished_at >= job.started_at
    assert (entry.action, entry.subject) == ("run.save", f"run {run_id}")
    assert entry.detail == {"job": job_id, "status": plan.status, "pairs": len(plan.pairs),
                            "uncovered": len(plan.uncovered)}


def test_each_partnership_keeps_the_numbers_shown_on_its_page(db, run_job, expected_plan):
    _, run_id = run_job()
    stored = {p.pair: p for p in stored_plan(db, run_id).pairs}
    for pair in expected_plan.pairs:
        row = stored[pair.pair]
        assert (row.units, row.score, row.incentive_annual_gbp, row.incentive_term_gbp, row.locked) == (
            pair.units, pair.score, pair.incentive_annual_gbp, pair.incentive_term_gbp, False)
        assert row.fit == pytest.approx(pair.fit) and row.distance_km == pytest.approx(pair.distance_km)
        assert row.explanation == pair.explanation


def test_a_run_follows_the_run_published_before_it(db, run_job, published_run):
    _, run_id = run_job(purpose="what_if")
    with db() as session:
        assert session.get(Run, run_id).previous_run_id == published_run


def test_a_job_reports_its_progress_while_it_solves(db, run_job, monkeypatch):
    seen = []

    def watching(instance, **kwargs):
        with db() as session:
            seen.append(session.scalar(select(Job.progress)))
        return propose(instance, **kwargs)

    monkeypatch.setattr(matcher.planning, "propose", watching)
    run_job()
    assert seen and seen[0].startswith("Solving: ") and seen[0].endswith(" possible pairs")


def test_the_heartbeat_keeps_beating_while_the_body_runs(db, scenario_id):
    with db.begin() as session:
        job_id = jobs.enqueue(session, scenario_id, "proposal", None).id
    jobs.claim_next(db, "w1")
    with db.begin() as session:
        session.get(Job, job_id).heartbeat_at = utcnow() - timedelta(minutes=5)
    with execute.beating(db, job_id, every=0.01):
        time.sleep(0.2)
    with db() as session:
        assert session.get(Job, job_id).heartbeat_at > utcnow() - timedelta(seconds=5)


# --- Failures leave a failed job and nothing else ---------------------------------------------------


def test_a_job_reaped_while_it_solved_stores_no_run(db, run_job, monkeypatch):
    def slow_then_reaped(instance, **kwargs):
        plan = propose(instance, **kwargs)
        with db.begin() as session:  # the worker went quiet long enough for the reaper to act
            session.execute(Job.__table__.update().values(heartbeat_at=utcnow() - timedelta(hours=1)))
            assert jobs.reap_stale(session) == 1
        return plan

    monkeypatch.setattr(matcher.planning, "propose", slow_then_reaped)
    job_id, run_id = run_job()
    assert run_id is None
    with db() as session:
        job = session.get(Job, job_id)
    assert (job.status, job.error) == ("failed", jobs.WORKER_STOPPED)
    assert no_runs_stored(db)


def test_an_infeasible_scenario_fails_the_job_with_the_diagnosis(db, run_job):
    with db.begin() as session:
        scenario = save_scenario(session, "Impossible", NO_CAPACITY_BUT_MUST_MATCH).id
    job_id, run_id = run_job(scenario=scenario)
    assert run_id is None
    with db() as session:
        job = session.get(Job, job_id)
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert job.status == "failed" and job.progress == "Failed"
    assert job.error.startswith("No plan satisfies the rules. Relaxing all of these would make one possible:")
    # Sheffield, with room, could take all three trusts in intensive support (the Lancashire trusts in the programme)
    assert job.error.endswith("  - capacity of RHQ (0 support units)")
    assert (entry.action, entry.detail) == ("run.fail", {"error": job.error})
    assert no_runs_stored(db)


def test_a_buddying_error_while_solving_fails_the_job_with_its_message(db, run_job, monkeypatch):
    def out_of_time(instance, **kwargs):
        raise BuddyingError("No plan was found within the solver's time limit (30 s a stage)")

    monkeypatch.setattr(matcher.planning, "propose", out_of_time)
    job_id, run_id = run_job()
    with db() as session:
        job = session.get(Job, job_id)
    assert run_id is None
    assert (job.status, job.error) == ("failed", "No plan was found within the solver's time limit (30 s a stage)")
    assert no_runs_stored(db)


def test_a_defect_fails_the_job_with_a_general_message_and_logs_the_traceback(db, run_job, monkeypatch, caplog):
    def broken(instance, **kwargs):
        raise KeyError("supporter")

    monkeypatch.setattr(matcher.planning, "propose", broken)
    with caplog.at_level(logging.ERROR, logger="matcher.execute"):
        job_id, run_id = run_job()
    with db() as session:
        job = session.get(Job, job_id)
    assert run_id is None
    assert (job.status, job.error) == (
        "failed", "The run failed because of an error in the service; it has been logged.")
    assert any(r.exc_info and r.exc_info[0] is KeyError for r in caplog.records)
    assert no_runs_stored(db)


# --- Re-matching after the trusts answered ------------------------------------------------------------


def test_a_rematch_keeps_accepted_pairs_and_never_brings_back_declined_ones(db, run_job, published_run):
    with db() as session:
        offers = offers_by_key(session)
    accepted, declined = list(offers.values())[:2]
    answer(db, accepted, "accepted")
    answer(db, declined, "declined", side="recipient", reason_code="capacity")

    _, rematch = run_job()
    with db() as session:
        run = session.get(Run, rematch)
    plan = stored_plan(db, rematch)
    pairs = {(p.supporter, p.recipient, p.kind): p for p in plan.pairs}
    assert pairs[(accepted.supporter, accepted.recipient, accepted.kind)].locked
    assert [key for key, p in pairs.items() if p.locked] == [(accepted.supporter, accepted.recipient, accepted.kind)]
    assert not any(s == declined.supporter and r == declined.recipient for s, r, _ in pairs), "declined, any kind"
    assert run.previous_run_id == published_run
    assert plan.changes is not None  # a re-match reports which pending offers it moved
    moved = {(c.from_supporter, c.recipient) for c in plan.changes}
    still_pending = {key for key, offer in offers.items() if offer.id not in (accepted.id, declined.id)}
    assert moved == {(s, r) for s, r, k in still_pending if (s, r, k) not in pairs}

    with db.begin() as session:  # ... and the re-match can be published
        publication = publish(session, rematch, None)
    assert publication.kept == len(set(pairs) & set(offers))
    with db() as session:
        after = offers_by_key(session)
    assert after[(declined.supporter, declined.recipient, declined.kind)].status == "declined"
    assert after[(accepted.supporter, accepted.recipient, accepted.kind)].status == "accepted"


def test_an_unwilling_supporters_pending_offers_move_and_are_reported_as_changes(db, run_job, published_run):
    with db() as session:
        offers = offers_by_key(session)
    unwilling = next(iter(offers))[0]
    with db.begin() as session:
        session.add(Declaration(trust_code=unwilling, willing=False, note="board said no"))
    _, rematch = run_job()
    plan = stored_plan(db, rematch)
    assert not any(p.supporter == unwilling for p in plan.pairs)
    assert plan.use_of(unwilling).capacity_units == 0
    assert {(c.from_supporter, c.recipient) for c in plan.changes} == {
        (s, r) for s, r, _ in offers if s == unwilling}


def test_an_unwilling_supporter_keeps_what_it_accepted_and_takes_nothing_more(db, run_job, published_run):
    with db() as session:
        offers = offers_by_key(session)
    supporter = next(iter(offers))[0]
    first, *others = [o for key, o in offers.items() if key[0] == supporter]
    answer(db, first, "accepted")
    with db.begin() as session:
        session.add(Declaration(trust_code=supporter, willing=False))
    _, rematch = run_job()
    partnerships = stored_plan(db, rematch).pairs
    assert triples(p for p in partnerships if p.supporter == supporter) == {
        (first.supporter, first.recipient, first.kind)}
    assert others, "the supporter had a second offer to lose"


def test_declared_spare_units_add_to_a_supporters_capacity(db, run_job):
    with db.begin() as session:
        session.add(Declaration(trust_code="R1D", willing=True, spare_units=3))
    _, run_id = run_job()
    capacity = {s.code: s.capacity_units for s in stored_plan(db, run_id).supporters}
    assert capacity["R1D"] == 1 + 3  # an estimated income under 400m: one unit of its own, and three declared
    assert capacity["RA7"] == 3      # over 1bn, declaring nothing


def test_regulator_locks_and_exclusions_shape_the_next_run(db, run_job, expected_plan):
    banned = sorted(triples(expected_plan.pairs))[0]
    assert ("RJ1", "R1H", "buddy") not in triples(expected_plan.pairs)  # Guy's has no room for Barts today
    with db.begin() as session:
        session.add_all([
            PairRule(rule="lock", supporter="RJ1", recipient="R1H", kind="buddy", reason="agreed in person"),
            PairRule(rule="exclude", supporter=banned[0], recipient=banned[1], kind=None, reason="conflict"),
        ])
    _, run_id = run_job()
    pairs = {(p.supporter, p.recipient, p.kind): p.locked for p in stored_plan(db, run_id).pairs}
    assert pairs[("RJ1", "R1H", "buddy")] is True
    assert not any(s == banned[0] and r == banned[1] for s, r, _ in pairs)


def test_offers_are_not_made_by_the_runner(db, run_job):
    run_job()
    with db() as session:
        assert count(session, Offer) == 0
