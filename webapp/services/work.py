"""The organisations' side of requests, kept minimal: the queue of requests sent to one's organisation.

Issue 5 turns this into the full inbox (acknowledge, decline with a reason, record consent). Every
request listed is one ``access`` lets the professional read, and the person's log shows it (once a day).
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from webapp.extensions import db
from webapp.models import Resource, Sip, SipRecipient, SipStatus, User
from webapp.services import access, audit, request_status

#: Requests still waiting for the organisations to start, or being started.
WAITING = (SipStatus.SENT, SipStatus.RECEIVED, SipStatus.CONSENT_CONFIRMED)


@dataclass(frozen=True)
class QueuedRequest:
    sip: Sip
    recipient: SipRecipient
    waited: int
    overdue: bool


def queue_for(user: User) -> list[QueuedRequest]:
    """The requests sent to ``user``'s organisation that are waiting, oldest first, each logged as read."""
    if user.organisation_id is None:
        return []
    rows = db.session.execute(
        sa.select(Sip, SipRecipient).join(SipRecipient, SipRecipient.sip_id == Sip.id)
        .where(SipRecipient.organisation_id == user.organisation_id, Sip.status.in_(WAITING))
        .order_by(Sip.created_at, Sip.id)
        .options(selectinload(Sip.recipients), selectinload(Sip.person), selectinload(Sip.requested_by))
    ).all()
    rights = access.access_to_many(user, [sip for sip, _recipient in rows])
    queued = []
    for sip, recipient in rows:
        if not rights[sip.id].can_read_request:
            continue
        queued.append(QueuedRequest(sip, recipient, request_status.working_days_waited(sip),
                                    request_status.is_overdue(sip)))
    # The list shows who asked and the purpose: a read of each person's request, logged once a day.
    audit.record_list_reads(user, [item.sip for item in queued], Resource.REQUEST)
    return queued
