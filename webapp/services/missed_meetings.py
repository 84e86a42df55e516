"""When a meeting failed the person: their report, its way to the organisations, and the answer.

Invitations to SIP meetings are binding, yet people report meetings where nobody came; the advice is
to report it (seed 000). A report goes at once to the coordinator and to the organisations concerned,
marks the named participants as absent for the organisations' figures, and shows its status to the
person: sent, read, answered.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from webapp.extensions import db
from webapp.models import (
    Meeting,
    MeetingParticipant,
    MeetingStatus,
    MissedKind,
    MissedMeetingReport,
    ParticipantKind,
    ReportStatus,
    Sip,
    User,
)
from webapp.models.meeting import missed_meeting_absentees
from webapp.services import clock, events
from webapp.services.access import access_to
from webapp.services.cases import CaseError

MIN_ANSWER_LENGTH = 10


def can_report(meeting: Meeting) -> bool:
    """A report can be made once the meeting's start time has passed (and not for a cancelled one,
    unless it was cancelled at short notice, which is itself a reason to report)."""
    return meeting.starts_at <= clock.now()


def absent_candidates(meeting: Meeting) -> list[MeetingParticipant]:
    """Who can be named as not having come: everyone invited except the person."""
    return [p for p in meeting.participants if p.kind != ParticipantKind.PERSON]


def file(user: User, meeting: Meeting, kind: MissedKind, description: str,
         absent_ids: list[int] | None = None) -> MissedMeetingReport:
    """The person, or a relative allowed to act, reports what happened."""
    sip = db.session.get(Sip, meeting.sip_id)
    access = access_to(user, sip)
    if not access.can_act:
        raise PermissionError("only the person or a relative allowed to act reports")
    if not can_report(meeting):
        raise CaseError("kind", _("You can report this once the meeting's start time has passed."))
    candidates = {p.id: p for p in absent_candidates(meeting)}
    absent_ids = [pid for pid in (absent_ids or []) if pid in candidates]
    if kind == MissedKind.SOME_ABSENT and not absent_ids:
        raise CaseError("absent", _("Choose who did not come."))
    if kind == MissedKind.NOBODY_CAME:
        absent_ids = list(candidates)
    if kind == MissedKind.OTHER and not description.strip():
        raise CaseError("description", _("Tell in your own words what happened."))
    db.begin_write()
    report = MissedMeetingReport(
        meeting_id=meeting.id, sip_id=sip.id, reported_by_id=user.id, on_behalf=not access.is_person,
        kind=kind, description=description.strip(), created_at=clock.now(),
        absentees=[candidates[pid] for pid in absent_ids],
    )
    for participant in report.absentees:
        participant.attended = False
    db.session.add(report)
    db.session.flush()
    events.record(events.MISSED_MEETING_REPORTED, sip=sip, actor=user, meeting_id=meeting.id, report_id=report.id)
    db.session.commit()
    return report


def concerned_organisation_ids(report: MissedMeetingReport) -> set[int]:
    """The organisations the report is about: those of the absentees, or everyone invited."""
    people = report.absentees or absent_candidates(report.meeting)
    return {p.organisation_id for p in people if p.organisation_id is not None}


def for_organisation(organisation_id: int) -> list[MissedMeetingReport]:
    """Reports about an organisation (or a SIP it coordinates), newest first, for its inbox.

    The same rule as ``concerned_organisation_ids``, in SQL: its people were named as absent; or no one
    was named and it was invited; or it holds the coordinator.
    """
    absentees = missed_meeting_absentees
    named = (sa.select(absentees.c.report_id)
             .join(MeetingParticipant, MeetingParticipant.id == absentees.c.participant_id)
             .where(MeetingParticipant.organisation_id == organisation_id))
    someone_named = sa.exists().where(absentees.c.report_id == MissedMeetingReport.id)
    invited = sa.select(MeetingParticipant.meeting_id).where(MeetingParticipant.organisation_id == organisation_id)
    coordinated = (sa.select(Sip.id).join(User, Sip.coordinator_id == User.id)
                   .where(User.organisation_id == organisation_id))
    return list(db.session.scalars(
        sa.select(MissedMeetingReport).where(sa.or_(
            MissedMeetingReport.id.in_(named),
            sa.and_(~someone_named, MissedMeetingReport.meeting_id.in_(invited)),
            MissedMeetingReport.sip_id.in_(coordinated),
        )).order_by(MissedMeetingReport.created_at.desc())
    ))


def _coordinator_org(report: MissedMeetingReport) -> int | None:
    sip = db.session.get(Sip, report.sip_id)
    return sip.coordinator.organisation_id if sip and sip.coordinator else None


def may_handle(user: User, report: MissedMeetingReport) -> bool:
    """The coordinator, or a professional of an organisation concerned, inside the SIP's scope."""
    sip = db.session.get(Sip, report.sip_id)
    if not access_to(user, sip).can_work:
        return False
    return user.id == sip.coordinator_id or user.organisation_id in concerned_organisation_ids(report) \
        or user.organisation_id == _coordinator_org(report)


def mark_read(user: User, report: MissedMeetingReport) -> None:
    """Opening the report marks it read, so the person sees that someone did."""
    if not may_handle(user, report):
        raise PermissionError("not concerned by this report")
    if report.status != ReportStatus.SENT:
        return
    db.begin_write()
    report.status = ReportStatus.READ
    report.read_at = clock.now()
    report.read_by_id = user.id
    db.session.commit()


def answer(user: User, report: MissedMeetingReport, text: str) -> None:
    """Answer the person; the answer goes back to them."""
    if not may_handle(user, report):
        raise PermissionError("not concerned by this report")
    text = text.strip()
    if len(text) < MIN_ANSWER_LENGTH:
        raise CaseError("answer", _("Write your answer to the person (at least %(min)d characters).",
                                    min=MIN_ANSWER_LENGTH))
    db.begin_write()
    now = clock.now()
    if report.read_at is None:
        report.read_at, report.read_by_id = now, user.id
    report.status = ReportStatus.ANSWERED
    report.answer = text
    report.answered_at = now
    report.answered_by_id = user.id
    sip = db.session.get(Sip, report.sip_id)
    events.record(events.MISSED_MEETING_ANSWERED, sip=sip, actor=user, report_id=report.id)
    db.session.commit()


def for_meeting(meeting: Meeting) -> list[MissedMeetingReport]:
    return list(db.session.scalars(sa.select(MissedMeetingReport).where(MissedMeetingReport.meeting_id == meeting.id)
                                   .order_by(MissedMeetingReport.created_at)))


def was_missed(meeting: Meeting) -> bool:
    """A held or planned meeting with a report, or a cancelled one: for the figures."""
    return meeting.status == MeetingStatus.CANCELLED or bool(for_meeting(meeting))
