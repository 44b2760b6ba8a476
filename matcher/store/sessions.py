"""Server-side sessions: started at sign-in, checked on every request, ended at sign-out.

A session ends after ``IDLE`` without use or ``ABSOLUTE`` after it began, whichever comes
first (OWASP ASVS 3.3), or when the account is switched off.
"""
from __future__ import annotations

import secrets
from datetime import timedelta
from typing import NamedTuple

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from .engine import rows_changed
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


class LiveUser(NamedTuple):
    """The person behind a live session, as a page needs them."""

    id: int
    email: str
    role: str
    trust_code: str | None


# Built once: constructing the statement and its cache key on every request cost more than the query.
_LIVE = (select(UserSession.user_id, UserSession.ended_at, UserSession.last_seen, UserSession.created_at,
                User.active, User.email, User.role, User.trust_code)
         .join(User, User.id == UserSession.user_id).where(UserSession.token == bindparam("token")))
_TOUCH = (update(UserSession).where(UserSession.token == bindparam("b_token"))
          .values(last_seen=bindparam("b_now", type_=UserSession.last_seen.type)))


def check(session: Session, user_id: int, token: str) -> LiveUser | None:
    """The active user whose live session this is, or None; refreshes the idle clock.

    One query on every request, read as plain columns on the session's connection (no objects
    are built); ``last_seen`` is written only when it is ``TOUCH_EVERY`` old.
    """
    found = session.connection().execute(_LIVE, {"token": token}).first()
    now = utcnow()
    if found is None:
        return None
    if (found.user_id != user_id or found.ended_at is not None or not found.active
            or now - found.last_seen > IDLE or now - found.created_at > ABSOLUTE):
        return None
    if now - found.last_seen > TOUCH_EVERY:
        session.connection().execute(_TOUCH, {"b_token": token, "b_now": now})
        session.commit()
    return LiveUser(found.user_id, found.email, found.role, found.trust_code)


def end(session: Session, token: str) -> None:
    """End one session (sign-out)."""
    session.execute(update(UserSession).where(UserSession.token == token, UserSession.ended_at.is_(None))
                    .values(ended_at=utcnow()))


def end_all(session: Session, user_id: int) -> int:
    """End every session of a user (account switched off); returns how many were open."""
    result = session.execute(update(UserSession).where(UserSession.user_id == user_id,
                                                       UserSession.ended_at.is_(None)).values(ended_at=utcnow()))
    return rows_changed(result)
