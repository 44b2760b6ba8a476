"""Slowing down password guessing.

Too many failed sign-ins for one account, or from one address, within a window lock further
tries out until the window has passed.

The address limit is higher than the account limit because many NHS staff reach the
internet through one shared address; one person's typos must not lock out a whole trust.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .tables import SignInAttempt, utcnow

WINDOW = timedelta(minutes=15)
ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 20


@dataclass(frozen=True)
class LockOut:
    """Why sign-in is refused for now, and until when."""

    reason: str  # "account" or "address"
    until: datetime


def locked_out(session: Session, email: str, address: str, now: datetime | None = None) -> LockOut | None:
    """The lock-out in force for this account or address, if any."""
    now = now or utcnow()
    since = now - WINDOW
    for reason, column, key, limit in (("account", SignInAttempt.email, email.strip().lower(), ACCOUNT_LIMIT),
                                       ("address", SignInAttempt.address, address, ADDRESS_LIMIT)):
        failures = select(SignInAttempt.at).where(column == key, SignInAttempt.at > since,
                                                  SignInAttempt.succeeded.is_(False))
        count = session.scalars(select(func.count()).select_from(failures.subquery())).one()
        if count >= limit:
            # Locked until the oldest failure that keeps the count at the limit leaves the window.
            oldest = list(session.scalars(failures.order_by(SignInAttempt.at.desc()).limit(limit)))[-1]
            return LockOut(reason, oldest + WINDOW)
    return None


def record_attempt(session: Session, email: str, address: str, succeeded: bool) -> None:
    """Remember a try, in the caller's transaction."""
    session.add(SignInAttempt(email=email.strip().lower()[:254], address=address[:64], succeeded=succeeded))
