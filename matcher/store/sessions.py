"""Server-side sessions: started at sign-in, checked on every request, ended at sign-out.

A session ends after ``IDLE`` without use or ``ABSOLUTE`` after it began, whichever comes
first (OWASP ASVS 3.3), or when the account is switched off.
"""
from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .tables import User, UserSession, utcnow

IDLE = timedelta(minutes=30)
ABSOLUTE = timedelta(hours=12)
#: last_seen is written at most this often, so reading a page rarely writes to the database.
TOUCH_EVERY = timedelta(minutes=1)


def start(session: Session, user_id: int) -> str:
    """A new session for the user; returns its token (for the signed cookie)."""
    token = secrets.token_urlsafe(32)
    session.add(UserSession(token=token, user_id=user_id))
    return token


def check(session: Session, user_id: int, token: str) -> User | None:
    """The active user whose live session this is, or None; refreshes the idle clock."""
    found = session.execute(select(UserSession, User).join(User, User.id == UserSession.user_id)
                            .where(UserSession.token == token)).first()  # one query on every request
    now = utcnow()
    if found is None:
        return None
    record, user = found
    if (record.user_id != user_id or record.ended_at is not None or not user.active
            or now - record.last_seen > IDLE or now - record.created_at > ABSOLUTE):
        return None
    if now - record.last_seen > TOUCH_EVERY:
        record.last_seen = now
        session.commit()
    return user


def end(session: Session, token: str) -> None:
    """End one session (sign-out)."""
    session.execute(update(UserSession).where(UserSession.token == token, UserSession.ended_at.is_(None))
                    .values(ended_at=utcnow()))


def end_all(session: Session, user_id: int) -> int:
    """End every session of a user (account switched off); returns how many were open."""
    result = session.execute(update(UserSession).where(UserSession.user_id == user_id,
                                                       UserSession.ended_at.is_(None)).values(ended_at=utcnow()))
    return result.rowcount
