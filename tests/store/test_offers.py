"""Offers and decisions: both trusts must accept, either may decline, each answers once.

The answers become the next run's locks and exclusions.
"""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from matcher.domain import Exclusion, Pair
from matcher.errors import BuddyingError
from matcher.store.offers import (
    AlreadyDecided,
    DecisionRequest,
    check_request,
    decide,
    offer_for_trust,
    offers_for_trust,
    rematch_from_offers,
)
from matcher.store.tables import (
    AuditEntry,
    Decision,
    Declaration,
    Offer,
    PairRule,
    User,
    utcnow,
)
from tests.running import count, make_offer

ALREADY = "Your trust has already answered this offer."
WITHDRAWN = "This offer has been withdrawn by the regulator, so it cannot be answered."
CHANGED = "This offer changed since you opened it; read it again before answering."


@pytest.fixture
def offer(db) -> Offer:
    """A pending offer: RSUP to buddy RREC."""
    with db.begin() as session:
        return make_offer(session, "RSUP", "RREC")


def executives(db, trust: str, n: int = 1) -> list[int]:
    """``n`` trust executive accounts for one trust (made directly: their passwords do not matter here)."""
    with db.begin() as session:
        users = [User(email=f"exec{i}@{trust.lower()}.nhs.uk", role="trust_exec", trust_code=trust, password_hash="x")
                 for i in range(n)]
        session.add_all(users)
        session.flush()
        return [u.id for u in users]


def status_of(db, offer_id: int) -> str:
    with db() as session:
        return session.get(Offer, offer_id).status


def decisions_of(db, offer_id: int) -> list[tuple[str, str, str]]:
    with db() as session:
        return [(d.side, d.trust_code, d.decision)
                for d in session.scalars(select(Decision).where(Decision.offer_id == offer_id).order_by(Decision.id))]


def request(offer: Offer, trust: str, decision: str = "accepted", **fields) -> DecisionRequest:
    return DecisionRequest(offer.id, trust, decision, **fields)


def test_an_offer_is_accepted_only_when_both_trusts_accept(db, offer):
    decide(db, request(offer, "RSUP"), None)
    assert status_of(db, offer.id) == "pending"
    decided = decide(db, request(offer, "RREC"), None)
    assert decided.status == status_of(db, offer.id) == "accepted"
    assert decisions_of(db, offer.id) == [("supporter", "RSUP", "accepted"), ("recipient", "RREC", "accepted")]


@pytest.mark.parametrize("decliner, other", [("RSUP", "RREC"), ("RREC", "RSUP")], ids=["supporter", "recipient"])
def test_an_offer_is_declined_as_soon_as_either_trust_declines(db, offer, decliner, other):
    decide(db, request(offer, decliner, "declined", reason_code="distance"), None)
    assert status_of(db, offer.id) == "declined"
    decide(db, request(offer, other, "accepted"), None)  # the other trust may still answer ...
    assert status_of(db, offer.id) == "declined"        # ... but it stays declined


def test_a_decline_after_the_other_trust_accepted_declines_the_offer(db, offer):
    decide(db, request(offer, "RREC"), None)
    decide(db, request(offer, "RSUP", "declined", reason_code="board"), None)
    assert status_of(db, offer.id) == "declined"


def test_a_decision_records_who_why_and_is_audited(db, offer):
    [user] = executives(db, "RSUP")
    decide(db, request(offer, "RSUP", "declined", reason_code="other", reason_text="  Merger talks  "), user)
    accepted = decide(db, request(offer, "RREC", reason_code="ignored"), None)
    with db() as session:
        declined, accepted_row = session.scalars(select(Decision).order_by(Decision.id)).all()
        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert (declined.reason_code, declined.reason_text, declined.user_id) == ("other", "Merger talks", user)
    assert accepted_row.reason_code == "accepted"
    assert [(e.action, e.subject, e.user_id) for e in entries[-2:]] == [
        ("offer.declined", f"offer {offer.id}", user), ("offer.accepted", f"offer {accepted.id}", None)]
    assert entries[-2].detail == {"trust": "RSUP", "side": "supporter", "reason": "other", "status": "declined"}


def test_answering_twice_for_the_same_side_is_refused(db, offer):
    decide(db, request(offer, "RSUP"), None)
    with pytest.raises(AlreadyDecided, match=f"^{ALREADY}$"):
        decide(db, request(offer, "RSUP", "declined", reason_code="fit"), None)
    assert decisions_of(db, offer.id) == [("supporter", "RSUP", "accepted")]
    assert status_of(db, offer.id) == "pending"


@pytest.mark.parametrize("trust, offer_id", [("RXXX", None), ("RSUP", 999)], ids=["other trust", "no such offer"])
def test_a_trust_not_in_the_offer_cannot_answer_it(db, offer, trust, offer_id):
    with pytest.raises(LookupError):
        decide(db, DecisionRequest(offer_id or offer.id, trust, "accepted"), None)
    assert decisions_of(db, offer.id) == []


def test_a_withdrawn_offer_cannot_be_answered(db):
    with db.begin() as session:
        withdrawn = make_offer(session, "RSUP", "RREC", status="withdrawn")
    with pytest.raises(AlreadyDecided, match=f"^{WITHDRAWN}$"):
        decide(db, request(withdrawn, "RREC"), None)
    assert decisions_of(db, withdrawn.id) == []


def test_an_answer_to_an_offer_that_changed_since_it_was_read_is_refused(db, offer):
    assert offer.version == 1
    decide(db, request(offer, "RSUP", seen_version=1), None)
    with pytest.raises(AlreadyDecided, match=f"^{CHANGED}$"):
        decide(db, request(offer, "RREC", seen_version=1), None)
    with db() as session:
        current = session.get(Offer, offer.id).version
    assert current == 2
    decide(db, request(offer, "RREC", seen_version=current), None)
    assert status_of(db, offer.id) == "accepted"


@pytest.mark.parametrize("fields, problems", [
    ({"decision": "accepted"}, {}),
    ({"decision": "declined", "reason_code": "capacity"}, {}),
    ({"decision": "declined", "reason_code": "other", "reason_text": "Merger talks"}, {}),
    ({"decision": ""}, {"decision": "Select whether you accept or decline the offer"}),
    ({"decision": "maybe"}, {"decision": "Select whether you accept or decline the offer"}),
    ({"decision": "declined"}, {"reason_code": "Select a reason for declining"}),
    ({"decision": "declined", "reason_code": "bored"}, {"reason_code": "Select a reason for declining"}),
    ({"decision": "declined", "reason_code": "other", "reason_text": "   "},
     {"reason_text": "Explain why you are declining"}),
    ({"decision": "accepted", "reason_text": "x" * 2000}, {}),
    ({"decision": "accepted", "reason_text": "x" * 2001},
     {"reason_text": "Keep the explanation to 2,000 characters or fewer"}),
    ({"decision": "", "reason_text": "x" * 2001},
     {"decision": "Select whether you accept or decline the offer",
      "reason_text": "Keep the explanation to 2,000 characters or fewer"}),
])
def test_check_request_names_each_missing_or_wrong_field(fields, problems):
    assert check_request(DecisionRequest(1, "RSUP", **fields)) == problems


def test_an_incomplete_answer_is_refused_and_nothing_is_stored(db, offer):
    with pytest.raises(BuddyingError, match=r"^Select a reason for declining$"):
        decide(db, request(offer, "RSUP", "declined"), None)
    assert decisions_of(db, offer.id) == []
    assert status_of(db, offer.id) == "pending"


def test_a_trust_sees_only_its_own_offers(db):
    with db.begin() as session:
        mine = make_offer(session, "RSUP", "RREC")
        other = make_offer(session, "ROTH", "RREC2")
        gone = make_offer(session, "RREC3", "RSUP", status="withdrawn")
    with db() as session:
        assert offer_for_trust(session, mine.id, "RREC").id == mine.id
        assert offer_for_trust(session, other.id, "RSUP") is None
        assert [o.id for o in offers_for_trust(session, "RSUP")] == [mine.id]
        assert {o.id for o in offers_for_trust(session, "RSUP", include_withdrawn=True)} == {mine.id, gone.id}


def test_sixteen_people_answering_for_the_same_trust_at_once_store_one_decision(db, offer):
    """Everyone opened the page at the same moment and pressed the button together: one wins."""
    users = executives(db, "RSUP", 16)
    start = threading.Barrier(16)

    def answer(n: int) -> str:
        decision = "accepted" if n % 2 else "declined"
        start.wait()
        try:
            decide(db, request(offer, "RSUP", decision, reason_code="capacity", seen_version=1), users[n])
        except AlreadyDecided:
            return "lost"
        return "won"

    with ThreadPoolExecutor(16) as pool:
        outcomes = list(pool.map(answer, range(16)))  # any other error is raised here
    assert sorted(outcomes) == ["lost"] * 15 + ["won"]
    winner = outcomes.index("won")
    with db() as session:
        [stored] = session.scalars(select(Decision)).all()
        assert stored.user_id == users[winner]
        assert session.get(Offer, offer.id).status == ("pending" if winner % 2 else "declined")
        assert count(session, AuditEntry) == 2  # the placeholder scenario and the one decision


# --- What the answers mean for the next run -------------------------------------------------------


def test_rematch_from_offers_on_an_empty_database(db):
    with db() as session:
        rules = rematch_from_offers(session)
    assert (rules.locks, rules.exclusions, rules.pending, rules.extra_capacity, rules.unwilling) == (
        (), (), (), {}, frozenset())


def test_accepted_offers_are_locked_declined_excluded_and_pending_kept_if_possible(db):
    with db.begin() as session:
        accepted = make_offer(session, "RA", "R1")
        declined = make_offer(session, "RB", "R2", kind="management_contract")
        make_offer(session, "RC", "R3")
        make_offer(session, "RD", "R4", status="withdrawn")
    decide(db, request(accepted, "RA"), None)
    decide(db, request(accepted, "R1"), None)
    decide(db, request(declined, "RB", "declined", reason_code="capacity"), None)
    decide(db, request(declined, "R2", "declined", reason_code="distance"), None)
    with db() as session:
        rules = rematch_from_offers(session)
    assert rules.locks == (Pair("RA", "R1", "buddy"),)
    assert rules.exclusions == (Exclusion(
        "RB", "R2", None, "declined by RB (we do not have the capacity at the moment), "
                          "R2 (the partner trust is too far away to support well)"),)
    assert rules.pending == (Pair("RC", "R3", "buddy"),)


def test_a_decline_for_another_reason_gives_the_trusts_own_words(db, offer):
    decide(db, request(offer, "RREC", "declined", reason_code="other", reason_text="We are merging with RSUP"), None)
    with db() as session:
        [exclusion] = rematch_from_offers(session).exclusions
    assert exclusion == Exclusion("RSUP", "RREC", None, "declined by RREC (We are merging with RSUP)")


def test_regulator_locks_and_exclusions_apply_until_removed(db):
    with db.begin() as session:
        make_offer(session, "RC", "R3")
        session.add_all([
            PairRule(rule="lock", supporter="RC", recipient="R3", kind="buddy", reason="agreed in person"),
            PairRule(rule="exclude", supporter="RE", recipient="R5", kind="management_contract",
                     reason="conflict of interest"),
            PairRule(rule="exclude", supporter="RF", recipient="R6", reason="old rule", removed_at=utcnow()),
            PairRule(rule="lock", supporter="RG", recipient="R7", kind="buddy", reason="old", removed_at=utcnow()),
        ])
    with db() as session:
        rules = rematch_from_offers(session)
    assert rules.locks == (Pair("RC", "R3", "buddy"),)
    assert rules.pending == ()  # a locked pair is not also merely pending
    assert rules.exclusions == (Exclusion("RE", "R5", "management_contract", "excluded: conflict of interest"),)


def test_an_accepted_offer_that_is_also_locked_is_locked_once(db, offer):
    decide(db, request(offer, "RSUP"), None)
    decide(db, request(offer, "RREC"), None)
    with db.begin() as session:
        session.add(PairRule(rule="lock", supporter="RSUP", recipient="RREC", kind="buddy", reason="agreed"))
    with db() as session:
        assert rematch_from_offers(session).locks == (Pair("RSUP", "RREC", "buddy"),)


def test_each_trusts_latest_declaration_sets_its_capacity_or_unwillingness(db):
    with db.begin() as session:
        session.add_all([
            Declaration(trust_code="RA", willing=True, spare_units=3),
            Declaration(trust_code="RB", willing=True, spare_units=2),
            Declaration(trust_code="RB", willing=False, spare_units=0, note="board said no"),
            Declaration(trust_code="RC", willing=False, spare_units=0),
            Declaration(trust_code="RC", willing=True, spare_units=1),
            Declaration(trust_code="RD", willing=True, spare_units=0),
        ])
    with db() as session:
        rules = rematch_from_offers(session)
    assert rules.extra_capacity == {"RA": 3, "RC": 1}
    assert rules.unwilling == frozenset({"RB"})


def test_the_database_refuses_negative_spare_capacity(db):
    with pytest.raises(IntegrityError), db.begin() as session:
        session.add(Declaration(trust_code="RA", willing=True, spare_units=-1))
        session.flush()


def test_a_database_error_that_is_not_a_race_is_not_reported_as_already_answered(db):
    from sqlalchemy.exc import IntegrityError

    from matcher.store.offers import DecisionRequest, decide
    from tests.running import make_offer
    with db.begin() as session:
        offer = make_offer(session, "RBV", "RXL")
        session.flush()
        offer_id = offer.id
    with pytest.raises(IntegrityError):
        decide(db, DecisionRequest(offer_id, "RBV", "accepted"), user_id=424242)  # no such user


def test_eighty_concurrent_answers_to_twenty_offers_store_each_side_once_and_lose_none(db):
    """Both trusts of 20 offers answer at once, each twice (a double click): 80 concurrent requests.

    Every answer that was acknowledged is stored, none twice; a side refused only because the
    other side's answer landed first re-reads and answers again, as a person would.
    """
    with db.begin() as session:
        offers = [make_offer(session, f"S{n:02d}", f"R{n:02d}") for n in range(20)]
        session.flush()
        ids = [o.id for o in offers]
    start = threading.Barrier(80)

    def answer(job: tuple[int, str, int]) -> tuple[str, str, int]:
        offer_id, trust, click = job
        decision = "declined" if (offer_id + click) % 7 == 0 else "accepted"
        start.wait()
        for _attempt in range(10):
            try:
                decide(db, DecisionRequest(offer_id, trust, decision, reason_code="capacity"), None)
                return ("stored", trust, offer_id)
            except AlreadyDecided as refused:
                if "changed while you were answering" not in str(refused):
                    return ("duplicate", trust, offer_id)
        return ("gave up", trust, offer_id)

    jobs = [(offer_id, trust, click) for n, offer_id in enumerate(ids)
            for trust in (f"S{n:02d}", f"R{n:02d}") for click in (0, 1)]
    with ThreadPoolExecutor(80) as pool:
        outcomes = list(pool.map(answer, jobs))
    stored = sorted((trust, offer_id) for kind, trust, offer_id in outcomes if kind == "stored")
    assert [k for k, _, _ in outcomes].count("stored") == 40
    assert [k for k, _, _ in outcomes].count("duplicate") == 40
    with db() as session:
        decisions = session.scalars(select(Decision)).all()
        assert sorted((d.trust_code, d.offer_id) for d in decisions) == stored  # none lost, none twice
        for offer in session.scalars(select(Offer)):
            answers = {d.side: d.decision for d in offer.decisions}
            assert set(answers) == {"supporter", "recipient"}
            expected = "declined" if "declined" in answers.values() else "accepted"
            assert offer.status == expected
