"""Reminders: what is due is found from the data each time ``flask send-reminders`` runs, and each is
created once, ever.

Every reminder has a ``dedupe_key`` naming what it reminds of and whom, e.g.
``meeting-24h:<meeting>:<start>:<user>``. The key is unique in the database and inserted first: when
two runs (or two machines) find the same reminder, exactly one insert succeeds and the other skips it.
A moved meeting has a new start, hence a new key, so its reminders come again for the new time.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from webapp.extensions import db
from webapp.models import (
    ConsentAction,
    ConsentRecord,
    InterpreterRequest,
    InterpreterStatus,
    Meeting,
    MeetingChange,
    MeetingKind,
    MeetingStatus,
    Notification,
    PlanStatus,
    PlanVersion,
    Response,
    Sip,
    SipRecipient,
    SipStatus,
    User,
)
from webapp.services import clock, events, push_delivery
from webapp.services import notification_kinds as kinds
from webapp.services import notification_recipients as who
from webapp.services.notification_recipients import Gate
from webapp.services.notifications import Lookups, deliver
from webapp.services.working_days import working_days_between

#: Days after its end that an ended consent is still reported (older ones were before this job ran).
EXPIRED_LOOKBACK_DAYS = 7
_FINISHED = (SipStatus.CLOSED, SipStatus.DECLINED, SipStatus.WITHDRAWN)


@dataclass(frozen=True)
class Due:
    """One reminder to one person."""

    code: str
    key: str
    user_id: int
    sip: Sip
    params: dict
    gate: Gate


def _epoch(instant: datetime) -> int:
    return int(instant.timestamp())


def _scheduled_at(meetings: list[Meeting]) -> dict[int, datetime]:
    """When each meeting was booked or last moved: a reminder due before then is not sent, because
    the booking or the move itself was just announced."""
    moved = dict(db.session.execute(
        sa.select(MeetingChange.meeting_id, sa.func.max(MeetingChange.changed_at))
        .where(MeetingChange.meeting_id.in_([m.id for m in meetings])).group_by(MeetingChange.meeting_id)).all())
    result = {}
    for meeting in meetings:
        last = moved.get(meeting.id)
        result[meeting.id] = max(meeting.created_at, last) if last is not None else meeting.created_at
    return result


def _planned_meetings(until: datetime) -> list[Meeting]:
    now = clock.now()
    return list(db.session.scalars(sa.select(Meeting).where(
        Meeting.status == MeetingStatus.PLANNED, Meeting.starts_at > now, Meeting.starts_at <= until)
        .options(selectinload(Meeting.participants)).order_by(Meeting.starts_at, Meeting.id)))


def _meeting_reminders() -> Iterator[Due]:
    """24 hours and 2 hours before a meeting: the person and every invited participant with an
    account who has not declined."""
    now = clock.now()
    meetings = _planned_meetings(now + timedelta(hours=24))
    scheduled = _scheduled_at(meetings) if meetings else {}
    sips = {sip.id: sip for sip in db.session.scalars(sa.select(Sip).where(Sip.id.in_({m.sip_id for m in meetings})))}
    for meeting in meetings:
        soon = meeting.starts_at - now <= timedelta(hours=2)
        code, prefix = (kinds.MEETING_2H, "meeting-2h") if soon else (kinds.MEETING_24H, "meeting-24h")
        if scheduled[meeting.id] > meeting.starts_at - timedelta(hours=2 if soon else 24):
            continue
        sip = sips[meeting.sip_id]
        params = {"reference": sip.reference, **who.meeting_params(meeting)}
        users = [sip.person_id] + [p.user_id for p in meeting.participants
                                   if p.response not in (Response.DECLINED, Response.SUBSTITUTE)]
        for user_id in dict.fromkeys(u for u in users if u is not None):
            yield Due(code, f"{prefix}:{meeting.id}:{_epoch(meeting.starts_at)}:{user_id}", user_id, sip, params,
                      Gate.DETAILS)


def _interpreter_reminders() -> Iterator[Due]:
    """3 days before a meeting whose interpreter is needed but not confirmed: the inviter, who books it
    (seed 002, step 2: whoever invites books the interpreter)."""
    now = clock.now()
    meetings = _planned_meetings(now + timedelta(days=3))
    wanted: dict[int, list[InterpreterRequest]] = {}
    for start in range(0, len(meetings), 500):
        sip_ids = {m.sip_id for m in meetings[start:start + 500]}
        for request in db.session.scalars(sa.select(InterpreterRequest).where(
                InterpreterRequest.sip_id.in_(sip_ids), InterpreterRequest.status != InterpreterStatus.CANCELLED)):
            wanted.setdefault(request.sip_id, []).append(request)
    for meeting in meetings:
        requests = [r for r in wanted.get(meeting.sip_id, []) if r.meeting_id in (None, meeting.id)]
        if not requests or any(r.meeting_id == meeting.id and r.confirmed_at is not None for r in requests):
            continue
        sip = db.session.get(Sip, meeting.sip_id)
        params = {"reference": sip.reference, **who.meeting_params(meeting)}
        yield Due(kinds.INTERPRETER_UNCONFIRMED_3D,
                  f"interpreter-3d:{meeting.id}:{_epoch(meeting.starts_at)}:{meeting.created_by_id}",
                  meeting.created_by_id, sip, params, Gate.DETAILS)


def _follow_up_reminders() -> Iterator[Due]:
    """A follow-up within 7 days (a booked follow-up meeting, or the date set in the approved plan):
    the person and the coordinator."""
    today, now = clock.today(), clock.now()
    dates: dict[int, date] = {}
    for meeting in _planned_meetings(now + timedelta(days=7)):
        if meeting.kind == MeetingKind.FOLLOW_UP:
            day = clock.local(meeting.starts_at).date()
            dates[meeting.sip_id] = min(day, dates.get(meeting.sip_id, day))
    for version in db.session.scalars(sa.select(PlanVersion).where(
            PlanVersion.status == PlanStatus.APPROVED, PlanVersion.next_follow_up_on >= today,
            PlanVersion.next_follow_up_on <= today + timedelta(days=7))):
        dates.setdefault(version.sip_id, version.next_follow_up_on)
    for sip_id, day in sorted(dates.items()):
        sip = db.session.get(Sip, sip_id)
        if sip.status in _FINISHED:
            continue
        plan = db.session.scalars(sa.select(PlanVersion).where(
            PlanVersion.sip_id == sip_id, PlanVersion.status == PlanStatus.APPROVED)
            .order_by(PlanVersion.number.desc()).limit(1)).first()
        coordinator = sip.coordinator_id or (plan.coordinator_id if plan is not None else None)
        for user_id in dict.fromkeys(u for u in (sip.person_id, coordinator) if u is not None):
            yield Due(kinds.FOLLOW_UP_7D, f"follow-up-7d:{sip_id}:{day.isoformat()}:{user_id}", user_id, sip,
                      {"reference": sip.reference, "date": day.isoformat()}, Gate.DETAILS)


def _latest_consents() -> list[ConsentRecord]:
    latest = sa.select(sa.func.max(ConsentRecord.id)).group_by(ConsentRecord.sip_id)
    return list(db.session.scalars(sa.select(ConsentRecord).where(
        ConsentRecord.id.in_(latest), ConsentRecord.action != ConsentAction.WITHDRAW,
        ConsentRecord.valid_until.is_not(None))))


def _consent_reminders() -> Iterator[Due]:
    """30 days before a consent ends: the person, who can renew it. After it has ended: the person and
    the organisations in it (it now behaves as withdrawn)."""
    today = clock.today()
    for record in _latest_consents():
        sip = db.session.get(Sip, record.sip_id)
        params = {"reference": sip.reference, "record_id": record.id, "date": record.valid_until.isoformat()}
        if today <= record.valid_until <= today + timedelta(days=30):
            if sip.person_id is not None and clock.local(record.created_at).date() < today:
                yield Due(kinds.CONSENT_ENDS_30D, f"consent-30d:{record.id}:{sip.person_id}", sip.person_id, sip,
                          {**params, "days": (record.valid_until - today).days}, Gate.DETAILS)
        elif today - timedelta(days=EXPIRED_LOOKBACK_DAYS) <= record.valid_until < today:
            staff = who.staff_of(org.id for org in record.organisations)
            for user_id, relation in [(sip.person_id, who.PERSON)] + [(u, who.STAFF) for u in staff]:
                if user_id is not None:
                    yield Due(events.CONSENT_EXPIRED, f"consent-expired:{record.id}:{user_id}", user_id, sip,
                              {**params, "as": relation}, Gate.INFORMED)


def _plan_reminders() -> Iterator[Due]:
    """A plan version that has waited 3 days for the person's approval."""
    now = clock.now()
    for version in db.session.scalars(sa.select(PlanVersion).where(
            PlanVersion.status == PlanStatus.PENDING_APPROVAL, PlanVersion.sent_at <= now - timedelta(days=3))):
        sip = db.session.get(Sip, version.sip_id)
        if sip.person_id is None:
            continue
        yield Due(kinds.PLAN_WAITING_3D, f"plan-waiting-3d:{version.id}:{sip.person_id}", sip.person_id, sip,
                  {"reference": sip.reference, "plan_version_id": version.id, "number": version.number,
                   "days": (now - version.sent_at).days}, Gate.DETAILS)


def _request_reminders() -> Iterator[Due]:
    """A request an organisation has not acknowledged after 3 working days: its professionals ("without
    delay", DOMAIN.md: the three principles)."""
    today = clock.today()
    rows = db.session.execute(sa.select(SipRecipient, Sip).join(Sip, Sip.id == SipRecipient.sip_id).where(
        SipRecipient.acknowledged_at.is_(None), SipRecipient.declined_at.is_(None), Sip.status.not_in(_FINISHED))
        .order_by(SipRecipient.id)).all()
    for recipient, sip in rows:
        waited = working_days_between(clock.local(sip.created_at).date(), today)
        if waited < 3:
            continue
        for user_id in who.staff_of([recipient.organisation_id]):
            yield Due(kinds.REQUEST_WAITING_3WD, f"request-3wd:{recipient.id}:{user_id}", user_id, sip,
                      {"reference": sip.reference, "days": waited, "as": who.STAFF}, Gate.REQUEST)


FINDERS = (_meeting_reminders, _interpreter_reminders, _follow_up_reminders, _consent_reminders,
           _plan_reminders, _request_reminders)


def find_due() -> list[Due]:
    """Every reminder that is due now, whether or not it was already created."""
    return [due for finder in FINDERS for due in finder()]


def _existing(keys: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start:start + 500]
        found.update(db.session.scalars(sa.select(Notification.dedupe_key).where(Notification.dedupe_key.in_(chunk))))
    return found


def _users(ids: set[int]) -> dict[int, User]:
    found: dict[int, User] = {}
    ids_list = list(ids)
    for start in range(0, len(ids_list), 500):
        found.update((u.id, u) for u in db.session.scalars(sa.select(User).where(User.id.in_(ids_list[start:start + 500]))))
    return found


def create_due(commit: bool = True) -> dict[str, int]:
    """Create every due reminder not yet created; returns how many of each kind were created now.

    Committed in batches (``REMINDER_BATCH_SIZE``), so that a web request waiting to write is not held
    up for long. ``commit=False`` leaves the work in the caller's transaction (the demo data does this).
    """
    batch = current_app.config.get("REMINDER_BATCH_SIZE", 500)
    db.begin_write()
    due = find_due()
    done = _existing([d.key for d in due])
    due = [item for item in due if item.key not in done]
    users = _users({item.user_id for item in due})
    lookups = Lookups.load(users)
    created: dict[str, int] = {}
    access_cache: dict = {}
    pending = 0
    for item in due:
        if item.key in done:
            continue
        done.add(item.key)
        user = users.get(item.user_id)
        if user is None or not who.allowed(user, item.sip, item.gate, access_cache):
            continue
        if deliver(user, item.code, item.params, sip=item.sip, dedupe_key=item.key, keep_record=True,
                   lookups=lookups) is not None:
            created[item.code] = created.get(item.code, 0) + 1
            pending += 1
        if commit and pending >= batch:
            db.session.commit()
            pending = 0
    if commit:
        db.session.commit()
    return created


def send_reminders() -> tuple[dict[str, int], dict[str, int]]:
    """What ``flask send-reminders`` does: create the due reminders, then send every due push."""
    created = create_due()
    return created, push_delivery.send_due()
