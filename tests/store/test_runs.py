"""Runs: publishing a proposal puts one offer per partnership to the trusts, once, and only if it is up to date."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from matcher.errors import BuddyingError
from matcher.store.runs import Publication, current_published, preview_publication, publish, recent_runs
from matcher.store.tables import AuditEntry, Offer, PairRule, Run, User
from tests.running import answer, count, make_offer, offers_by_key, stored_plan


def snapshot(db) -> dict:
    """Every offer's state, to show that something changed nothing."""
    with db() as session:
        return {key: (o.status, o.run_id, o.version) for key, o in offers_by_key(session).items()}


def partnerships_of(db, run_id: int) -> set[tuple[str, str, str]]:
    return {(p.supporter, p.recipient, p.kind) for p in stored_plan(db, run_id).pairs}


@pytest.fixture
def regulator(db) -> int:
    with db.begin() as session:
        user = User(email="reg@cqc.org.uk", role="regulator", password_hash="x")
        session.add(user)
        session.flush()
        return user.id


def test_publishing_creates_one_pending_offer_per_partnership(db, run_job, regulator):
    _, run_id = run_job()
    with db.begin() as session:
        publication = publish(session, run_id, regulator)
    pairs = partnerships_of(db, run_id)
    assert publication == Publication(new=len(pairs), kept=0, withdrawn=0)
    with db() as session:
        offers = offers_by_key(session)
        run = session.get(Run, run_id)
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert current_published(session).id == run_id
    assert set(offers) == pairs
    assert {(o.status, o.run_id, o.version) for o in offers.values()} == {("pending", run_id, 1)}
    assert run.published_at is not None and run.published_by == regulator
    assert (entry.action, entry.subject, entry.user_id) == ("run.publish", f"run {run_id}", regulator)
    assert entry.detail == {"new": len(pairs), "kept": 0, "withdrawn": 0}


def test_publishing_twice_changes_nothing(db, published_run):
    before = snapshot(db)
    with db() as session:
        published_at = session.get(Run, published_run).published_at
    with db.begin() as session:
        assert publish(session, published_run, None) == Publication(0, 0, 0, already_published=True)
    assert snapshot(db) == before
    with db() as session:
        assert session.get(Run, published_run).published_at == published_at
        assert session.scalars(select(AuditEntry.subject).where(AuditEntry.action == "run.publish")).all() == [
            f"run {published_run}"]


def test_a_what_if_run_cannot_be_published(db, run_job):
    _, run_id = run_job(purpose="what_if")
    with pytest.raises(BuddyingError) as raised, db.begin() as session:
        publish(session, run_id, None)
    assert str(raised.value) == "A what-if run cannot be published; run the scenario as a proposal instead"
    with db() as session:
        assert count(session, Offer) == 0
        assert session.get(Run, run_id).published_at is None
        assert current_published(session) is None


def test_publishing_a_run_that_does_not_exist_is_a_lookup_error(db):
    with pytest.raises(LookupError), db.begin() as session:
        publish(session, 404, None)


def test_a_run_made_before_a_decline_is_refused_until_rematched(db, run_job, published_run):
    _, stale = run_job()  # proposes the same pairs again, before anyone answered
    with db() as session:
        declined = next(iter(offers_by_key(session).values()))
    answer(db, declined, "declined", side="supporter", reason_code="conflict")
    before = snapshot(db)

    with pytest.raises(BuddyingError) as raised, db.begin() as session:
        publish(session, stale, None)
    assert str(raised.value) == (
        f"Run {stale} was made before the latest decisions; it proposes declined pairs "
        f"({declined.supporter} to {declined.recipient}). Re-match to make a run that respects them.")
    assert snapshot(db) == before
    with db() as session:
        assert session.get(Run, stale).published_at is None
        assert current_published(session).id == published_run

    _, rematch = run_job()
    with db.begin() as session:
        publication = publish(session, rematch, None)
    assert not publication.already_published
    with db() as session:
        assert current_published(session).id == rematch


def test_a_run_that_leaves_out_an_accepted_pair_is_refused(db, run_job, published_run):
    _, stale = run_job()
    with db.begin() as session:  # agreed meanwhile, for a pair the stale run does not propose
        make_offer(session, "R1D", "RZZ", status="accepted")
    with pytest.raises(BuddyingError) as raised, db.begin() as session:
        publish(session, stale, None)
    assert str(raised.value) == (
        f"Run {stale} was made before the latest decisions; it leaves out accepted pairs (R1D to RZZ). "
        "Re-match to make a run that respects them.")


def test_publishing_a_rematch_keeps_answered_offers_and_withdraws_those_it_drops(db, run_job, published_run):
    with db() as session:
        offers = offers_by_key(session)
    first, second = list(offers.values())[:2]
    answer(db, first, "accepted", side="recipient")  # half-answered offers carry over with their decisions
    with db.begin() as session:  # the regulator rules a pending pair out
        session.add(PairRule(rule="exclude", supporter=second.supporter, recipient=second.recipient,
                             reason="conflict of interest"))
    _, rematch = run_job()
    proposed = partnerships_of(db, rematch)
    with db.begin() as session:
        publication = publish(session, rematch, None)
    assert publication == Publication(new=len(proposed - set(offers)), kept=len(proposed & set(offers)),
                                      withdrawn=len(set(offers) - proposed))
    assert publication.withdrawn >= 1
    with db() as session:
        after = offers_by_key(session)
        assert [d.trust_code for d in after[(first.supporter, first.recipient, first.kind)].decisions] == [
            first.recipient]
    assert after[(second.supporter, second.recipient, second.kind)].status == "withdrawn"
    assert {key for key, o in after.items() if o.status == "pending"} == proposed
    assert {o.run_id for key, o in after.items() if key in proposed} == {rematch}


def test_a_withdrawn_offer_proposed_again_is_pending_again(db, run_job, published_run):
    with db.begin() as session:
        withdrawn = session.scalars(select(Offer).order_by(Offer.id)).first()
        withdrawn.status = "withdrawn"
        key = (withdrawn.supporter, withdrawn.recipient, withdrawn.kind)
    _, rerun = run_job()
    assert key in partnerships_of(db, rerun)
    with db.begin() as session:
        publication = publish(session, rerun, None)
    assert (publication.new, publication.withdrawn) == (1, 0)
    with db() as session:
        assert offers_by_key(session)[key].status == "pending"
        assert count(session, Offer) == len(partnerships_of(db, published_run))


def test_recent_runs_lists_the_newest_first_by_purpose(db, run_job):
    _, first = run_job()
    _, what_if = run_job(purpose="what_if")
    _, last = run_job()
    with db() as session:
        assert [r.id for r in recent_runs(session)] == [last, what_if, first]
        assert [r.id for r in recent_runs(session, purpose="proposal")] == [last, first]
        assert [r.id for r in recent_runs(session, limit=1)] == [last]
        assert current_published(session) is None


def test_two_regulators_publishing_the_same_run_at_once_publish_it_once(db, run_job):
    _, run_id = run_job()
    start = threading.Barrier(8)

    def press_publish(_: int) -> Publication:
        start.wait()
        with db.begin() as session:
            return publish(session, run_id, None)

    with ThreadPoolExecutor(8) as pool:
        publications = list(pool.map(press_publish, range(8)))  # any error is raised here
    pairs = partnerships_of(db, run_id)
    assert sorted(publications, key=lambda p: p.already_published) == (
        [Publication(new=len(pairs), kept=0, withdrawn=0)] + [Publication(0, 0, 0, already_published=True)] * 7)
    with db() as session:
        assert count(session, Offer) == len(pairs)


def test_the_preview_of_a_publication_says_what_is_new_kept_withdrawn_and_what_refuses_it():
    statuses = {("A", "X", "buddy"): "pending", ("B", "Y", "buddy"): "accepted", ("C", "Z", "buddy"): "withdrawn",
                ("D", "W", "buddy"): "declined"}
    what = preview_publication(statuses, {("B", "Y", "buddy"), ("C", "Z", "buddy"), ("E", "V", "buddy")})
    assert what.new == (("C", "Z", "buddy"), ("E", "V", "buddy"))  # a withdrawn offer made again counts as new
    assert what.kept == (("B", "Y", "buddy"),) and what.withdrawn == (("A", "X", "buddy"),)
    assert what.trusts == ("C", "E", "V", "Z") and what.refusal(7) is None
    stale = preview_publication(statuses, {("D", "W", "buddy")})
    assert stale.refusal(7) == ("Run 7 was made before the latest decisions; it proposes declined pairs (D to W); "
                                "it leaves out accepted pairs (B to Y). Re-match to make a run that respects them.")
