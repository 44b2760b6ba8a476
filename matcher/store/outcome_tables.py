"""The outcome tables (DOMAIN §8): agreements, and what each data refresh observed of each trust."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..domain import KINDS
from .tables import Base, Stamp, _one_of, utcnow


class AgreementRow(Base):
    """A live or ended agreement (DOMAIN §8): an offer both trusts accepted, or a past partnership imported from a file.

    ``ends_on`` is empty while the agreement is live; ``source`` says where it is recorded.
    """

    __tablename__ = "agreements"
    __table_args__ = (UniqueConstraint("recipient", "supporter", "kind", "starts_on"), _one_of("kind", KINDS),
                      CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="ends_after_start"))

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(10), index=True)
    supporter: Mapped[str] = mapped_column(String(10), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(500))
    offer_id: Mapped[int | None] = mapped_column(ForeignKey("offers.id"), unique=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(Stamp, default=utcnow)


class ObservationRow(Base):
    """One trust as one data refresh saw it: the facts its outcomes are judged by."""

    __tablename__ = "trust_observations"
    __table_args__ = (UniqueConstraint("observed_on", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    observed_on: Mapped[date] = mapped_column(Date, index=True)
    code: Mapped[str] = mapped_column(String(10), index=True)
    segment: Mapped[int | None] = mapped_column(Integer)
    overall: Mapped[int | None] = mapped_column(Integer)
    well_led: Mapped[int | None] = mapped_column(Integer)
    in_difficulty: Mapped[bool] = mapped_column(Boolean)
    data_fingerprint: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(Stamp, default=utcnow)
