"""The local demo accounts, and the rule that keeps them out of production.

Their password is published in the README, so a production service (``BUDDYING_ENV=production``)
refuses to start while any of them can still sign in; switching them off
(``python -m web users disable``) is enough, and keeps the audit log's references to them.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from matcher.errors import BuddyingError
from matcher.store.passwords import DEMO_PASSWORD  # noqa: F401  # re-exported for the demo-users command
from matcher.store.tables import User

DEMO_USERS = (("regulator@example.nhs.uk", "regulator", None), ("policy@example.nhs.uk", "policy", None),
              ("admin@example.nhs.uk", "admin", None), ("ceo.rxl@example.nhs.uk", "trust_exec", "RXL"),
              ("ceo.rbv@example.nhs.uk", "trust_exec", "RBV"))


def active_demo_accounts(session: Session) -> list[str]:
    """The emails of the demo accounts that can still sign in."""
    emails = [email for email, _, _ in DEMO_USERS]
    return list(session.scalars(select(User.email).where(User.email.in_(emails), User.active.is_(True))
                                .order_by(User.email)))


def refuse_demo_accounts(sessions: sessionmaker[Session]) -> None:
    """Stop a production start while demo accounts can sign in.

    Raises:
        BuddyingError: naming each account and the command that switches it off.
    """
    with sessions() as session:
        found = active_demo_accounts(session)
    if found:
        raise BuddyingError(
            "Buddying will not start in production mode (BUDDYING_ENV=production) while the demo accounts can sign "
            f"in: their password is published. Switch them off first: {', '.join(found)} "
            f"(python -m web users disable --email EMAIL for each, or --demo for all of them).")
