"""The job queue: oldest first, each job claimed once, heartbeats while running, stale jobs reaped."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from matcher.errors import BuddyingError
from matcher.store import jobs
from matcher.store.tables import AuditEntry, Job, utcnow
from tests.running import count


@pytest.fixture
def queue(db, scenario_id):
    """Enqueue ``n`` proposal jobs and return their ids."""

    def add(n: int = 1, purpose: str = "proposal") -> list[int]:
        with db.begin() as session:
            return [jobs.enqueue(session, scenario_id, purpose, None).id for _ in range(n)]

    return add


def job(db, job_id: int) -> Job:
    with db() as session:
        return session.get(Job, job_id)


def test_a_queued_job_waits_for_the_worker_and_is_audited(db, queue, scenario_id):
    [job_id] = queue(purpose="what_if")
    queued = job(db, job_id)
    assert (queued.status, queued.progress, queued.purpose, queued.scenario_id) == (
        "queued", "Waiting for the worker", "what_if", scenario_id)
    assert queued.started_at is None and queued.worker is None
    with db() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (entry.action, entry.subject) == ("run.request", f"job {job_id}")
    assert entry.detail == {"scenario": "National default v1", "purpose": "what_if"}


@pytest.mark.parametrize("purpose, scenario, message", [
    ("publish", None, "purpose must be one of proposal, what_if, got 'publish'"),
    ("proposal", 999, "there is no scenario 999"),
])
def test_a_bad_request_is_refused_and_nothing_is_queued(db, scenario_id, purpose, scenario, message):
    with pytest.raises(BuddyingError) as raised, db.begin() as session:
        jobs.enqueue(session, scenario or scenario_id, purpose, None)
    assert str(raised.value) == message
    with db() as session:
        assert count(session, Job) == 0


def test_jobs_are_claimed_oldest_first(db, queue):
    first, second, third = queue(3)
    assert [jobs.claim_next(db, "w1") for _ in range(3)] == [first, second, third]
    claimed = job(db, first)
    assert (claimed.status, claimed.worker, claimed.progress) == ("running", "w1", "Starting")
    assert claimed.started_at is not None and claimed.heartbeat_at == claimed.started_at


def test_a_job_is_claimed_once(db, queue):
    [job_id] = queue()
    assert jobs.claim_next(db, "w1") == job_id
    assert jobs.claim_next(db, "w2") is None
    assert job(db, job_id).worker == "w1"


def test_an_empty_queue_gives_nothing(db):
    assert jobs.claim_next(db, "w1") is None


def test_workers_racing_for_the_queue_never_share_a_job(db, queue):
    ids = queue(3)
    start, claimed = threading.Barrier(8), []

    def worker(n: int) -> None:
        start.wait()
        claimed.append(jobs.claim_next(db, f"w{n}"))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(c for c in claimed if c is not None) == ids
    assert claimed.count(None) == 5


def test_a_heartbeat_updates_a_running_job(db, queue):
    [job_id] = queue()
    jobs.claim_next(db, "w1")
    before = job(db, job_id).heartbeat_at
    jobs.heartbeat(db, job_id, "Solving")
    beaten = job(db, job_id)
    assert beaten.heartbeat_at > before and beaten.progress == "Solving"
    jobs.heartbeat(db, job_id)
    assert job(db, job_id).progress == "Solving"  # no new text keeps the old one


def test_a_heartbeat_does_not_touch_a_job_that_is_not_running(db, queue):
    waiting, failed = queue(2)
    jobs.fail(db, failed, "gave up")
    for job_id in (waiting, failed):
        jobs.heartbeat(db, job_id, "Solving")
        assert job(db, job_id).heartbeat_at is None
    assert (job(db, waiting).status, job(db, waiting).progress) == ("queued", "Waiting for the worker")
    assert (job(db, failed).status, job(db, failed).progress) == ("failed", "Failed")


def test_reap_stale_fails_a_job_not_heard_from_and_leaves_fresh_ones(db, queue):
    stale, fresh, waiting = queue(3)
    jobs.claim_next(db, "dead worker")
    jobs.claim_next(db, "live worker")
    with db.begin() as session:
        session.get(Job, stale).heartbeat_at = utcnow() - timedelta(seconds=jobs.STALE_AFTER_SECONDS + 5)
    with db.begin() as session:
        assert jobs.reap_stale(session) == 1
    reaped = job(db, stale)
    assert (reaped.status, reaped.error, reaped.progress) == ("failed", jobs.WORKER_STOPPED, "Failed")
    assert reaped.finished_at is not None
    assert job(db, fresh).status == "running"
    assert job(db, waiting).status == "queued"
    with db.begin() as session:
        assert jobs.reap_stale(session) == 0


def test_reap_stale_takes_its_threshold(db, queue):
    [job_id] = queue()
    jobs.claim_next(db, "w1")
    with db.begin() as session:
        session.get(Job, job_id).heartbeat_at = utcnow() - timedelta(seconds=10)
    with db.begin() as session:
        assert jobs.reap_stale(session, stale_after=60) == 0
    with db.begin() as session:
        assert jobs.reap_stale(session, stale_after=5) == 1


def test_fail_marks_a_running_job_failed_with_the_message(db, queue):
    [job_id] = queue()
    jobs.claim_next(db, "w1")
    jobs.fail(db, job_id, "No plan satisfies the rules.")
    failed = job(db, job_id)
    assert (failed.status, failed.error, failed.progress) == ("failed", "No plan satisfies the rules.", "Failed")
    assert failed.finished_at is not None
    with db() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (entry.action, entry.subject, entry.detail) == (
        "run.fail", f"job {job_id}", {"error": "No plan satisfies the rules."})


def test_fail_does_not_change_a_finished_job(db, queue):
    [job_id] = queue()
    jobs.claim_next(db, "w1")
    jobs.fail(db, job_id, "first")
    jobs.fail(db, job_id, "second")
    assert job(db, job_id).error == "first"
