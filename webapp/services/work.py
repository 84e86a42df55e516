"""The organisations' side of requests: the inbox of the SIPs one's organisation works on.

Each SIP sent to the professional's organisation (or whose consent names it) that ``access`` lets them
read, oldest first, in one stage of its life (the inbox's filters), with the working days it waited and
its flags. Every SIP listed is a read the person's log shows (once a day).
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from webapp.extensions import db
from webapp.models import (
    Meeting,
    MeetingStatus,
    ReportStatus,
    Resource,
    Sip,
    SipRecipient,
    SipStatus,
    User,
)
from webapp.models.consent import ConsentRecord, consent_organisations
from webapp.services import access, audit, interpreter_bookings, missed_meetings, request_status
from webapp.services.cases import ENDED


class Stage(enum.StrEnum):
    """Where a SIP stands for the organisation looking at it: the inbox's filters, one each."""

    NEW = "new"                                    # not acknowledged by this organisation yet
    ACKNOWLEDGED = "acknowledged"                  # acknowledged, consent given: a meeting to book
    WAITING_FOR_CONSENT = "waiting_for_consent"    # acknowledged; the person's consent not given yet
    MEETING_BOOKED = "meeting_booked"
    PLAN_ACTIVE = "plan_active"
    FOLLOW_UP_DUE = "follow_up_due"
    CLOSED = "closed"                              # closed, declined (by anyone) or withdrawn


#: Open to starting work: an organisation that has not acknowledged it yet finds it "new".
_BEFORE_MEETING = (SipStatus.SENT, SipStatus.RECEIVED, SipStatus.CONSENT_CONFIRMED)
_BY_STATUS = {
    SipStatus.SENT: Stage.WAITING_FOR_CONSENT,
    SipStatus.RECEIVED: Stage.WAITING_FOR_CONSENT,
    SipStatus.CONSENT_CONFIRMED: Stage.ACKNOWLEDGED,
    SipStatus.MEETING_BOOKED: Stage.MEETING_BOOKED,
    SipStatus.PLAN_AGREED: Stage.PLAN_ACTIVE,
    SipStatus.FOLLOW_UP: Stage.FOLLOW_UP_DUE,
}


def stage_of(sip: Sip, recipient: SipRecipient | None) -> Stage:
    if sip.status in ENDED or (recipient is not None and recipient.declined_at is not None):
        return Stage.CLOSED
    if recipient is not None and recipient.acknowledged_at is None and sip.status in _BEFORE_MEETING:
        return Stage.NEW
    return _BY_STATUS[sip.status]


@dataclass(frozen=True)
class InboxItem:
    sip: Sip
    recipient: SipRecipient | None
    stage: Stage
    waited: int
    overdue: bool
    #: Planned meetings needing an interpreter not confirmed, 3 days before or less.
    interpreter_unconfirmed: list[Meeting] = field(default_factory=list)


@dataclass(frozen=True)
class Inbox:
    items: list[InboxItem]
    #: How many SIPs each filter shows (before filtering), for the filter links.
    counts: dict[Stage, int]
    #: Missed-meeting reports about the organisation not yet answered.
    unanswered_reports: int


def _candidates(organisation_id: int) -> list[tuple[Sip, SipRecipient | None]]:
    """The SIPs sent to the organisation or named in one of their consents, oldest first."""
    sent_to = sa.select(SipRecipient.sip_id).where(SipRecipient.organisation_id == organisation_id)
    named = (sa.select(ConsentRecord.sip_id).join(consent_organisations,
                                                  consent_organisations.c.record_id == ConsentRecord.id)
             .where(consent_organisations.c.organisation_id == organisation_id))
    rows = db.session.execute(
        sa.select(Sip, SipRecipient)
        .outerjoin(SipRecipient, sa.and_(SipRecipient.sip_id == Sip.id,
                                         SipRecipient.organisation_id == organisation_id))
        .where(sa.or_(Sip.id.in_(sent_to), Sip.id.in_(named)))
        .order_by(Sip.created_at, Sip.id)
        .options(selectinload(Sip.recipients), selectinload(Sip.person), selectinload(Sip.requested_by))
    ).all()
    return [(sip, recipient) for sip, recipient in rows]


def _interpreter_flags(sip_ids: list[int]) -> dict[int, list[Meeting]]:
    """Per SIP, its planned meetings whose interpreter is not confirmed soon enough: one statement for the
    meetings of the whole list (and more only for the few within the three days)."""
    flags: dict[int, list[Meeting]] = {}
    if not sip_ids:
        return flags
    planned = db.session.scalars(sa.select(Meeting).where(Meeting.sip_id.in_(sip_ids),
                                                          Meeting.status == MeetingStatus.PLANNED)
                                 .order_by(Meeting.starts_at))
    for meeting in planned:
        if interpreter_bookings.unconfirmed_soon(meeting):
            flags.setdefault(meeting.sip_id, []).append(meeting)
    return flags


def unanswered_reports(organisation_id: int) -> list:
    return [report for report in missed_meetings.for_organisation(organisation_id)
            if report.status != ReportStatus.ANSWERED]


def inbox_for(user: User, stage: Stage | None = None) -> Inbox:
    """The inbox of ``user``'s organisation, filtered to ``stage`` (``None``: everything not closed).

    Each SIP listed is logged as read (once a day): the list shows who asked and the purpose.
    """
    if user.organisation_id is None:
        return Inbox([], {s: 0 for s in Stage}, 0)
    candidates = _candidates(user.organisation_id)
    rights = access.access_to_many(user, [sip for sip, _recipient in candidates])
    readable = [(sip, recipient) for sip, recipient in candidates if rights[sip.id].can_read_request]
    staged = [(sip, recipient, stage_of(sip, recipient)) for sip, recipient in readable]
    counts = {s: sum(1 for *_rest, item_stage in staged if item_stage == s) for s in Stage}
    shown = [(sip, recipient, item_stage) for sip, recipient, item_stage in staged
             if (item_stage == stage if stage is not None else item_stage != Stage.CLOSED)]
    flags = _interpreter_flags([sip.id for sip, _recipient, item_stage in shown if item_stage != Stage.CLOSED])
    items = [
        InboxItem(sip, recipient, item_stage, request_status.working_days_waited(sip),
                  request_status.is_overdue(sip), flags.get(sip.id, []))
        for sip, recipient, item_stage in shown
    ]
    audit.record_list_reads(user, [item.sip for item in items], Resource.REQUEST)
    return Inbox(items, counts, len(unanswered_reports(user.organisation_id)))


