"""The SIP: from the request that starts it to its closing. One row per coordinated individual plan."""
from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.db import Base, str_enum, utcnow
from webapp.models.organisation import Organisation
from webapp.models.user import User


class SipStatus(enum.StrEnum):
    """Where a SIP stands. The timeline shows the steps in this order (DOMAIN.md, the five steps)."""

    SENT = "sent"                        # requested; nobody has acknowledged it yet
    RECEIVED = "received"                # an organisation acknowledged it
    CONSENT_CONFIRMED = "consent_confirmed"
    MEETING_BOOKED = "meeting_booked"
    PLAN_AGREED = "plan_agreed"          # an approved plan is in force
    FOLLOW_UP = "follow_up"              # a follow-up is booked
    CLOSED = "closed"
    DECLINED = "declined"                # refused, with a reason (only in exceptional cases)
    WITHDRAWN = "withdrawn"              # the request was withdrawn by the person or the requester


class StartPath(enum.StrEnum):
    """How the need was seen: the two start paths of a SIP (seed 002, foreword)."""

    HOME = "home"                # need seen at home: the usual path, invite 2-3 weeks ahead
    DISCHARGE = "discharge"      # leaving hospital: the fixed care contact calls, often at short notice


class PlacePreference(enum.StrEnum):
    HOME = "home"
    CLINIC = "clinic"
    REMOTE = "remote"
    NONE = "none"


class Principal(enum.StrEnum):
    """The two principals (huvudmän) that can hold the overall responsibility for a plan."""

    MUNICIPALITY = "municipality"
    REGION = "region"


class Sip(Base):
    """A SIP, starting as the request. ``person_id`` is empty when the person has no account
    (a relative asked for someone who is not in Min SIP); ``subject_name`` names them then."""

    __tablename__ = "sips"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Easy to read aloud on the phone, e.g. SIP-7KQ4-M2.
    reference: Mapped[str] = mapped_column(sa.String(16), unique=True)
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    requested_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    on_behalf: Mapped[bool] = mapped_column(default=False)
    subject_name: Mapped[str] = mapped_column(sa.String(200), default="")
    subject_phone: Mapped[str] = mapped_column(sa.String(40), default="")
    #: For a request on someone's behalf: do they know about it, and do they agree?
    subject_informed: Mapped[bool] = mapped_column(default=True)
    subject_agrees: Mapped[bool] = mapped_column(default=True)
    #: The purpose, in the person's own words; the invitation states it.
    purpose: Mapped[str] = mapped_column(sa.Text)
    start_path: Mapped[StartPath] = mapped_column(str_enum(StartPath), default=StartPath.HOME)
    discharge_date: Mapped[date | None]
    place_preference: Mapped[PlacePreference] = mapped_column(str_enum(PlacePreference),
                                                              default=PlacePreference.NONE)
    needs_hearing_loop: Mapped[bool] = mapped_column(default=False)
    needs_step_free: Mapped[bool] = mapped_column(default=False)
    needs_easy_read: Mapped[bool] = mapped_column(default=False)
    needs_other: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[SipStatus] = mapped_column(str_enum(SipStatus), default=SipStatus.SENT, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    #: The professional who took it as their own case.
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    #: Appointed with the person's agreement; their point of contact (seed 002, step 3).
    coordinator_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    withdrawn_at: Mapped[datetime | None]
    withdrawn_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    declined_at: Mapped[datetime | None]
    declined_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decline_reason: Mapped[str] = mapped_column(sa.Text, default="")
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    closed_reason: Mapped[str] = mapped_column(sa.Text, default="")

    person: Mapped[User | None] = relationship(foreign_keys=[person_id])
    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id])
    acknowledged_by: Mapped[User | None] = relationship(foreign_keys=[acknowledged_by_id])
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    coordinator: Mapped[User | None] = relationship(foreign_keys=[coordinator_id])
    declined_by: Mapped[User | None] = relationship(foreign_keys=[declined_by_id])
    recipients: Mapped[list[SipRecipient]] = relationship(back_populates="sip", cascade="all, delete-orphan",
                                                          order_by="SipRecipient.id")
    requested_contacts: Mapped[list[RequestedContact]] = relationship(
        back_populates="sip", cascade="all, delete-orphan", order_by="RequestedContact.id")
    interpreter_requests: Mapped[list[InterpreterRequest]] = relationship(
        back_populates="sip", cascade="all, delete-orphan", order_by="InterpreterRequest.id")

    @property
    def display_name(self) -> str:
        """The name of the person the SIP is about."""
        return self.person.name if self.person else self.subject_name


class SipRecipient(Base):
    """An organisation the request was sent to: it lands in that organisation's queue."""

    __tablename__ = "sip_recipients"
    __table_args__ = (sa.UniqueConstraint("sip_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sip_id: Mapped[int] = mapped_column(sa.ForeignKey("sips.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    declined_at: Mapped[datetime | None]
    declined_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decline_reason: Mapped[str] = mapped_column(sa.Text, default="")

    sip: Mapped[Sip] = relationship(back_populates="recipients")
    organisation: Mapped[Organisation] = relationship(lazy="joined")
    acknowledged_by: Mapped[User | None] = relationship(foreign_keys=[acknowledged_by_id])


class RequestedContact(Base):
    """A contact the person wants invited, copied from the map when the request was sent."""

    __tablename__ = "requested_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    sip_id: Mapped[int] = mapped_column(sa.ForeignKey("sips.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contacts.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(sa.String(200))
    role_title: Mapped[str] = mapped_column(sa.String(200), default="")
    organisation_name: Mapped[str] = mapped_column(sa.String(200), default="")
    phone: Mapped[str] = mapped_column(sa.String(40), default="")
    email: Mapped[str] = mapped_column(sa.String(254), default="")

    sip: Mapped[Sip] = relationship(back_populates="requested_contacts")


class InterpreterMode(enum.StrEnum):
    ON_SITE = "on_site"
    PHONE = "phone"
    VIDEO = "video"


class InterpreterStatus(enum.StrEnum):
    REQUESTED = "requested"
    BOOKED = "booked"
    CANCELLED = "cancelled"


class InterpreterRequest(Base):
    """An interpreter asked for with the request, and later booked for a meeting.

    Always an outside professional, never a relative or staff member (seed 002, step 2).
    """

    __tablename__ = "interpreter_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    sip_id: Mapped[int] = mapped_column(sa.ForeignKey("sips.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    #: BCP 47 / ISO 639 code, e.g. "ar", "ti", "sgn-SE" style codes for sign languages ("swl").
    language: Mapped[str] = mapped_column(sa.String(35))
    #: The language's name as the person wrote it, when no code names it (another sign language: "sgn").
    language_name: Mapped[str] = mapped_column(sa.String(100), default="")
    sign_language: Mapped[bool] = mapped_column(default=False)
    mode: Mapped[InterpreterMode] = mapped_column(str_enum(InterpreterMode), default=InterpreterMode.ON_SITE)
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[InterpreterStatus] = mapped_column(str_enum(InterpreterStatus),
                                                      default=InterpreterStatus.REQUESTED)
    agency: Mapped[str] = mapped_column(sa.String(200), default="")
    booking_reference: Mapped[str] = mapped_column(sa.String(100), default="")
    confirmed_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    sip: Mapped[Sip] = relationship(back_populates="interpreter_requests")

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


class RequestDraft(Base):
    """The answers of a SIP request not sent yet, one per account, kept between the form's pages.

    Kept on the server rather than in the session cookie: the purpose is health information in the
    person's own words (a cookie is signed, not encrypted), it can outgrow a cookie, and a person who
    is slow or interrupted must not lose it when the session times out. Deleted when the request is
    sent, when the person starts again, and after ``DRAFT_LIFETIME`` unused.
    """

    __tablename__ = "request_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    #: The answers by step, as the form's pages saved them (ids, codes and the person's own text).
    data: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
