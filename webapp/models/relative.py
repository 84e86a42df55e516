"""Relatives (närstående): who the person lets follow along, and how far."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.db import Base, utcnow
from webapp.models.user import User


class RelativeInvitation(Base):
    """A one-time link (and QR code) with which a person invites a relative. Stored only as a hash."""

    __tablename__ = "relative_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: Who the person meant to invite, in their own words (shown in their list).
    label: Mapped[str] = mapped_column(sa.String(200), default="")
    #: The rights chosen when inviting: [{"sip_id": 1, "can_act": true}, ...], applied on acceptance.
    grants: Mapped[list] = mapped_column(sa.JSON, default=list)
    can_request: Mapped[bool] = mapped_column(default=False)
    ends_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    accepted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    revoked_at: Mapped[datetime | None]

    person: Mapped[User] = relationship(foreign_keys=[person_id])


class RelativeLink(Base):
    """A relative follows a person. Removed at once when the person (or the relative) ends it."""

    __tablename__ = "relative_links"
    __table_args__ = (sa.Index("ix_relative_links_relative_person", "relative_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    relative_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Optional end date chosen by the person; the link is not live after it.
    ends_on: Mapped[date | None]
    #: May ask for a new SIP on the person's behalf (a SIP they ask for is then shared with them).
    can_request: Mapped[bool] = mapped_column(default=False)
    removed_at: Mapped[datetime | None]
    removed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    person: Mapped[User] = relationship(foreign_keys=[person_id])
    relative: Mapped[User] = relationship(foreign_keys=[relative_id])
    grants: Mapped[list[RelativeGrant]] = relationship(back_populates="link", cascade="all, delete-orphan")


class RelativeGrant(Base):
    """What a relative may do in one SIP: see the plan and meetings; with ``can_act``, also act for
    the person (ask for a SIP, answer invitations, report a missed meeting, give meeting feedback),
    but never give or withdraw consent."""

    __tablename__ = "relative_grants"
    __table_args__ = (sa.UniqueConstraint("link_id", "sip_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    link_id: Mapped[int] = mapped_column(sa.ForeignKey("relative_links.id", ondelete="CASCADE"), index=True)
    sip_id: Mapped[int] = mapped_column(sa.ForeignKey("sips.id", ondelete="CASCADE"), index=True)
    can_act: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    link: Mapped[RelativeLink] = relationship(back_populates="grants")
