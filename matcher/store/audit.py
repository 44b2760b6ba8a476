"""The append-only audit log: every state change says who made it, to what, and why.

Rows are kept for ever and can never be changed, so nothing unbounded is written to them: the
subject is cut to its column's 200 characters and each text in the detail to ``DETAIL_LIMIT``
(a 900 KB "email" typed at sign-in is kept as its first 200 characters, and still recorded).
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .tables import AuditEntry

SUBJECT_LIMIT = 200
DETAIL_LIMIT = 2000


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 3] + "..."


def record(session: Session, user_id: int | None, action: str, subject: str = "", **detail: Any) -> AuditEntry:
    """Add an entry in the caller's transaction (so it lands with the change it describes, or not at all)."""
    detail = {key: _cut(value, DETAIL_LIMIT) if isinstance(value, str) else value for key, value in detail.items()}
    entry = AuditEntry(user_id=user_id, action=action, subject=_cut(subject, SUBJECT_LIMIT), detail=detail)
    session.add(entry)
    return entry


def recent(session: Session, limit: int = 100) -> list[AuditEntry]:
    """The newest entries first."""
    return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)))
