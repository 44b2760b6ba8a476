"""Slowing down password guessing.

Too many failed sign-ins for one account, or from one address, within a window lock further
tries out until the window has passed.

The address limit is higher than the account limit because many NHS staff reach the
internet through one shared address; and an account that has signed in successfully from an
address in the last ``KNOWN_FOR`` is not held back by that address's lock, so one person's
guessing (or typos) never locks out everyone behind the same address or proxy.

A try is let through (and written down, as a failure) before its password is checked, and
the decision and the write happen in one transaction that holds the table's write lock, so
simultaneous tries queue one behind another: of any number of simultaneous guesses, exactly
``ACCOUNT_LIMIT`` (or fewer, if fewer were made) are checked and the rest are refused. (An
earlier version wrote every try first and then counted the others; thirty simultaneous tries
could then all see each other and all be refused, so none was checked, right password or not.)
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from .tables import SignInAttempt, utcnow

WINDOW = timedelta(minutes=15)
ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 20
KNOWN_FOR = timedelta(days=30)


@dataclass(frozen=True)
class LockOut:
    """Why sign-in is refused for now, and until when."""

    reason: str  # "account" or "address"
    until: datetime


def account_key(email: str) -> str:
    """How an email is counted: trimmed, lowercased and cut to the column's 254 characters."""
    return email.strip().lower()[:254]


def locked_out(session: Session, email: str, address: str, now: datetime | None = None) -> LockOut | None:
    """The lock-out in force for this account or address, if any."""
    now = now or utcnow()
    since = now - WINDOW
    email, address = account_key(email), address[:64]
    for reason, column, key, limit in (("account", SignInAttempt.email, email, ACCOUNT_LIMIT),
                                       ("address", SignInAttempt.address, address, ADDRESS_LIMIT)):
        failures = select(SignInAttempt.at).where(column == key, SignInAttempt.at > since,
                                                  SignInAttempt.succeeded.is_(False))
        count = session.scalars(select(func.count()).select_from(failures.subquery())).one()
        if count >= limit and not (reason == "address" and _known(session, email, address, now)):
            # Locked until the oldest failure that keeps the count at the limit leaves the window.
            oldest = list(session.scalars(failures.order_by(SignInAttempt.at.desc()).limit(limit)))[-1]
            return LockOut(reason, oldest + WINDOW)
    return None


def _known(session: Session, email: str, address: str, now: datetime) -> bool:
    """Has this account signed in successfully from this address lately?"""
    return session.scalar(select(SignInAttempt.id).where(
        SignInAttempt.email == email, SignInAttempt.address == address, SignInAttempt.succeeded.is_(True),
        SignInAttempt.at > now - KNOWN_FOR).limit(1)) is not None


def begin_attempt(sessions: sessionmaker[Session], email: str, address: str) -> int | LockOut:
    """Let a try through, writing it down as a failure before its password is checked (its id), or refuse it.

    A refused try is not written down: it checked no password, so it must not lengthen the lock.
    """
    with sessions.begin() as session:
        _queue_sign_ins(session)
        lock = locked_out(session, email, address)
        if lock is not None:
            return lock
        attempt = SignInAttempt(email=account_key(email), address=address[:64], succeeded=False)
        session.add(attempt)
        session.flush()
        return attempt.id


def _queue_sign_ins(session: Session) -> None:
    """Hold the sign-in table's write lock until this transaction ends, so tries are decided one at a time.

    PostgreSQL: a lock mode that conflicts with itself and with inserts but not with reads.
    SQLite: an immediate transaction, which takes the database's one write lock before it reads.
    """
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"LOCK TABLE {SignInAttempt.__tablename__} IN SHARE ROW EXCLUSIVE MODE")
    elif connection.dialect.name == "sqlite":
        driver = connection.connection.dbapi_connection
        if driver is not None and not driver.in_transaction:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


def settle_attempt(session: Session, attempt_id: int, succeeded: bool) -> None:
    """Mark a checked try as the success or failure it was, in the caller's transaction."""
    if succeeded:
        session.execute(update(SignInAttempt).where(SignInAttempt.id == attempt_id).values(succeeded=True))


def record_attempt(session: Session, email: str, address: str, succeeded: bool) -> None:
    """Remember a finished try, in the caller's transaction."""
    session.add(SignInAttempt(email=account_key(email), address=address[:64], succeeded=succeeded))
