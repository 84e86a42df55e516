"""Meetings (SIP-möte and uppföljning), their invitations (kallelse) and participants' answers."""
from __future__ import annotations

import enum
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.db import Base, str_enum, utcnow
from webapp.models.organisation import Organisation
from webapp.models.user import User


class MeetingKind(enum.StrEnum):
    FIRST = "first"            # the SIP meeting where the plan is made
    FOLLOW_UP = "follow_up"    # a follow-up: continue, revise or close


class PlaceKind(enum.StrEnum):
    HOME = "home"              # the person's home, often the best place (seed 002)
    ADDRESS = "address"        # an address (the municipality's offices, short-term care...)
    CLINIC = "clinic"
    REMOTE = "remote"          # with a link


class MeetingStatus(enum.StrEnum):
    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"
    SKIPPED = "skipped"        # a follow-up that did not take place, with its reason


class FollowUpOutcome(enum.StrEnum):
    CONTINUE = "continue"      # continue unchanged
    REVISE = "revise"          # revise the plan
    CLOSE = "close"            # close the SIP


#: 45 minutes by default and one hour at most (seed 002, step 3).
DEFAULT_DURATION = 45
MAX_DURATION = 60


class Meeting(Base):
    """A meeting of one SIP. Times are instants (UTC); they are shown in Europe/Stockholm."""

    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    sip_id: Mapped[int] = mapped_column(sa.ForeignKey("sips.id", ondelete="CASCADE"), index=True)
    kind: Mapped[MeetingKind] = mapped_column(str_enum(MeetingKind), default=MeetingKind.FIRST)
    starts_at: Mapped[datetime] = mapped_column(index=True)
    duration_minutes: Mapped[int] = mapped_column(default=DEFAULT_DURATION)
    place_kind: Mapped[PlaceKind] = mapped_column(str_enum(PlaceKind), default=PlaceKind.HOME)
    address: Mapped[str] = mapped_column(sa.String(300), default="")
    remote_link: Mapped[str] = mapped_column(sa.String(500), default="")
    #: From the request; the invitation states it (seed 002, step 2).
    purpose: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[MeetingStatus] = mapped_column(str_enum(MeetingStatus), default=MeetingStatus.PLANNED)
    #: The inviter: books the meeting and the interpreter, records external answers.
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    cancelled_at: Mapped[datetime | None]
    cancelled_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    #: Why it was cancelled, or skipped (a skipped follow-up needs a reason).
    cancel_reason: Mapped[str] = mapped_column(sa.Text, default="")
    #: Set when the SIP's consent was withdrawn or expired: the meeting shows as cancelled.
    cancelled_for_consent: Mapped[bool] = mapped_column(default=False)
    outcome: Mapped[FollowUpOutcome | None] = mapped_column(str_enum(FollowUpOutcome))
    outcome_note: Mapped[str] = mapped_column(sa.Text, default="")
    outcome_recorded_at: Mapped[datetime | None]

    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    participants: Mapped[list[MeetingParticipant]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="MeetingParticipant.id")
    changes: Mapped[list[MeetingChange]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="MeetingChange.id")

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)


class ParticipantKind(enum.StrEnum):
    PERSON = "person"
    RELATIVE = "relative"
    CONTACT = "contact"              # from the person's contact map (answers recorded by the inviter)
    PROFESSIONAL = "professional"    # an account in Min SIP (answers in the app)
    ORGANISATION = "organisation"    # an organisation from the directory, person not yet named


class Response(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    SUBSTITUTE = "substitute"        # cannot come and sends someone else (seed 002, step 2)


class MeetingParticipant(Base):
    """Someone invited to a meeting, with their answer and, afterwards, whether they came."""

    __tablename__ = "meeting_participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ParticipantKind] = mapped_column(str_enum(ParticipantKind))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    contact_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contacts.id", ondelete="SET NULL"))
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    #: Copies, so that the invitation and the plan read the same later.
    name: Mapped[str] = mapped_column(sa.String(200))
    role_title: Mapped[str] = mapped_column(sa.String(200), default="")
    organisation_name: Mapped[str] = mapped_column(sa.String(200), default="")
    phone: Mapped[str] = mapped_column(sa.String(40), default="")
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    #: The language the invitation document is written in for this participant.
    language: Mapped[str] = mapped_column(sa.String(16), default="sv")
    response: Mapped[Response] = mapped_column(str_enum(Response), default=Response.PENDING)
    substitute_name: Mapped[str] = mapped_column(sa.String(200), default="")
    response_note: Mapped[str] = mapped_column(sa.Text, default="")
    responded_at: Mapped[datetime | None]
    responded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    #: After the meeting: did they come? None until recorded.
    attended: Mapped[bool | None]

    meeting: Mapped[Meeting] = relationship(back_populates="participants")
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    organisation: Mapped[Organisation | None] = relationship()


class MeetingChange(Base):
    """A meeting moved: from when to when, by whom and why."""

    __tablename__ = "meeting_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    changed_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    old_starts_at: Mapped[datetime]
    new_starts_at: Mapped[datetime]
    old_place: Mapped[str] = mapped_column(sa.String(500), default="")
    new_place: Mapped[str] = mapped_column(sa.String(500), default="")
    reason: Mapped[str] = mapped_column(sa.Text)

    meeting: Mapped[Meeting] = relationship(back_populates="changes")


class MissedKind(enum.StrEnum):
    NOBODY_CAME = "nobody_came"
    SOME_ABSENT = "some_absent"
    CANCELLED_SHORT_NOTICE = "cancelled_short_notice"
    MOVED_WITHOUT_ASKING = "moved_without_asking"
    OTHER = "other"


class ReportStatus(enum.StrEnum):
    SENT = "sent"
    READ = "read"
    ANSWERED = "answered"


missed_meeting_absentees = sa.Table(
    "missed_meeting_absentees",
    Base.metadata,
    sa.Column("report_id", sa.ForeignKey("missed_meeting_reports.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("participant_id", sa.ForeignKey("meeting_participants.id", ondelete="CASCADE"), primary_key=True),
)


class MissedMeetingReport(Base):
    """"Nobody came": the person's (or an acting relative's) report that a meeting failed them.

    Invitations to SIP meetings are binding (seed 000); the report goes to the coordinator and to
    the organisations concerned, and counts in their figures.
    """

    __tablename__ = "missed_meeting_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    sip_id: Mapped[int] = mapped_column(sa.ForeignKey("sips.id", ondelete="CASCADE"), index=True)
    reported_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    on_behalf: Mapped[bool] = mapped_column(default=False)
    kind: Mapped[MissedKind] = mapped_column(str_enum(MissedKind))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[ReportStatus] = mapped_column(str_enum(ReportStatus), default=ReportStatus.SENT)
    read_at: Mapped[datetime | None]
    read_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    answer: Mapped[str] = mapped_column(sa.Text, default="")
    answered_at: Mapped[datetime | None]
    answered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    meeting: Mapped[Meeting] = relationship()
    reported_by: Mapped[User] = relationship(foreign_keys=[reported_by_id])
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id])
    absentees: Mapped[list[MeetingParticipant]] = relationship(secondary=missed_meeting_absentees)


class MeetingFeedback(Base):
    """Five questions on a 1-5 scale after a meeting (after SKR's SIP-kollen), and free text.

    ``user_id`` only prevents answering twice; the organisation figures never show who answered.
    """

    __tablename__ = "meeting_feedback"
    __table_args__ = (sa.UniqueConstraint("meeting_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    listened_to: Mapped[int]
    knows_who_is_responsible: Mapped[int]
    knows_what_happens_next: Mapped[int]
    understood_everything: Mapped[int]
    overall: Mapped[int]
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
