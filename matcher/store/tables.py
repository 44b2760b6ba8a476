"""The tables: accounts, scenarios, jobs, runs, offers, decisions, pair rules, declarations and the audit log.

The audit log is append-only.

Enumerations are stored as short text with a CHECK constraint, so the same schema works on
SQLite and PostgreSQL and a bad value is refused by the database as well as by the code.
"""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from ..domain import KINDS

ROLES = ("regulator", "trust_exec", "policy", "admin")
JOB_STATUSES = ("queued", "running", "succeeded", "failed")
PURPOSES = ("proposal", "what_if")
JOB_PURPOSES = (*PURPOSES, "levers")  # a job makes a run, or tries the policy levers on one
OFFER_STATUSES = ("pending", "accepted", "declined", "withdrawn")
SIDES = ("supporter", "recipient")
ANSWERS = ("accepted", "declined")
PAIR_RULE_TYPES = ("lock", "exclude")


def utcnow() -> datetime:
    """Now, in UTC (stored timezone-aware)."""
    return datetime.now(UTC)


def _one_of(column: str, values: tuple[str, ...]) -> CheckConstraint:
    quoted = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IN ({quoted})", name=f"{column}_known")


class Base(DeclarativeBase):
    """Declarative base with constraint names that Alembic can refer to on every database."""

    metadata = MetaData(naming_convention={
        "ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s", "fk": "fk_%(table_name)s_%(column_0_name)s",
        "pk": "pk_%(table_name)s"})


class UtcDateTime(TypeDecorator):
    """A timezone-aware UTC timestamp on every database (SQLite hands back naive values otherwise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        """Store in UTC; a naive timestamp is refused, since its zone could only be guessed."""
        if value is not None and value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        """Read back as UTC-aware, as every database stored it (SQLite drops the zone)."""
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


Stamp = UtcDateTime()


class User(Base):
    """An account: who may sign in and in which role (a trust executive is bound to one trust)."""

    __tablename__ = "users"
    __table_args__ = (_one_of("role", ROLES),
                      CheckConstraint("(role = 'trust_exec') = (trust_code IS NOT NULL)", name="trust_for_exec"))

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    trust_code: Mapped[str | None] = mapped_column(String(10))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(Stamp, default=utcnow)


class Scenario(Base):
    """One version of a named configuration (a what-if or the one regulators run)."""

    __tablename__ = "scenarios"
    __table_args__ = (UniqueConstraint("name", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    version: Mapped[int] = mapped_column(Integer)
    config_yaml: Mapped[str] = mapped_column(Text)
    config_hash: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(Stamp, default=utcnow)

    author: Mapped[User | None] = relationship()

    @property
    def label(self) -> str:
        """``name v3``."""
        return f"{self.name} v{self.version}"


class Job(Base):
    """A run waiting for, or done by, the worker; the page polls it for progress."""

    __tablename__ = "jobs"
    __table_args__ = (_one_of("status", JOB_STATUSES), _one_of("purpose", JOB_PURPOSES),
                      CheckConstraint("(purpose = 'levers') = (levers_of IS NOT NULL)", name="levers_name_a_run"))

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[str] = mapped_column(String(20))
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id"))
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(20), default="queued")
    progress: Mapped[str] = mapped_column(String(200), default="Waiting for the worker")
    error: Mapped[str | None] = mapped_column(Text)
    worker: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(Stamp, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(Stamp)
    heartbeat_at: Mapped[datetime | None] = mapped_column(Stamp)
    finished_at: Mapped[datetime | None] = mapped_column(Stamp)
    levers_of: Mapped[int | None] = mapped_column(Integer, index=True)  # a levers job's run (no FK: no cycle)

    scenario: Mapped[Scenario] = relationship()
    run: Mapped[Run | None] = relationship(back_populates="job", uselist=False)


class Run(Base):
    """A finished solve: which job and scenario made it, how long it took, and its plan.

    The plan (``Plan.to_dict``) is the one copy of every figure: status, objective, budget,
    stage gaps, fingerprint and partnerships. ``matcher.store.runs.plan_of`` reads it back typed.
    """

    __tablename__ = "runs"
    __table_args__ = (_one_of("purpose", PURPOSES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id"), unique=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id"))
    purpose: Mapped[str] = mapped_column(String(20))
    previous_run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id"))
    seconds: Mapped[float] = mapped_column(Float)
    plan: Mapped[dict[str, Any]] = mapped_column(JSON, deferred=True)  # large: loaded only when read
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(Stamp, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(Stamp)
    published_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    job: Mapped[Job] = relationship(back_populates="run")
    scenario: Mapped[Scenario] = relationship()


class LeverReport(Base):
    """What would cover more for a run: each policy lever moved one notch and solved again (``LeverReport``)."""

    __tablename__ = "lever_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id"), unique=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"), index=True)
    report: Mapped[dict[str, Any]] = mapped_column(JSON, deferred=True)  # its seconds inside; who: the job's
    created_at: Mapped[datetime] = mapped_column(Stamp, default=utcnow)


class Offer(Base):
    """A published partnership put to both trusts; one row per pair ever offered.

    ``version`` increases on every change, so two people deciding at once cannot both win.
    """

    __tablename__ = "offers"
    __table_args__ = (UniqueConstraint("supporter", "recipient", "kind"), _one_of("status", OFFER_STATUSES),
                      _one_of("kind", KINDS))

    id: Mapped[int] = mapped_column(primary_key=True)
    supporter: Mapped[str] = mapped_column(String(10), index=True)
    recipient: Mapped[str] = mapped_column(String(10), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(20), default="pending")
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(Stamp, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(Stamp, default=utcnow)

    decisions: Mapped[list[Decision]] = relationship(back_populates="offer", order_by="Decision.decided_at")
    # SQLAlchemy's DeclarativeBase declares __mapper_args__ as an instance variable, though mappers read it from
    # the class: a ClassVar is right (and RUF012 asks for it), so mypy's "cannot override" is SQLAlchemy's.
    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version}  # type: ignore[misc]


class Decision(Base):
    """One trust's answer to an offer: each side decides once."""

    __tablename__ = "decisions"
    __table_args__ = (UniqueConstraint("offer_id", "side"), _one_of("side", SIDES), _one_of("decision", ANSWERS))

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id"))
    side: Mapped[str] = mapped_column(String(20))
    trust_code: Mapped[str] = mapped_column(String(10))
    decision: Mapped[str] = mapped_column(String(20))
    reason_code: Mapped[str] = mapped_column(String(40), default="")
    reason_text: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(Stamp, default=utcnow)

    offer: Mapped[Offer] = relationship(back_populates="decisions")


class PairRule(Base):
    """A regulator's lock (this pair must stay) or exclusion (never this pair), with who and why."""

    __tablename__ = "pair_rules"
    __table_args__ = (_one_of("rule", PAIR_RULE_TYPES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rule: Mapped[str] = mapped_column(String(10))
    supporter: Mapped[str] = mapped_column(String(10))
    recipient: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str | None] = mapped_column(String(30))
    reason: Mapped[str] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(Stamp, default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(Stamp)
    removed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Declaration(Base):
    """A trust's statement for the next run: willing to support or not, and spare capacity units."""

    __tablename__ = "declarations"
    __table_args__ = (CheckConstraint("spare_units >= 0", name="spare_units_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    trust_code: Mapped[str] = mapped_column(String(10), index=True)
    willing: Mapped[bool] = mapped_column(Boolean)
    spare_units: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(Stamp, default=utcnow)


class AuditEntry(Base):
    """Who did what and when. Rows are only ever added (a database trigger refuses changes)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(Stamp, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(60))
    subject: Mapped[str] = mapped_column(String(200), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class SignInAttempt(Base):
    """One try at signing in, kept to slow down password guessing (see ``throttle``)."""

    __tablename__ = "sign_in_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(Stamp, default=utcnow, index=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    succeeded: Mapped[bool] = mapped_column(Boolean)


class UserSession(Base):
    """A signed-in session, held server-side so that signing out (or an administrator) can end it for good.

    The browser's signed cookie carries only the token; a cookie whose session was ended, or has
    been idle or open too long, no longer signs anyone in.
    """

    __tablename__ = "user_sessions"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(Stamp, default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(Stamp, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(Stamp)
