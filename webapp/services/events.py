"""Domain events: "something happened that people must be told". Recorded by the services that make
it happen, in the same transaction; the notifications service turns each into messages for the
right people, in their language.

``data`` carries ids and codes only, never health or personal text.
"""
from __future__ import annotations

from collections.abc import Callable

from webapp.extensions import db
from webapp.models import Event, Sip, User
from webapp.services import clock

# Immediate events (issue 7 delivers them).
REQUEST_RECEIVED = "request_received"          # a request was sent to the organisations
REQUEST_ACKNOWLEDGED = "request_acknowledged"
REQUEST_DECLINED = "request_declined"
REQUEST_WITHDRAWN = "request_withdrawn"
CONSENT_GIVEN = "consent_given"
CONSENT_RENEWED = "consent_renewed"
CONSENT_CHANGED = "consent_changed"
CONSENT_WITHDRAWN = "consent_withdrawn"
CONSENT_EXPIRED = "consent_expired"
RELATIVE_INVITED = "relative_invited"
RELATIVE_ACCEPTED = "relative_accepted"
RELATIVE_REMOVED = "relative_removed"
MEETING_BOOKED = "meeting_booked"
MEETING_MOVED = "meeting_moved"
MEETING_CANCELLED = "meeting_cancelled"
INVITATION_ANSWERED = "invitation_answered"
INTERPRETER_CONFIRMED = "interpreter_confirmed"
PLAN_AWAITING_APPROVAL = "plan_awaiting_approval"
PLAN_APPROVED = "plan_approved"
PLAN_CHANGE_REQUESTED = "plan_change_requested"
MISSED_MEETING_REPORTED = "missed_meeting_reported"
MISSED_MEETING_ANSWERED = "missed_meeting_answered"
SIP_CLOSED = "sip_closed"

IMMEDIATE_KINDS = (
    REQUEST_RECEIVED, REQUEST_ACKNOWLEDGED, REQUEST_DECLINED, REQUEST_WITHDRAWN,
    CONSENT_GIVEN, CONSENT_RENEWED, CONSENT_CHANGED, CONSENT_WITHDRAWN, CONSENT_EXPIRED,
    RELATIVE_INVITED, RELATIVE_ACCEPTED, RELATIVE_REMOVED,
    MEETING_BOOKED, MEETING_MOVED, MEETING_CANCELLED, INVITATION_ANSWERED, INTERPRETER_CONFIRMED,
    PLAN_AWAITING_APPROVAL, PLAN_APPROVED, PLAN_CHANGE_REQUESTED,
    MISSED_MEETING_REPORTED, MISSED_MEETING_ANSWERED, SIP_CLOSED,
)

#: Called with each new event inside the same transaction (the notifications service registers here).
_listeners: list[Callable[[Event], None]] = []


def subscribe(listener: Callable[[Event], None]) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def record(kind: str, sip: Sip | None = None, actor: User | None = None, person_id: int | None = None,
           **data: int | str | bool | None) -> Event:
    """Record an event in the current transaction (the caller commits)."""
    if kind not in IMMEDIATE_KINDS:
        raise ValueError(f"unknown event kind {kind!r}")
    event = Event(
        kind=kind, sip_id=sip.id if sip is not None else None,
        person_id=person_id if person_id is not None else (sip.person_id if sip is not None else None),
        actor_id=actor.id if actor is not None else None, data=dict(data), created_at=clock.now(),
    )
    db.session.add(event)
    db.session.flush()
    for listener in _listeners:
        listener(event)
    return event
