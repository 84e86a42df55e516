"""The interpreter booked for a meeting.

An interpreter is always booked when the person cannot talk in Swedish; always an outside interpreter,
never a relative or staff member; whoever invites books the interpreter (seed 002, step 2). A meeting
that needs one and has none confirmed 3 days before is flagged.
"""
from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from webapp.extensions import db
from webapp.models import InterpreterMode, InterpreterRequest, InterpreterStatus, Meeting, MeetingStatus, Sip, User
from webapp.services import clock, events
from webapp.services.access import access_to
from webapp.services.cases import CaseError

CONFIRM_BEFORE = timedelta(days=3)


def requested_for(sip_id: int) -> InterpreterRequest | None:
    """The interpreter asked for with the request (not yet tied to a meeting), if any."""
    return db.session.scalars(
        sa.select(InterpreterRequest).where(InterpreterRequest.sip_id == sip_id,
                                            InterpreterRequest.meeting_id.is_(None),
                                            InterpreterRequest.status != InterpreterStatus.CANCELLED)
        .order_by(InterpreterRequest.id.desc()).limit(1)
    ).first()


def booking_for(meeting_id: int) -> InterpreterRequest | None:
    return db.session.scalars(
        sa.select(InterpreterRequest).where(InterpreterRequest.meeting_id == meeting_id,
                                            InterpreterRequest.status != InterpreterStatus.CANCELLED)
        .order_by(InterpreterRequest.id.desc()).limit(1)
    ).first()


def book(user: User, meeting: Meeting, language: str, mode: InterpreterMode, agency: str,
         booking_reference: str, confirmed: bool, sign_language: bool = False, notes: str = "",
         language_name: str = "") -> InterpreterRequest:
    """Book (or update the booking of) the meeting's interpreter."""
    sip = db.session.get(Sip, meeting.sip_id)
    if not access_to(user, sip).can_work:
        raise PermissionError("not inside this SIP's scope")
    if meeting.status != MeetingStatus.PLANNED:
        raise CaseError("meeting", _("This meeting can no longer be changed."))
    if not language.strip():
        raise CaseError("language", _("Choose the language."))
    if not agency.strip():
        raise CaseError("agency", _("Write which interpreter agency is booked."))
    db.begin_write()
    booking = booking_for(meeting.id)
    was_confirmed = booking is not None and booking.confirmed
    if booking is None:
        booking = InterpreterRequest(sip_id=sip.id, meeting_id=meeting.id, created_by_id=user.id,
                                     created_at=clock.now())
        db.session.add(booking)
    booking.language = language.strip()
    booking.language_name = language_name.strip()
    booking.sign_language = sign_language
    booking.mode = mode
    booking.agency = agency.strip()
    booking.booking_reference = booking_reference.strip()
    booking.notes = notes.strip()
    booking.status = InterpreterStatus.BOOKED
    booking.confirmed_at = (booking.confirmed_at or clock.now()) if confirmed else None
    booking.updated_at = clock.now()
    request = requested_for(sip.id)
    if request is not None:
        request.status = InterpreterStatus.BOOKED
        request.updated_at = clock.now()
    db.session.flush()
    if confirmed and not was_confirmed:
        events.record(events.INTERPRETER_CONFIRMED, sip=sip, actor=user, meeting_id=meeting.id)
    db.session.commit()
    return booking


def needs_interpreter(meeting: Meeting) -> bool:
    """An interpreter was asked for in the SIP, or is booked for this meeting."""
    return requested_for(meeting.sip_id) is not None or booking_for(meeting.id) is not None


def unconfirmed_soon(meeting: Meeting, now: datetime | None = None) -> bool:
    """Needed, not confirmed, and the meeting is 3 days away or less: flagged in the inbox."""
    now = now or clock.now()
    if meeting.status != MeetingStatus.PLANNED or meeting.starts_at <= now:
        return False
    if meeting.starts_at - now > CONFIRM_BEFORE or not needs_interpreter(meeting):
        return False
    booking = booking_for(meeting.id)
    return booking is None or not booking.confirmed
