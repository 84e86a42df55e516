"""Answers to an invitation: accept, decline, or send a substitute (seed 002, step 2).

Professionals answer in the app; the person answers, or a relative allowed to act answers for them;
for external contacts and organisations, the inviter records the answer they gave by phone or mail.
"""
from __future__ import annotations

from collections import Counter

from flask_babel import gettext as _

from webapp.extensions import db
from webapp.models import Meeting, MeetingParticipant, MeetingStatus, ParticipantKind, Response, Sip, User
from webapp.services import clock, events
from webapp.services.access import access_to
from webapp.services.cases import CaseError


def may_answer(user: User, participant: MeetingParticipant) -> bool:
    """Whether ``user`` may give or record ``participant``'s answer."""
    meeting = participant.meeting
    sip = db.session.get(Sip, meeting.sip_id)
    access = access_to(user, sip)
    if participant.user_id is not None and participant.user_id == user.id:
        return access.can_read_request or access.can_act
    if participant.kind == ParticipantKind.PERSON:
        return access.can_act  # the person, or a relative allowed to act for them
    if participant.user_id is None:
        # An external contact or organisation: the inviter (or a colleague on the case) records it.
        return access.can_work
    return False


def answer(user: User, participant: MeetingParticipant, response: Response, substitute_name: str = "",
           note: str = "") -> None:
    """Give or record an answer; the inviter is told."""
    meeting: Meeting = participant.meeting
    if not may_answer(user, participant):
        raise PermissionError("may not answer for this participant")
    if meeting.status != MeetingStatus.PLANNED or meeting.starts_at <= clock.now():
        raise CaseError("response", _("This meeting can no longer be answered."))
    if response == Response.PENDING:
        raise CaseError("response", _("Choose an answer."))
    substitute_name = substitute_name.strip()
    if response == Response.SUBSTITUTE and not substitute_name:
        raise CaseError("substitute_name", _("Write the name of the person who comes instead."))
    db.begin_write()
    participant.response = response
    participant.substitute_name = substitute_name if response == Response.SUBSTITUTE else ""
    participant.response_note = note.strip()
    participant.responded_at = clock.now()
    participant.responded_by_id = user.id
    sip = db.session.get(Sip, meeting.sip_id)
    events.record(events.INVITATION_ANSWERED, sip=sip, actor=user, meeting_id=meeting.id,
                  participant_id=participant.id)
    db.session.commit()


def summary(meeting: Meeting) -> dict[Response, int]:
    """How many have accepted, declined, sent a substitute, not answered: for the answers at a glance."""
    counts = Counter(p.response for p in meeting.participants)
    return {response: counts.get(response, 0) for response in Response}
