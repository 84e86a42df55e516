"""A SIP's life as a case: acknowledged, taken, declined, advanced along the timeline, closed.

The status only moves forward along the five steps (DOMAIN.md); declined, withdrawn and closed end it.
"""
from __future__ import annotations

from flask_babel import gettext as _

from webapp.extensions import db
from webapp.models import Meeting, MeetingStatus, Sip, SipRecipient, SipStatus, User
from webapp.services import clock, events
from webapp.services.access import access_to
from webapp.services.request_status import TIMELINE

ENDED = frozenset({SipStatus.CLOSED, SipStatus.DECLINED, SipStatus.WITHDRAWN})
MIN_REASON_LENGTH = 10


class CaseError(ValueError):
    """A rule refused the change; ``field`` names the form field the message belongs to."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def advance(sip: Sip, status: SipStatus) -> bool:
    """Move the SIP forward to ``status`` if that is a later step; never backwards, never after it ended."""
    if sip.status in ENDED or status not in TIMELINE:
        return False
    if TIMELINE.index(status) <= TIMELINE.index(sip.status):
        return False
    sip.status = status
    sip.updated_at = clock.now()
    return True


def _recipient_of(sip: Sip, organisation_id: int | None) -> SipRecipient | None:
    return next((r for r in sip.recipients if r.organisation_id == organisation_id), None)


def _require_work(user: User, sip: Sip) -> None:
    if not access_to(user, sip).can_work:
        raise PermissionError("not inside this SIP's scope")


def acknowledge(professional: User, sip: Sip) -> None:
    """The organisation has received the request: the person sees "received" and who took it."""
    _require_work(professional, sip)
    if sip.status in ENDED:
        raise CaseError("sip", _("This SIP has ended."))
    db.begin_write()
    now = clock.now()
    recipient = _recipient_of(sip, professional.organisation_id)
    if recipient is not None and recipient.acknowledged_at is None:
        recipient.acknowledged_at = now
        recipient.acknowledged_by_id = professional.id
    first = sip.acknowledged_at is None
    if first:
        sip.acknowledged_at = now
        sip.acknowledged_by_id = professional.id
    advance(sip, SipStatus.RECEIVED)
    if first:
        events.record(events.REQUEST_ACKNOWLEDGED, sip=sip, actor=professional)
    db.session.commit()


def take(professional: User, sip: Sip) -> None:
    """Take the SIP as one's own case (acknowledging it if nobody has)."""
    if sip.acknowledged_at is None:
        acknowledge(professional, sip)
    _require_work(professional, sip)
    db.begin_write()
    sip.owner_id = professional.id
    sip.updated_at = clock.now()
    db.session.commit()


def decline(professional: User, sip: Sip, reason: str) -> None:
    """Decline for the professional's organisation, only with a written reason the person will read.

    A request should be refused only in exceptional cases (seed 000); when every organisation it was
    sent to has declined, the SIP is declined.
    """
    _require_work(professional, sip)
    reason = reason.strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise CaseError("reason", _("Write the reason, so that the person understands it (at least %(min)d characters).",
                                    min=MIN_REASON_LENGTH))
    if sip.status not in (SipStatus.SENT, SipStatus.RECEIVED):
        raise CaseError("reason", _("Only a request that has not gone further can be declined."))
    db.begin_write()
    now = clock.now()
    recipient = _recipient_of(sip, professional.organisation_id)
    if recipient is not None:
        recipient.declined_at = now
        recipient.declined_by_id = professional.id
        recipient.decline_reason = reason
    if all(r.declined_at is not None for r in sip.recipients):
        sip.status = SipStatus.DECLINED
        sip.declined_at = now
        sip.declined_by_id = professional.id
        sip.decline_reason = reason
        sip.updated_at = now
    events.record(events.REQUEST_DECLINED, sip=sip, actor=professional,
                  organisation_id=professional.organisation_id)
    db.session.commit()


def close(professional: User, sip: Sip, reason: str) -> None:
    """Close the SIP (at a follow-up, or when it is no longer needed); everyone is told."""
    _require_work(professional, sip)
    reason = reason.strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise CaseError("reason", _("Write why the SIP is closed (at least %(min)d characters).", min=MIN_REASON_LENGTH))
    if sip.status in ENDED:
        raise CaseError("reason", _("This SIP has ended."))
    db.begin_write()
    now = clock.now()
    sip.status = SipStatus.CLOSED
    sip.closed_at = now
    sip.closed_by_id = professional.id
    sip.closed_reason = reason
    sip.updated_at = now
    for meeting in db.session.query(Meeting).filter(Meeting.sip_id == sip.id,
                                                    Meeting.status == MeetingStatus.PLANNED,
                                                    Meeting.starts_at > now):
        meeting.status = MeetingStatus.CANCELLED
        meeting.cancelled_at = now
        meeting.cancelled_by_id = professional.id
        meeting.cancel_reason = reason
    events.record(events.SIP_CLOSED, sip=sip, actor=professional)
    db.session.commit()
