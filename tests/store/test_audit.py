"""The audit log: written in the same transaction as the change it describes, and never changed afterwards."""
from __future__ import annotations

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.exc import DBAPIError

from matcher.store.accounts import add_user
from matcher.store.audit import recent, record
from matcher.store.tables import AuditEntry, User
from tests.running import count


class Boom(Exception):
    """Something going wrong after the change, inside the same transaction."""


def test_an_entry_lands_with_the_change_it_describes(db):
    with db.begin() as session:
        user = add_user(session, "alice@nhs.net", "admin", "correct horse battery")
    with db() as session:
        entries = session.scalars(select(AuditEntry)).all()
    assert [(e.action, e.subject, e.detail) for e in entries] == [
        ("user.add", "alice@nhs.net", {"role": "admin", "trust": None})]
    assert entries[0].at.tzinfo is not None
    assert user.id is not None


def test_a_change_rolled_back_takes_its_entry_with_it(db):
    with pytest.raises(Boom), db.begin() as session:
        add_user(session, "alice@nhs.net", "admin", "correct horse battery")
        raise Boom
    with db() as session:
        assert count(session, User) == 0
        assert count(session, AuditEntry) == 0


def test_recent_lists_the_newest_first(db):
    with db.begin() as session:
        for n in range(5):
            record(session, None, "test.step", f"step {n}", n=n)
    with db() as session:
        assert [e.subject for e in recent(session, limit=3)] == ["step 4", "step 3", "step 2"]
        assert [e.detail["n"] for e in recent(session)] == [4, 3, 2, 1, 0]


@pytest.fixture
def entry(db) -> int:
    with db.begin() as session:
        created = record(session, None, "test.step", "the original")
        session.flush()
        return created.id


def test_the_database_refuses_to_change_an_entry(db, entry):
    with pytest.raises(DBAPIError, match="append-only"), db.begin() as session:
        session.execute(update(AuditEntry).where(AuditEntry.id == entry).values(subject="rewritten"))
    with db() as session:
        assert session.get(AuditEntry, entry).subject == "the original"


def test_the_database_refuses_to_change_an_entry_through_the_orm(db, entry):
    with pytest.raises(DBAPIError, match="append-only"), db.begin() as session:
        session.get(AuditEntry, entry).action = "test.forged"
    with db() as session:
        assert session.get(AuditEntry, entry).action == "test.step"


def test_the_database_refuses_to_delete_an_entry(db, entry):
    with pytest.raises(DBAPIError, match="append-only"), db.begin() as session:
        session.execute(delete(AuditEntry))
    with db() as session:
        assert count(session, AuditEntry) == 1


def test_the_database_refuses_raw_sql_too(db, entry):
    with pytest.raises(DBAPIError, match="append-only"), db.begin() as session:
        session.connection().exec_driver_sql("DELETE FROM audit_log")
    with db() as session:
        assert count(session, AuditEntry) == 1
