"""The append-only audit log: every state change says who made it, to what, and why."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .tables import AuditEntry


def record(session: Session, user_id: int | None, action: str, subject: str = "", **detail: Any) -> AuditEntry:
    """Add an entry in the caller's transaction (so it lands with the change it describes, or not at all)."""
    entry = AuditEntry(user_id=user_id, action=action, subject=subject, detail=detail)
    session.add(entry)
    return entry


def recent(session: Session, limit: int = 100) -> list[AuditEntry]:
    """The newest entries first."""
    return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)))
