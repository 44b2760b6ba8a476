"""Slowing down password guessing.

Too many failed sign-ins for one account, or from one address, within a window lock further
tries out until the window has passed.

The address limit is higher than the account limit because many NHS staff reach the
internet through one shared address; and an account that has signed in successfully from an
address in the last ``KNOWN_FOR`` is not held back by that address's lock, so one person's
guessing (or typos) never locks out everyone behind the same address or proxy.

A try is written down (as a failure) before its password is checked, and the lock is decided
by counting the tries already written, so concurrent tries cannot all slip under the limit:
of any number of simultaneous guesses, at most ``ACCOUNT_LIMIT`` are checked.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
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


def locked_out(session: Session, email: str, address: str, now: datetime | None = None,
               pending: int | None = None) -> LockOut | None:
    """The lock-out in force for this account or address, if any (``pending``: this try's own row, not counted)."""
    now = now or utcnow()
    since = now - WINDOW
    email, address = account_key(email), address[:64]
    for reason, column, key, limit in (("account", SignInAttempt.email, email, ACCOUNT_LIMIT),
                                       ("address", SignInAttempt.address, address, ADDRESS_LIMIT)):
        failures = select(SignInAttempt.at).where(column == key, SignInAttempt.at > since,
                                                  SignInAttempt.succeeded.is_(False))
        if pending is not None:
            failures = failures.where(SignInAttempt.id != pending)
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


def begin_attempt(sessions: sessionmaker[Session], email: str, address: str) -> int:
    """Write a try down as a failure, committed, before its password is checked; return its id."""
    with sessions.begin() as session:
        attempt = SignInAttempt(email=account_key(email), address=address[:64], succeeded=False)
        session.add(attempt)
        session.flush()
        return attempt.id


def settle_attempt(session: Session, attempt_id: int, succeeded: bool) -> None:
    """Mark a checked try as the success or failure it was, in the caller's transaction."""
    if succeeded:
        session.execute(update(SignInAttempt).where(SignInAttempt.id == attempt_id).values(succeeded=True))


def forget_attempt(sessions: sessionmaker[Session], attempt_id: int) -> None:
    """Drop a try that was refused by a lock-out (it checked no password, so it must not extend the lock)."""
    with sessions.begin() as session:
        session.execute(delete(SignInAttempt).where(SignInAttempt.id == attempt_id))


def record_attempt(session: Session, email: str, address: str, succeeded: bool) -> None:
    """Remember a finished try, in the caller's transaction."""
    session.add(SignInAttempt(email=account_key(email), address=address[:64], succeeded=succeeded))
