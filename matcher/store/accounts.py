"""Accounts: creating users with argon2id password hashes (under ``passwords``' policy) and checking a sign-in."""
from __future__ import annotations

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import BuddyingError, excerpt
from .audit import record
from .passwords import MIN_LENGTH, password_problem
from .tables import ROLES, User

HASHER = PasswordHasher()
#: A dummy hash to verify against when the email is unknown, so both cases take the same time.
_DUMMY_HASH = HASHER.hash("not a real password")
MIN_PASSWORD = MIN_LENGTH
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_EMAIL = 254  # the longest address email allows (RFC 5321), and the column's width
ROLE_LABELS = {"regulator": "Regulator", "trust_exec": "Trust executive", "policy": "Policy staff",
               "admin": "Administrator"}


class AccountError(BuddyingError):
    """A user could not be created; the message says which field and why."""


def add_user(session: Session, email: str, role: str, password: str, trust_code: str | None = None,
             known_trusts: set[str] | None = None, by: int | None = None, allow_demo_password: bool = False) -> User:
    """Create an account, checking every field first.

    ``allow_demo_password`` is for the local ``demo-users`` command only: everywhere else the
    published demo password is refused like any common password.

    Raises:
        AccountError: bad email, unknown role, a trust executive without a known trust (or another
            role with one), a password the policy refuses (``passwords``), or an email already in use.
    """
    email = email.strip().lower()
    trust_code = trust_code.strip().upper() if trust_code else None
    problems = []
    if len(email) > MAX_EMAIL:
        problems.append(f"the email address must be {MAX_EMAIL} characters or fewer")
    elif not EMAIL.match(email):
        problems.append(f"email {excerpt(email)} is not an email address")
    if role not in ROLES:
        problems.append(f"role {excerpt(role)} is not one of {', '.join(ROLES)}")
    if role == "trust_exec" and not trust_code:
        problems.append("a trust executive needs --trust with their trust's code")
    if role != "trust_exec" and trust_code:
        problems.append("only a trust executive is bound to a trust; leave out --trust")
    if trust_code and known_trusts is not None and trust_code not in known_trusts:
        problems.append(f"trust {excerpt(trust_code)} is not an open English NHS trust in the data")
    weak = password_problem(password, email, allow_demo=allow_demo_password)
    if weak:
        problems.append(weak)
    if session.scalar(select(func.count()).select_from(User).where(User.email == email)):
        problems.append(f"there is already an account for {email}")
    if problems:
        raise AccountError("Cannot create the account: " + "; ".join(problems))
    user = User(email=email, role=role, trust_code=trust_code, password_hash=HASHER.hash(password))
    session.add(user)
    session.flush()
    record(session, by, "user.add", email, role=role, trust=trust_code)
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user with this email and password, or None (the same for a wrong email or password)."""
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    try:
        HASHER.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = HASHER.hash(password)
    return user
