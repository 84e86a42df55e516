"""An organisation's figures over a period: how quickly it starts SIPs and whether it comes to meetings.

Only counts, medians and averages leave this module, never who. The period is in Swedish dates,
inclusive; "waiting now" does not depend on it.
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import Meeting, MeetingParticipant, MeetingStatus, MissedMeetingReport, Sip, SipRecipient, SipStatus
from webapp.services import clock, feedback
from webapp.services.feedback import QUESTIONS, Averages
from webapp.services.working_days import working_days_between

__all__ = ["QUESTIONS", "Figures", "for_organisation"]

_WAITING = (SipStatus.SENT, SipStatus.RECEIVED, SipStatus.CONSENT_CONFIRMED)


@dataclass(frozen=True)
class Figures:
    start: date
    end: date
    #: Requests sent to the organisation that it has neither acknowledged nor declined, today.
    waiting_now: int
    #: Requests sent to the organisation during the period.
    requests: int
    acknowledged: int
    median_days_to_acknowledgement: float | None
    met: int
    median_days_to_first_meeting: float | None
    #: Meetings the organisation was invited to, held during the period, and those where an invited
    #: organisation did not come (attendance recorded, or a missed-meeting report).
    meetings: int
    meetings_missed: int
    feedback: Averages

    @property
    def missed_share(self) -> float | None:
        return self.meetings_missed / self.meetings if self.meetings else None

    @property
    def empty(self) -> bool:
        return not (self.waiting_now or self.requests or self.meetings or self.feedback.count)


def _instant(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=clock.STOCKHOLM)


def _median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def _days(start: datetime, end: datetime) -> int:
    return working_days_between(clock.local(start).date(), clock.local(end).date())


def _waiting_now(organisation_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(SipRecipient.id)).join(Sip, Sip.id == SipRecipient.sip_id)
        .where(SipRecipient.organisation_id == organisation_id, SipRecipient.acknowledged_at.is_(None),
               SipRecipient.declined_at.is_(None), Sip.status.in_(_WAITING)))


def _first_meeting(sip_id: int) -> datetime | None:
    return db.session.scalars(
        sa.select(Meeting.starts_at).where(Meeting.sip_id == sip_id, Meeting.status != MeetingStatus.CANCELLED)
        .order_by(Meeting.starts_at).limit(1)).first()


def _invited(organisation_id: int) -> sa.Select:
    return sa.select(MeetingParticipant.meeting_id).where(MeetingParticipant.organisation_id == organisation_id)


def _someone_missing(meeting: Meeting) -> bool:
    absent = any(p.organisation_id is not None and p.attended is False for p in meeting.participants)
    reported = db.session.scalar(sa.select(sa.func.count(MissedMeetingReport.id))
                                 .where(MissedMeetingReport.meeting_id == meeting.id))
    return absent or bool(reported)


def for_organisation(organisation_id: int, start: date, end: date) -> Figures:
    since, until = _instant(start), _instant(end + timedelta(days=1))
    sent = db.session.execute(
        sa.select(Sip, SipRecipient).join(SipRecipient, SipRecipient.sip_id == Sip.id)
        .where(SipRecipient.organisation_id == organisation_id, Sip.created_at >= since, Sip.created_at < until)
    ).all()
    to_ack = [_days(sip.created_at, recipient.acknowledged_at) for sip, recipient in sent
              if recipient.acknowledged_at is not None]
    firsts = [(sip, _first_meeting(sip.id)) for sip, _recipient in sent]
    to_meeting = [_days(sip.created_at, first) for sip, first in firsts if first is not None]
    held = list(db.session.scalars(
        sa.select(Meeting).where(Meeting.id.in_(_invited(organisation_id)),
                                 Meeting.status.in_((MeetingStatus.PLANNED, MeetingStatus.HELD)),
                                 Meeting.starts_at >= since, Meeting.starts_at < until,
                                 Meeting.starts_at <= clock.now())))
    return Figures(
        start=start, end=end, waiting_now=_waiting_now(organisation_id), requests=len(sent),
        acknowledged=len(to_ack), median_days_to_acknowledgement=_median(to_ack),
        met=len(to_meeting), median_days_to_first_meeting=_median(to_meeting),
        meetings=len(held), meetings_missed=sum(1 for meeting in held if _someone_missing(meeting)),
        feedback=feedback.averages(_invited(organisation_id), since=since, until=until),
    )
