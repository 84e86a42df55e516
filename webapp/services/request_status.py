"""Where a request stands, as the person sees it: the timeline and the "without delay" notice.

Work on a SIP should start without delay, which normally means within a few days (seed 004, "Tre
principer"; seed 001: "skyndsamt, det vill säga inom några dagar"). The request counts the Swedish
working days it has waited; after ``WITHOUT_DELAY_WORKING_DAYS`` with nobody acknowledging it, the
person is told so in plain words, with whom to call.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import (
    ConsentAction,
    ConsentRecord,
    Meeting,
    MeetingKind,
    Organisation,
    PlanStatus,
    PlanVersion,
    Sip,
    SipStatus,
)
from webapp.services import clock
from webapp.services.working_days import working_days_between

WITHOUT_DELAY_WORKING_DAYS = 3

#: The steps of a SIP in the order the person lives them (DOMAIN.md, the five steps).
TIMELINE = (
    SipStatus.SENT,
    SipStatus.RECEIVED,
    SipStatus.CONSENT_CONFIRMED,
    SipStatus.MEETING_BOOKED,
    SipStatus.PLAN_AGREED,
    SipStatus.FOLLOW_UP,
    SipStatus.CLOSED,
)


class StepState(enum.StrEnum):
    DONE = "done"
    NEXT = "next"          # the step the request is waiting for
    NOT_YET = "not_yet"
    ENDED = "ended"        # declined or withdrawn: the request stopped here


@dataclass(frozen=True)
class TimelineStep:
    status: SipStatus
    state: StepState
    at: datetime | None = None


def acknowledged_at(sip: Sip) -> datetime | None:
    """When an organisation first acknowledged the request (``None``: nobody has yet)."""
    moments = [sip.acknowledged_at] + [recipient.acknowledged_at for recipient in sip.recipients]
    moments = [moment for moment in moments if moment is not None]
    return min(moments) if moments else None


def working_days_waited(sip: Sip) -> int:
    """Swedish working days from the request to its acknowledgement, or to today while nobody has."""
    start = clock.local(sip.created_at).date()
    acknowledged = acknowledged_at(sip)
    end = clock.local(acknowledged).date() if acknowledged else clock.today()
    return working_days_between(start, end)


def is_overdue(sip: Sip) -> bool:
    """Sent, nobody has acknowledged it, and more than a few working days have passed."""
    return (sip.status == SipStatus.SENT and acknowledged_at(sip) is None
            and working_days_waited(sip) > WITHOUT_DELAY_WORKING_DAYS)


def whom_to_contact(sip: Sip) -> list[Organisation]:
    """The organisations the request was sent to, with their phone numbers from the directory."""
    return [recipient.organisation for recipient in sip.recipients]


def _first(query) -> datetime | None:
    return db.session.scalar(query)


def _reached(sip: Sip) -> dict[SipStatus, datetime | None]:
    """When each step was reached, as far as the records tell."""
    consent = _first(sa.select(sa.func.min(ConsentRecord.created_at))
                     .where(ConsentRecord.sip_id == sip.id, ConsentRecord.action == ConsentAction.GIVE))
    meeting = _first(sa.select(sa.func.min(Meeting.created_at))
                     .where(Meeting.sip_id == sip.id, Meeting.kind == MeetingKind.FIRST))
    plan = _first(sa.select(sa.func.min(PlanVersion.decided_at))
                  .where(PlanVersion.sip_id == sip.id,
                         PlanVersion.status.in_([PlanStatus.APPROVED, PlanStatus.SUPERSEDED])))
    follow_up = _first(sa.select(sa.func.min(Meeting.created_at))
                       .where(Meeting.sip_id == sip.id, Meeting.kind == MeetingKind.FOLLOW_UP))
    return {
        SipStatus.SENT: sip.created_at,
        SipStatus.RECEIVED: acknowledged_at(sip),
        SipStatus.CONSENT_CONFIRMED: _aware(consent),
        SipStatus.MEETING_BOOKED: _aware(meeting),
        SipStatus.PLAN_AGREED: _aware(plan),
        SipStatus.FOLLOW_UP: _aware(follow_up),
        SipStatus.CLOSED: sip.closed_at,
    }


def _aware(value: datetime | None) -> datetime | None:
    # Aggregates bypass the column type on SQLite and come back naive (UTC).
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def _progress(sip: Sip, reached: dict[SipStatus, datetime | None]) -> int:
    """How many timeline steps are done."""
    if sip.status in TIMELINE:
        return TIMELINE.index(sip.status) + 1
    # Declined or withdrawn: as far as the records show it got before it stopped.
    done = 1
    for position, status in enumerate(TIMELINE[1:], start=2):
        if reached[status] is not None:
            done = position
    return done


def timeline(sip: Sip) -> list[TimelineStep]:
    """Each step with its state and, where known, when it was reached. A declined or withdrawn
    request ends with that step instead of the ones it never reached."""
    reached = _reached(sip)
    done = _progress(sip, reached)
    steps = [TimelineStep(status, StepState.DONE, reached[status]) for status in TIMELINE[:done]]
    if sip.status == SipStatus.DECLINED:
        return [*steps, TimelineStep(SipStatus.DECLINED, StepState.ENDED, sip.declined_at)]
    if sip.status == SipStatus.WITHDRAWN:
        return [*steps, TimelineStep(SipStatus.WITHDRAWN, StepState.ENDED, sip.withdrawn_at)]
    rest = TIMELINE[done:]
    steps += [TimelineStep(status, StepState.NEXT if position == 0 else StepState.NOT_YET)
              for position, status in enumerate(rest)]
    return steps
