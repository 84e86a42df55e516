"""After a meeting: who came, and at a follow-up whether the SIP continues, is revised or closes.

A follow-up is always held as a rule; a skipped one is noted with its reason (seed 002, step 5).
"""
from __future__ import annotations

from flask_babel import gettext as _

from webapp.extensions import db
from webapp.models import FollowUpOutcome, Meeting, MeetingKind, MeetingStatus, Sip, User
from webapp.services import cases, clock
from webapp.services.access import access_to
from webapp.services.cases import CaseError


def _require_work(user: User, meeting: Meeting) -> Sip:
    sip = db.session.get(Sip, meeting.sip_id)
    if not access_to(user, sip).can_work:
        raise PermissionError("not inside this SIP's scope")
    return sip


def record_attendance(user: User, meeting: Meeting, attended: dict[int, bool]) -> None:
    """Record, per invited participant, whether they came; the meeting is then held."""
    _require_work(user, meeting)
    if meeting.starts_at > clock.now():
        raise CaseError("attended", _("Attendance can be recorded once the meeting has started."))
    if meeting.status not in (MeetingStatus.PLANNED, MeetingStatus.HELD):
        raise CaseError("attended", _("This meeting did not take place."))
    db.begin_write()
    for participant in meeting.participants:
        if participant.id in attended:
            participant.attended = attended[participant.id]
    meeting.status = MeetingStatus.HELD
    meeting.updated_at = clock.now()
    db.session.commit()


def record_outcome(user: User, meeting: Meeting, outcome: FollowUpOutcome, note: str = "") -> None:
    """The result of a held follow-up: continue unchanged, revise the plan, or close the SIP."""
    sip = _require_work(user, meeting)
    if meeting.kind != MeetingKind.FOLLOW_UP:
        raise CaseError("outcome", _("Only a follow-up has an outcome."))
    if meeting.status != MeetingStatus.HELD:
        raise CaseError("outcome", _("Record who came first: the follow-up must have been held."))
    if outcome == FollowUpOutcome.CLOSE:
        cases.close(user, sip, note)  # checks the reason and commits
    db.begin_write()
    meeting.outcome = outcome
    meeting.outcome_note = note.strip()
    meeting.outcome_recorded_at = clock.now()
    db.session.commit()
    if outcome == FollowUpOutcome.REVISE:
        from webapp.services import plans

        plans.start_draft(user, sip, meeting=meeting)


def skip(user: User, meeting: Meeting, reason: str) -> None:
    """Note that a follow-up did not take place, with the reason."""
    _require_work(user, meeting)
    if meeting.kind != MeetingKind.FOLLOW_UP:
        raise CaseError("reason", _("Only a follow-up can be skipped; cancel a meeting instead."))
    if meeting.status != MeetingStatus.PLANNED:
        raise CaseError("reason", _("This meeting can no longer be changed."))
    reason = reason.strip()
    if len(reason) < cases.MIN_REASON_LENGTH:
        raise CaseError("reason", _("Write why the follow-up did not take place (at least %(min)d characters).",
                                    min=cases.MIN_REASON_LENGTH))
    db.begin_write()
    meeting.status = MeetingStatus.SKIPPED
    meeting.cancel_reason = reason
    meeting.updated_at = clock.now()
    db.session.commit()
