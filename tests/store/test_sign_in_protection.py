"""Sign-in protection: throttling failures per account and per address, and server-side sessions."""
from __future__ import annotations

from datetime import timedelta

from matcher.store.tables import SignInAttempt, utcnow
from matcher.store.throttle import ACCOUNT_LIMIT, ADDRESS_LIMIT, WINDOW, locked_out, record_attempt


def fail(session, email, address, minutes_ago=0.0):
    session.add(SignInAttempt(email=email, address=address, succeeded=False,
                              at=utcnow() - timedelta(minutes=minutes_ago)))


def test_no_failures_no_lock(db):
    with db() as session:
        assert locked_out(session, "a@x.nhs.uk", "10.0.0.1") is None


def test_the_account_locks_at_the_limit_until_the_oldest_counted_failure_leaves_the_window(db):
    with db.begin() as session:
        for minutes in (14, 10, 6, 3, 1):
            fail(session, "a@x.nhs.uk", f"10.0.0.{minutes}", minutes)
    with db() as session:
        lock = locked_out(session, "A@x.nhs.uk ", "10.9.9.9")
        assert lock is not None and lock.reason == "account"
        expected = utcnow() - timedelta(minutes=14) + WINDOW
        assert abs((lock.until - expected).total_seconds()) < 5
        assert locked_out(session, "b@x.nhs.uk", "10.9.9.9") is None


def test_failures_older_than_the_window_and_successes_do_not_count(db):
    with db.begin() as session:
        for _ in range(ACCOUNT_LIMIT):
            fail(session, "a@x.nhs.uk", "10.0.0.1", 16)
        for _ in range(ACCOUNT_LIMIT):
            record_attempt(session, "a@x.nhs.uk", "10.0.0.1", True)
    with db() as session:
        assert locked_out(session, "a@x.nhs.uk", "10.0.0.1") is None


def test_an_address_locks_at_its_own_higher_limit(db):
    with db.begin() as session:
        for index in range(ADDRESS_LIMIT - 1):
            fail(session, f"user{index}@x.nhs.uk", "10.0.0.1")
    with db() as session:
        assert locked_out(session, "new@x.nhs.uk", "10.0.0.1") is None
    with db.begin() as session:
        fail(session, "last@x.nhs.uk", "10.0.0.1")
    with db() as session:
        assert locked_out(session, "new@x.nhs.uk", "10.0.0.1").reason == "address"
        assert locked_out(session, "new@x.nhs.uk", "10.0.0.2") is None


def test_server_side_sessions_start_check_and_end(db):
    from matcher.store import sessions
    from matcher.store.accounts import add_user
    with db.begin() as session:
        user_id = add_user(session, "a@x.nhs.uk", "policy", "a long enough secret").id
        token = sessions.start(session, user_id)
        other = sessions.start(session, user_id)
    with db() as session:
        assert sessions.check(session, user_id, token).email == "a@x.nhs.uk"
        assert sessions.check(session, user_id + 1, token) is None  # a token is bound to its user
        assert sessions.check(session, user_id, "forged") is None
    with db.begin() as session:
        sessions.end(session, token)
    with db() as session:
        assert sessions.check(session, user_id, token) is None
        assert sessions.check(session, user_id, other) is not None
    with db.begin() as session:
        assert sessions.end_all(session, user_id) == 1
    with db() as session:
        assert sessions.check(session, user_id, other) is None


def test_a_session_used_after_a_pause_is_touched_and_stays_live(db):
    from datetime import timedelta

    from sqlalchemy import update

    from matcher.store import sessions
    from matcher.store.accounts import add_user
    from matcher.store.tables import UserSession, utcnow
    with db.begin() as session:
        user_id = add_user(session, "a@x.nhs.uk", "policy", "a long enough secret").id
        token = sessions.start(session, user_id)
    paused = utcnow() - sessions.TOUCH_EVERY - timedelta(seconds=5)
    with db.begin() as session:
        session.execute(update(UserSession).where(UserSession.token == token).values(last_seen=paused))
    with db() as session:
        assert sessions.check(session, user_id, token).email == "a@x.nhs.uk"  # touches last_seen
    with db() as session:
        assert sessions.check(session, user_id, token).email == "a@x.nhs.uk"  # and reads it back
        touched = session.get(UserSession, token).last_seen
    assert touched > paused + sessions.TOUCH_EVERY
