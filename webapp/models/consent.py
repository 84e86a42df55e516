"""Consent (samtycke): an append-only history per SIP. The latest record is the consent in force.

Nothing here is ever updated or deleted: giving, renewing, changing and withdrawing each add a record.
"""
from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.db import Base, str_enum, utcnow
from webapp.models.organisation import Organisation
from webapp.models.user import User


class ConsentAction(enum.StrEnum):
    GIVE = "give"
    RENEW = "renew"
    CHANGE = "change"
    WITHDRAW = "withdraw"


class ConsentMethod(enum.StrEnum):
    """How the consent was given: in the app by the person, or recorded by staff."""

    APP = "app"
    ORAL = "oral"        # usually given orally and written into the record (seed 002, step 1)
    PAPER = "paper"      # the written form


consent_organisations = sa.Table(
    "consent_organisations",
    Base.metadata,
    sa.Column("record_id", sa.ForeignKey("consent_records.id", ondelete="CASCADE"), primary_key=True),
    # Indexed on its own: the workspace inbox finds the SIPs whose consent names an organisation.
    sa.Column("organisation_id", sa.ForeignKey("organisations.id"), primary_key=True, index=True),
)

consent_relatives = sa.Table(
    "consent_relatives",
    Base.metadata,
    sa.Column("record_id", sa.ForeignKey("consent_records.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id"), primary_key=True),
)


class ConsentRecord(Base):
    """One immutable step in a SIP's consent history: who, when, how and what."""

    __tablename__ = "consent_records"
    __table_args__ = (sa.Index("ix_consent_records_sip_id_id", "sip_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sip_id: Mapped[int] = mapped_column(sa.ForeignKey("sips.id", ondelete="CASCADE"))
    action: Mapped[ConsentAction] = mapped_column(str_enum(ConsentAction))
    method: Mapped[ConsentMethod] = mapped_column(str_enum(ConsentMethod))
    #: Who gave or recorded it: the person, or the professional who wrote down an oral or paper consent.
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: The question agreed (the purpose). Consent covers it and new questions until follow-up and closing.
    purpose: Mapped[str] = mapped_column(sa.Text, default="")
    #: What the person explicitly does not agree to.
    not_agreed: Mapped[str] = mapped_column(sa.Text, default="")
    valid_from: Mapped[date | None]
    #: At most one year after ``valid_from`` (seed 002: "Samtycket gäller max 1 år").
    valid_until: Mapped[date | None]
    #: For a staff-recorded consent: when and how it was given, in their words.
    note: Mapped[str] = mapped_column(sa.Text, default="")

    recorded_by: Mapped[User] = relationship()
    organisations: Mapped[list[Organisation]] = relationship(secondary=consent_organisations,
                                                             order_by="Organisation.name")
    relatives: Mapped[list[User]] = relationship(secondary=consent_relatives, order_by="User.name")


def _append_only() -> None:
    from webapp.models.audit import make_append_only

    make_append_only(ConsentRecord)


_append_only()
