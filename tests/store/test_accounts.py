"""Accounts: argon2id hashes, sign-in checks, and every reason an account cannot be made, word for word."""
from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from matcher.store import accounts
from matcher.store.accounts import AccountError, add_user, authenticate
from matcher.store.tables import AuditEntry, User
from tests.running import count

PASSWORD = "correct horse battery"
TRUSTS = {"RAJ", "RBL"}


def test_a_password_is_stored_as_an_argon2id_hash_never_in_plain_text(db):
    with db.begin() as session:
        add_user(session, "alice@nhs.net", "regulator", PASSWORD)
    with db() as session:
        stored = session.scalar(select(User.password_hash))
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    assert accounts.HASHER.verify(stored, PASSWORD)


def test_the_same_password_gets_a_different_hash_each_time(db):
    with db.begin() as session:
        add_user(session, "alice@nhs.net", "regulator", PASSWORD)
        add_user(session, "bob@nhs.net", "regulator", PASSWORD)
    with db() as session:
        first, second = session.scalars(select(User.password_hash)).all()
    assert first != second


def test_a_new_account_is_normalised_active_and_audited(db):
    with db.begin() as session:
        admin = add_user(session, "admin@nhs.net", "admin", PASSWORD)
        user = add_user(session, "  Carol.Exec@NHS.net ", "trust_exec", PASSWORD, trust_code=" raj ",
                        known_trusts=TRUSTS, by=admin.id)
    assert (user.email, user.role, user.trust_code, user.active) == ("carol.exec@nhs.net", "trust_exec", "RAJ", True)
    with db() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (entry.user_id, entry.action, entry.subject) == (admin.id, "user.add", "carol.exec@nhs.net")
    assert entry.detail == {"role": "trust_exec", "trust": "RAJ"}


@pytest.fixture
def alice(db):
    with db.begin() as session:
        return add_user(session, "alice@nhs.net", "regulator", PASSWORD).id


def test_the_right_password_signs_in(db, alice):
    with db() as session:
        user = authenticate(session, "alice@nhs.net", PASSWORD)
    assert user is not None and user.id == alice


def test_the_email_is_case_insensitive_when_signing_in(db, alice):
    with db() as session:
        assert authenticate(session, "  ALICE@nhs.NET ", PASSWORD).id == alice


@pytest.mark.parametrize("email, password", [
    ("alice@nhs.net", "wrong horse battery"),
    ("alice@nhs.net", ""),
    ("nobody@nhs.net", PASSWORD),
])
def test_a_wrong_password_or_unknown_email_does_not_sign_in(db, alice, email, password):
    with db() as session:
        assert authenticate(session, email, password) is None


def test_an_inactive_user_cannot_sign_in_even_with_the_right_password(db, alice):
    with db.begin() as session:
        session.get(User, alice).active = False
    with db() as session:
        assert authenticate(session, "alice@nhs.net", PASSWORD) is None


def test_an_outdated_hash_is_upgraded_on_sign_in(db, alice):
    current = accounts.HASHER.time_cost
    old = PasswordHasher(time_cost=current + 1, memory_cost=16, parallelism=1).hash(PASSWORD)
    with db.begin() as session:
        session.get(User, alice).password_hash = old
    with db.begin() as session:
        assert authenticate(session, "alice@nhs.net", PASSWORD) is not None
    with db() as session:
        upgraded = session.get(User, alice).password_hash
    assert upgraded != old and not accounts.HASHER.check_needs_rehash(upgraded)
    assert accounts.HASHER.verify(upgraded, PASSWORD)


@pytest.mark.parametrize("fields, problem", [
    ({"email": "not-an-email"}, "email 'not-an-email' is not an email address"),
    ({"email": "two words@nhs.net"}, "email 'two words@nhs.net' is not an email address"),
    ({"role": "superuser"}, "role 'superuser' is not one of regulator, trust_exec, policy, admin"),
    ({"role": "trust_exec"}, "a trust executive needs --trust with their trust's code"),
    ({"role": "regulator", "trust_code": "RAJ"}, "only a trust executive is bound to a trust; leave out --trust"),
    ({"role": "trust_exec", "trust_code": "zzz", "known_trusts": TRUSTS},
     "trust 'ZZZ' is not an open English NHS trust in the data"),
    ({"password": "eleven char"}, "the password must be at least 12 characters"),
], ids=["bad email", "email with space", "unknown role", "exec without trust", "other role with trust",
        "unknown trust", "short password"])
def test_each_reason_an_account_cannot_be_made_is_said_exactly_and_nothing_is_stored(db, fields, problem):
    values = {"email": "alice@nhs.net", "role": "regulator", "password": PASSWORD} | fields
    with pytest.raises(AccountError) as raised, db.begin() as session:
        add_user(session, **values)
    assert str(raised.value) == f"Cannot create the account: {problem}"
    with db() as session:
        assert count(session, User) == 0 and count(session, AuditEntry) == 0


def test_a_trust_code_is_not_checked_when_no_trust_list_is_given(db):
    with db.begin() as session:
        assert add_user(session, "exec@nhs.net", "trust_exec", PASSWORD, trust_code="ZZZ").trust_code == "ZZZ"


def test_twelve_characters_is_long_enough(db):
    with db.begin() as session:
        add_user(session, "alice@nhs.net", "policy", "pine otter 7")


def test_an_email_already_in_use_is_refused_whatever_its_case(db, alice):
    with pytest.raises(AccountError) as raised, db.begin() as session:
        add_user(session, "Alice@NHS.net", "admin", PASSWORD)
    assert str(raised.value) == "Cannot create the account: there is already an account for alice@nhs.net"
    with db() as session:
        assert session.scalars(select(User.role)).all() == ["regulator"]
        assert count(session, AuditEntry) == 1  # only alice's own creation


def test_every_problem_is_listed_at_once(db):
    with pytest.raises(AccountError) as raised, db.begin() as session:
        add_user(session, "nope", "trust_exec", "short")
    assert str(raised.value) == (
        "Cannot create the account: email 'nope' is not an email address; "
        "a trust executive needs --trust with their trust's code; the password must be at least 12 characters")


@pytest.mark.parametrize("role, trust_code", [("superuser", None), ("trust_exec", None), ("regulator", "RAJ")],
                         ids=["unknown role", "exec without trust", "other role with trust"])
def test_the_database_refuses_a_bad_role_even_when_add_user_is_bypassed(db, role, trust_code):
    with pytest.raises(IntegrityError), db.begin() as session:
        session.add(User(email="mallory@nhs.net", role=role, trust_code=trust_code, password_hash="x"))
        session.flush()
    with db() as session:
        assert count(session, User) == 0


def test_the_database_refuses_a_second_account_with_the_same_email(db, alice):
    with pytest.raises(IntegrityError), db.begin() as session:
        session.add(User(email="alice@nhs.net", role="admin", password_hash="x"))
        session.flush()
