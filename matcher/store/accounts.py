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
    """A user could not be created; the message says which field and why.

    ``fields`` holds the same problems for a form: each under its field (``email``, ``role``,
    ``trust``, ``password``) in words that name the form's fields, not the command's options.
    """

    def __init__(self, message: str, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.fields = fields or {}


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
    problems: list[str] = []
    fields: dict[str, str] = {}

    def problem(field: str, cli: str, form: str) -> None:
        problems.append(cli)
        fields.setdefault(field, form)
    if len(email) > MAX_EMAIL:
        problem("email", f"the email address must be {MAX_EMAIL} characters or fewer",
                f"Email address must be {MAX_EMAIL} characters or fewer")
    elif not EMAIL.match(email):
        problem("email", f"email {excerpt(email)} is not an email address",
                "Enter an email address in the correct format, like name@example.nhs.uk")
    if role not in ROLES:
        problem("role", f"role {excerpt(role)} is not one of {', '.join(ROLES)}", "Select a role")
    if role == "trust_exec" and not trust_code:
        problem("trust", "a trust executive needs --trust with their trust's code",
                "Enter the code of the trust this chief executive leads, like RXL")
    if role != "trust_exec" and trust_code:
        problem("trust", "only a trust executive is bound to a trust; leave out --trust",
                "Leave the trust code empty: only a trust executive belongs to a trust")
    if trust_code and known_trusts is not None and trust_code not in known_trusts:
        problem("trust", f"trust {excerpt(trust_code)} is not an open English NHS trust in the data",
                f"Trust code {excerpt(trust_code)} is not an open English NHS trust; check it in the trust list")
    weak = password_problem(password, email, allow_demo=allow_demo_password)
    if weak:
        problem("password", weak, weak[:1].upper() + weak[1:])
    if session.scalar(select(func.count()).select_from(User).where(User.email == email)):
        problem("email", f"there is already an account for {email}", f"There is already an account for {email}")
    if problems:
        raise AccountError("Cannot create the account: " + "; ".join(problems), fields)
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
