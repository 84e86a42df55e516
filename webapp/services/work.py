"""The organisations' side of requests: the inbox of the SIPs one's organisation works on.

Each SIP sent to the professional's organisation (or whose consent names it) that ``access`` lets them
read, oldest first, in one stage of its life (the inbox's filters), with the working days it waited and
its flags, ``PAGE_SIZE`` at a time. Every SIP a page shows is a read the person's log shows (once a day).

An organisation's inbox holds thousands of SIPs: which ones it may read, their stages and their order
are decided on plain rows (a few columns each), and only the SIPs of the page shown are loaded whole.
"""
from __future__ import annotations

import enum
import functools
from collections import Counter, OrderedDict
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import current_app, g
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
from webapp.services import access, audit, clock, interpreter_bookings, missed_meetings, request_status
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


#: How many SIPs a page of the inbox shows.
PAGE_SIZE = 50


def _stage(status: SipStatus, is_recipient: bool, acknowledged: bool, declined: bool) -> Stage:
    """The stage of a SIP with ``status``, for an organisation it was sent to (``is_recipient``, with
    whether it acknowledged or declined it) or named only in its consent."""
    if status in ENDED or (is_recipient and declined):
        return Stage.CLOSED
    if is_recipient and not acknowledged and status in _BEFORE_MEETING:
        return Stage.NEW
    return _BY_STATUS[status]


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
    #: The SIPs of the page shown.
    items: list[InboxItem]
    #: How many SIPs each filter shows over the whole inbox (before filtering), for the filter links.
    counts: dict[Stage, int]
    #: Missed-meeting reports about the organisation not yet answered.
    unanswered_reports: int
    page: int = 1
    pages: int = 1


def _candidates(organisation_id: int) -> list[sa.Row]:
    """The SIPs sent to the organisation or named in one of their consents, oldest first, as plain rows
    in one statement: what deciding access (``access.light_columns``) and the stage need (the SIP's
    status and this organisation's receipt, if it was sent to it)."""
    return db.session.execute(_candidates_query(), {"organisation_id": organisation_id}).all()


@functools.cache
def _candidates_query() -> sa.Select:
    """Built once (it takes longer to build than to run): the organisation is a parameter."""
    organisation_id = sa.bindparam("organisation_id", type_=sa.Integer)
    sent_to = sa.select(SipRecipient.sip_id).where(SipRecipient.organisation_id == organisation_id)
    named = (sa.select(ConsentRecord.sip_id).join(consent_organisations,
                                                  consent_organisations.c.record_id == ConsentRecord.id)
             .where(consent_organisations.c.organisation_id == organisation_id))
    return (sa.select(Sip.id, Sip.status, SipRecipient.id.label("recipient_id"),
                      SipRecipient.acknowledged_at.is_not(None).label("acknowledged"),
                      SipRecipient.declined_at.is_not(None).label("declined"), *access.light_columns())
            .outerjoin(SipRecipient, sa.and_(SipRecipient.sip_id == Sip.id,
                                             SipRecipient.organisation_id == organisation_id))
            .where(Sip.id.in_(sa.union(sent_to, named)))
            .order_by(Sip.created_at, Sip.id))


def _load(sip_ids: list[int]) -> dict[int, Sip]:
    """The SIPs of the page, whole, with what the page shows of them."""
    if not sip_ids:
        return {}
    return {sip.id: sip for sip in db.session.scalars(
        sa.select(Sip).where(Sip.id.in_(sip_ids))
        .options(selectinload(Sip.recipients), selectinload(Sip.person), selectinload(Sip.requested_by)))}


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


#: How many professionals' inbox orders each process remembers.
_REMEMBERED = 256


def _staged(user: User) -> list[tuple[int, Stage]]:
    """Every SIP of the inbox that ``user`` may read, oldest first, with its stage.

    Deciding it for thousands of SIPs takes most of a page's time, and the answer depends only on the
    data, the professional and the date (a consent lapses at the end of a day). When the request read the
    data generation first (``services.response_cache``: the inbox is a cacheable page), the answer is
    remembered for that generation and day: a write anywhere, or midnight, and it is decided again.
    """
    generation = g.get("page_generation")
    key = (user.id, user.organisation_id, generation, clock.today())
    remembered: OrderedDict = current_app.extensions.setdefault("minsip_inbox_orders", OrderedDict())
    if generation is not None and key in remembered:
        return remembered[key]
    rows = _candidates(user.organisation_id)
    rights = access.access_to_rows(user, rows)
    staged = [(row.id, _stage(row.status, row.recipient_id is not None, row.acknowledged, row.declined))
              for row in rows if rights[row.id].can_read_request]
    if generation is not None:
        for old in [old for old in list(remembered) if old[2] != generation]:
            remembered.pop(old, None)  # made from older data: never asked for again
        remembered[key] = staged
        while len(remembered) > _REMEMBERED:
            remembered.pop(next(iter(remembered)), None)
    return staged


def inbox_for(user: User, stage: Stage | None = None, page: int = 1) -> Inbox:
    """Page ``page`` of the inbox of ``user``'s organisation, filtered to ``stage`` (``None``: everything
    not closed). A page out of range shows the nearest page there is.

    Each SIP the page lists is logged as read (once a day): the list shows who asked and the purpose.
    """
    if user.organisation_id is None:
        return Inbox([], {s: 0 for s in Stage}, 0)
    staged = _staged(user)
    tally = Counter(item_stage for _sip_id, item_stage in staged)
    counts = {s: tally[s] for s in Stage}
    shown = [(sip_id, item_stage) for sip_id, item_stage in staged
             if (item_stage == stage if stage is not None else item_stage != Stage.CLOSED)]
    pages = max(1, -(-len(shown) // PAGE_SIZE))
    page = min(max(page, 1), pages)
    on_page = shown[(page - 1) * PAGE_SIZE:page * PAGE_SIZE]
    sips = _load([sip_id for sip_id, _stage_of in on_page])
    flags = _interpreter_flags([sip_id for sip_id, item_stage in on_page if item_stage != Stage.CLOSED])
    items = []
    for sip_id, item_stage in on_page:
        sip = sips[sip_id]
        recipient = next((r for r in sip.recipients if r.organisation_id == user.organisation_id), None)
        items.append(InboxItem(sip, recipient, item_stage, request_status.working_days_waited(sip),
                               request_status.is_overdue(sip), flags.get(sip_id, [])))
    audit.record_list_reads(user, [item.sip for item in items], Resource.REQUEST)
    return Inbox(items, counts, len(unanswered_reports(user.organisation_id)), page, pages)
