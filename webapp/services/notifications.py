"""Notifications: every event becomes messages to the right people, in the inbox and on their phones.

``on_event`` listens to ``services.events`` and runs inside the transaction that recorded the event:
the notifications and their push deliveries (the outbox, see ``services/push_delivery.py``) are
committed with the change they report, or not at all. Who is told is ``notification_recipients``;
what it says is ``notification_kinds``. A failure here never undoes the change itself: it is logged
and the event stays recorded.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import after_this_request, current_app, g, has_request_context
from sqlalchemy.exc import IntegrityError

from webapp.extensions import db
from webapp.models import (
    Event,
    MeetingParticipant,
    Notification,
    NotificationPreference,
    PushDelivery,
    PushSubscription,
    RelativeLink,
    Role,
    Sip,
    User,
)
from webapp.services import clock, events, push, push_delivery
from webapp.services import notification_recipients as who
from webapp.services.notification_kinds import CITIZEN, PROFESSIONAL, inbox_text, kind, kinds_for
from webapp.services.notification_targets import target

log = logging.getLogger(__name__)

PAGE_SIZE = 30


def audience(user: User) -> str | None:
    """Which kinds a user can receive: a citizen's or a professional's."""
    return {Role.CITIZEN: CITIZEN, Role.PROFESSIONAL: PROFESSIONAL}.get(user.role)


# --- Preferences -----------------------------------------------------------------------------------

def choices_of(user_id: int, code: str) -> tuple[bool, bool]:
    """(inbox, push) for one kind: what the user chose, on by default; always on when mandatory."""
    if kind(code).mandatory:
        return True, True
    row = db.session.scalars(sa.select(NotificationPreference).where(
        NotificationPreference.user_id == user_id, NotificationPreference.kind == code)).first()
    return (row.inbox, row.push) if row is not None else (True, True)


@dataclass(frozen=True)
class Preference:
    """One kind and the user's choice for it."""
    kind: object
    inbox: bool
    push: bool


def preferences(user: User) -> list[Preference]:
    """The user's choice for every kind they can receive, in the order of the kinds table."""
    rows = {row.kind: row for row in db.session.scalars(
        sa.select(NotificationPreference).where(NotificationPreference.user_id == user.id))}
    result = []
    for k in kinds_for(audience(user) or ""):
        row = rows.get(k.code)
        on = k.mandatory or row is None
        result.append(Preference(k, on or row.inbox, on or row.push))
    return result


def save_preferences(user: User, chosen: dict[str, tuple[bool, bool | None]]) -> None:
    """Save (inbox, push) per kind; ``push`` None leaves that choice as it was. Mandatory kinds stay on."""
    db.begin_write()
    rows = {row.kind: row for row in db.session.scalars(
        sa.select(NotificationPreference).where(NotificationPreference.user_id == user.id))}
    for k in kinds_for(audience(user) or ""):
        if k.mandatory or k.code not in chosen:
            continue
        inbox, pushed = chosen[k.code]
        row = rows.get(k.code)
        if row is None:
            row = NotificationPreference(user_id=user.id, kind=k.code, inbox=True, push=True)
            db.session.add(row)
        row.inbox = bool(inbox)
        if pushed is not None:
            row.push = bool(pushed)
    db.session.commit()


# --- Creating notifications -------------------------------------------------------------------------

def _queue_after_response(ids: list[int]) -> None:
    """Send these deliveries once this request's response has gone (the job takes what is left)."""
    if not ids or not has_request_context() or not current_app.config.get("PUSH_SEND_AFTER_RESPONSE", True):
        return
    if "push_delivery_ids" not in g:
        g.push_delivery_ids = []
        app = current_app._get_current_object()

        @after_this_request
        def _send_later(response):
            queued = g.pop("push_delivery_ids", [])
            if queued:
                response.call_on_close(push_delivery.send_after_response(app, queued))
            return response
    g.push_delivery_ids.extend(ids)


@dataclass
class Lookups:
    """What ``deliver`` needs per recipient, loaded once for many (the reminder job's batches)."""

    choices: dict[tuple[int, str], tuple[bool, bool]]
    subscriptions: dict[int, list[int]]

    @classmethod
    def load(cls, user_ids) -> Lookups:
        """Load the choices and subscriptions of these users, 500 at a time."""
        ids = list(set(user_ids))
        choices, subscriptions = {}, {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for row in db.session.scalars(sa.select(NotificationPreference).where(
                    NotificationPreference.user_id.in_(chunk))):
                choices[(row.user_id, row.kind)] = (row.inbox, row.push)
            for user_id, subscription_id in db.session.execute(sa.select(
                    PushSubscription.user_id, PushSubscription.id).where(PushSubscription.user_id.in_(chunk))):
                subscriptions.setdefault(user_id, []).append(subscription_id)
        return cls(choices, subscriptions)

    def choices_of(self, user_id: int, code: str) -> tuple[bool, bool]:
        """(inbox, push) for one user and kind; on by default, always on when mandatory."""
        return (True, True) if kind(code).mandatory else self.choices.get((user_id, code), (True, True))


def deliver(user: User, code: str, params: dict, *, sip: Sip | None = None, dedupe_key: str,
            event: Event | None = None, keep_record: bool = False, lookups: Lookups | None = None
            ) -> Notification | None:
    """Create one notification for ``user`` (and its push deliveries), unless the same ``dedupe_key``
    exists already: the unique key is inserted first, so two senders can never both create it.

    ``keep_record``: create the row even when the user turned both inbox and push off for this kind,
    so that a reminder is known to be done. Returns None when nothing was created.
    """
    inbox, pushed = lookups.choices_of(user.id, code) if lookups else choices_of(user.id, code)
    if not inbox and not pushed and not keep_record:
        return None
    now = clock.now()
    notification = Notification(
        user_id=user.id, kind=code, sip_id=sip.id if sip is not None else None,
        event_id=event.id if event is not None else None, params=params, dedupe_key=dedupe_key,
        url=target(kind(code).subject, user, params)[:300], created_at=now, in_inbox=inbox,
    )
    deliveries = []
    if pushed and push.is_configured():
        subscriptions = lookups.subscriptions.get(user.id, []) if lookups else db.session.scalars(
            sa.select(PushSubscription.id).where(PushSubscription.user_id == user.id))
        # The outbox: written with the notification, in the same transaction as what it reports.
        deliveries = [PushDelivery(notification=notification, subscription_id=sid, created_at=now,
                                   next_attempt_at=now) for sid in subscriptions]
    try:
        with db.session.begin_nested():
            db.session.add(notification)
            db.session.add_all(deliveries)
            db.session.flush()
    except IntegrityError:
        return None  # someone else created it first: it is theirs to send
    if deliveries:
        _queue_after_response([d.id for d in deliveries])
    return notification


def event_dedupe_key(event: Event, user_id: int, params: dict) -> str:
    """One notification per event and recipient. A consent's end is keyed by its record, so that the
    event (if recorded) and the reminder job (which notices the date passing) never both tell."""
    if event.kind == events.CONSENT_EXPIRED and params.get("record_id"):
        return f"consent-expired:{params['record_id']}:{user_id}"
    return f"event:{event.id}:{user_id}"


def on_event(event: Event) -> None:
    """``events.subscribe`` listener: tell everyone the event concerns, in the same transaction."""
    try:
        with db.session.begin_nested():
            sip = db.session.get(Sip, event.sip_id) if event.sip_id is not None else None
            context = who.Context(event, sip)
            base = who.params_for(context)
            for user, relation in who.recipients(context):
                params = {**base, "as": relation}
                deliver(user, event.kind, params, sip=sip, event=event,
                        dedupe_key=event_dedupe_key(event, user.id, params))
    except Exception:  # withdrawing consent must succeed even if telling people about it fails
        log.exception("notifications for event %s (%s) could not be created", event.id, event.kind)


events.subscribe(on_event)


# --- The inbox ----------------------------------------------------------------------------------------

def unread_count(user: User) -> int:
    """Unread messages in the inbox: one indexed count."""
    return db.session.scalar(sa.select(sa.func.count(Notification.id)).where(
        Notification.user_id == user.id, Notification.read_at.is_(None), Notification.in_inbox.is_(True))) or 0


@dataclass(frozen=True)
class InboxItem:
    """One message as the inbox shows it, written in the reader's language."""
    id: int
    text: str
    created_at: datetime
    unread: bool
    url: str


def _name(notification: Notification) -> str:
    """The name an inbox text needs, looked up at reading time from an id (never stored)."""
    params = notification.params
    if params.get("link_id"):
        link = db.session.get(RelativeLink, params["link_id"])
        if link is not None:
            other = link.person if params.get("as") == who.RELATIVE else link.relative
            return other.name
    if params.get("participant_id"):
        participant = db.session.get(MeetingParticipant, params["participant_id"])
        if participant is not None:
            return participant.name
    return ""


def inbox(user: User, page: int = 1) -> tuple[list[InboxItem], bool]:
    """A page of the inbox, newest first, each written in the current language; and whether there is more."""
    rows = list(db.session.scalars(
        sa.select(Notification).where(Notification.user_id == user.id, Notification.in_inbox.is_(True))
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .offset((max(page, 1) - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)))
    items = [InboxItem(n.id, inbox_text(n.kind, n.params, _name(n)), n.created_at, n.read_at is None, n.url)
             for n in rows[:PAGE_SIZE]]
    return items, len(rows) > PAGE_SIZE


def _own(user: User, notification_id: int) -> Notification | None:
    notification = db.session.get(Notification, notification_id)
    return notification if notification is not None and notification.user_id == user.id else None


def open_notification(user: User, notification_id: int) -> str | None:
    """Opening a message reads it: mark it read and return the page it is about (None: not theirs)."""
    notification = _own(user, notification_id)
    if notification is None:
        return None
    if notification.read_at is None:
        db.begin_write()
        notification.read_at = clock.now()
        db.session.commit()
    return notification.url


def mark_read(user: User, notification_id: int) -> bool | None:
    """Mark one of the user's messages as read: ``True`` if it was unread, ``None`` if it is not theirs."""
    if _own(user, notification_id) is None:
        return None
    db.begin_write()
    changed = db.session.execute(
        sa.update(Notification).where(Notification.id == notification_id, Notification.user_id == user.id,
                                      Notification.read_at.is_(None)).values(read_at=clock.now())
    ).rowcount
    db.session.commit()
    return bool(changed)


def mark_all_read(user: User) -> int:
    """Mark every unread message of the user as read; returns how many."""
    db.begin_write()
    changed = db.session.execute(
        sa.update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=clock.now())
    ).rowcount
    db.session.commit()
    return changed
