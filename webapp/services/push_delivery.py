"""Sending web pushes from the outbox (``PushDelivery`` rows), with pywebpush.

Why an outbox: a notification and its deliveries are written in the transaction of the event that
caused them, so a message exists exactly when the change it reports was committed, and nothing is
lost if a push service is slow or down. Two senders drain it:

- right after the response (``send_after_response``: ``response.call_on_close``), so that a message
  reaches the phone within a second without making the person who caused it wait for push services;
- ``flask send-reminders`` (every few minutes from cron or a systemd timer), for whatever is still
  pending: deliveries due for a retry, deliveries whose after-response send was cut short (a worker
  restart), and deliveries created outside a web request.

Neither can send a delivery twice: a sender first *claims* deliveries with one conditional
``UPDATE ... WHERE status = 'pending' AND next_attempt_at <= now ... RETURNING id`` that moves
``next_attempt_at`` a lease ahead, so a concurrent sender's identical statement no longer matches them
(on SQLite the claim runs in a ``BEGIN IMMEDIATE`` transaction; on PostgreSQL the row locks make the
second ``UPDATE`` re-check its condition). A sender that dies after claiming leaves the delivery to be
retried once the lease has passed.

Responses (RFC 8030): 201 sent; 404 and 410 delete the subscription at once; 429 and 5xx (and a
network failure) are retried with capped exponential backoff, respecting ``Retry-After``, then marked
failed; any other answer is final. A delivery whose time to live has passed is not sent at all.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import requests
import sqlalchemy as sa
from flask import Flask, current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from pywebpush import WebPusher

from webapp import i18n
from webapp.extensions import db
from webapp.models import DeliveryStatus, Notification, PushDelivery, PushSubscription, User
from webapp.services import clock, paths, push
from webapp.services.notification_kinds import kind as kind_of

log = logging.getLogger(__name__)

#: A VAPID token lives at most this long (RFC 8292 allows up to 24 hours; we stay well inside).
VAPID_LIFETIME = 12 * 3600
DEFAULTS = {
    "PUSH_MAX_ATTEMPTS": 5,
    "PUSH_RETRY_BASE_SECONDS": 30,
    "PUSH_RETRY_CAP_SECONDS": 3600,
    "PUSH_RETRY_AFTER_MAX_SECONDS": 6 * 3600,
    "PUSH_CLAIM_LEASE_SECONDS": 300,
    "PUSH_TIMEOUT_SECONDS": 10,
    "PUSH_CONCURRENCY": 8,
    "PUSH_BATCH_SIZE": 200,
}


def setting(name: str):
    """A sending setting from the app's configuration, or its default."""
    return current_app.config.get(name, DEFAULTS[name])


class _NoRedirectSession(requests.Session):
    """A push service never redirects; following one could lead the server to any host."""

    def request(self, method, url, *args, **kwargs):
        """Send without following redirects."""
        kwargs["allow_redirects"] = False
        return super().request(method, url, *args, **kwargs)


_local = threading.local()


def _session() -> requests.Session:
    # One keep-alive session per sending thread (a Session is not shared between threads).
    session = getattr(_local, "session", None)
    if session is None:
        session = _local.session = _NoRedirectSession()
    return session


# --- What is sent --------------------------------------------------------------------------------

def topic(secret: str, subject: str) -> str:
    """An opaque RFC 8030 Topic for "the same thing" (a meeting, a plan...): a newer message with the
    same topic replaces an older one still waiting at the push service. URL-safe base64, 24 characters
    (the limit is 32), keyed so that the push service cannot learn which meeting it is about."""
    digest = hmac.new(secret.encode(), subject.encode(), hashlib.sha256).digest()
    return push.b64url(digest[:18])


def urgency(notification: Notification, now: datetime) -> str:
    """RFC 8030 Urgency: high for a cancelled meeting or a meeting within 24 hours, else normal."""
    if kind_of(notification.kind).urgent:
        return "high"
    starts_at = notification.params.get("starts_at")
    if starts_at and kind_of(notification.kind).subject == "meeting":
        if now <= datetime.fromisoformat(starts_at) <= now + timedelta(hours=24):
            return "high"
    return "normal"


def topic_subject(notification: Notification) -> str:
    """What the notification is about, for the Topic: one meeting, one SIP's plan, requests..."""
    subject = kind_of(notification.kind).subject
    params = notification.params
    if subject == "meeting" and params.get("meeting_id"):
        return f"meeting:{params['meeting_id']}"
    if subject == "report" and params.get("report_id"):
        return f"report:{params['report_id']}"
    if subject == "relatives":
        return f"relatives:{notification.user_id}"
    return f"{subject}:{notification.sip_id or 0}"


def payload(notification: Notification, user: User) -> dict:
    """The push payload: generic words in the recipient's language and the page to open. No names,
    purposes, plan text or anything else personal: the page shows the details after login."""
    language = user.language if user.language in i18n.supported_languages() else \
        current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(language):
        body = str(kind_of(notification.kind).push_body)
        title = _("Min SIP")
    return {"title": title, "body": body, "lang": language, "dir": i18n.text_direction(language),
            "url": paths.path_for("notifications.open", notification_id=notification.id),
            "tag": topic(current_app.config["SECRET_KEY"], topic_subject(notification)),
            "icon": paths.path_for("static", filename="icons/icon-192.png")}


@dataclass
class Job:
    """One claimed delivery, ready to send without touching the database."""

    delivery_id: int
    endpoint: str
    p256dh: str
    auth: str
    data: bytes
    headers: dict
    ttl: int
    timeout: float
    vapid: push.VapidKeys


@dataclass
class Outcome:
    """What the push service answered to one delivery."""
    delivery_id: int
    status: int | None          # the HTTP status, or None when no answer came
    retry_after: float | None = None
    refused: bool = False       # not on the allow-list: never sent


def _vapid_headers(endpoint: str, vapid: push.VapidKeys) -> dict:
    parts = urlsplit(endpoint)
    # A fresh claims dict for every send: pywebpush and py_vapid fill in and keep what they are given.
    # ``exp`` is real time, whatever the application's clock says: the push service checks it.
    claims = {"sub": vapid.subject, "aud": f"{parts.scheme}://{parts.netloc}",
              "exp": int(time.time()) + VAPID_LIFETIME}
    return vapid.signer.sign(claims)


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def _send(job: Job) -> Outcome:
    """POST one message. Runs in a sending thread: network only, no database."""
    headers = {**job.headers, **_vapid_headers(job.endpoint, job.vapid)}
    pusher = WebPusher({"endpoint": job.endpoint, "keys": {"p256dh": job.p256dh, "auth": job.auth}},
                       requests_session=_session())
    try:
        response = pusher.send(job.data, headers, ttl=job.ttl, content_encoding="aes128gcm",
                               timeout=job.timeout)
    except requests.RequestException as error:
        log.warning("push to %s failed: %s", urlsplit(job.endpoint).hostname, type(error).__name__)
        return Outcome(job.delivery_id, None)
    return Outcome(job.delivery_id, response.status_code, _retry_after(response.headers.get("Retry-After")))


# --- Claiming and recording ----------------------------------------------------------------------

def claim(ids: list[int] | None = None, limit: int | None = None) -> list[int]:
    """Atomically take due deliveries (``ids``: only these) for this sender; commits the claim."""
    db.begin_write()
    now = clock.now()
    due = sa.and_(PushDelivery.status == DeliveryStatus.PENDING, PushDelivery.next_attempt_at <= now)
    if ids is None:
        chosen = sa.select(PushDelivery.id).where(due).order_by(PushDelivery.next_attempt_at, PushDelivery.id)
        ids = list(db.session.scalars(chosen.limit(limit or setting("PUSH_BATCH_SIZE"))))
    if not ids:
        db.session.commit()
        return []
    lease = now + timedelta(seconds=setting("PUSH_CLAIM_LEASE_SECONDS"))
    claimed = list(db.session.scalars(
        sa.update(PushDelivery).where(PushDelivery.id.in_(ids), due)
        .values(next_attempt_at=lease, attempts=PushDelivery.attempts + 1)
        .returning(PushDelivery.id).execution_options(synchronize_session=False)
    ))
    db.session.commit()
    return sorted(claimed)


def _prepare(ids: list[int]) -> tuple[list[Job], list[Outcome]]:
    """Build the messages of claimed deliveries; those that must not be sent get their outcome now."""
    now = clock.now()
    rows = db.session.execute(
        sa.select(PushDelivery, Notification, PushSubscription, User)
        .join(Notification, Notification.id == PushDelivery.notification_id)
        .join(User, User.id == Notification.user_id)
        .outerjoin(PushSubscription, PushSubscription.id == PushDelivery.subscription_id)
        .where(PushDelivery.id.in_(ids))
    ).all()
    jobs, settled = [], []
    timeout, vapid = setting("PUSH_TIMEOUT_SECONDS"), push.keys()
    for delivery, notification, subscription, user in rows:
        remaining = kind_of(notification.kind).ttl - int((now - notification.created_at).total_seconds())
        if subscription is None:
            settled.append(Outcome(delivery.id, 410))
        elif remaining <= 0:
            settled.append(Outcome(delivery.id, None, refused=True))  # too late to be of use
        elif not push.endpoint_allowed(subscription.endpoint):
            log.warning("push endpoint no longer on the allow-list: delivery %s not sent", delivery.id)
            settled.append(Outcome(delivery.id, None, refused=True))
        else:
            data = json.dumps(payload(notification, user), ensure_ascii=False, separators=(",", ":"))
            headers = {"Urgency": urgency(notification, now),
                       "Topic": topic(current_app.config["SECRET_KEY"], topic_subject(notification))}
            jobs.append(Job(delivery.id, subscription.endpoint, subscription.p256dh, subscription.auth,
                            data.encode(), headers, remaining, timeout, vapid))
    return jobs, settled


def _backoff(attempts: int, retry_after: float | None) -> float | None:
    """Seconds until the next try, or None to give up."""
    if attempts >= setting("PUSH_MAX_ATTEMPTS"):
        return None
    delay = min(setting("PUSH_RETRY_CAP_SECONDS"), setting("PUSH_RETRY_BASE_SECONDS") * 2 ** (attempts - 1))
    if retry_after is not None:
        delay = max(delay, min(retry_after, setting("PUSH_RETRY_AFTER_MAX_SECONDS")))
    return delay


def record(outcomes: list[Outcome], tries: int = 3) -> dict[str, int]:
    """Write what the push services answered, in one transaction.

    Rows are locked in one order everywhere (deliveries by id, then subscriptions by id), so that two
    senders recording at once on PostgreSQL cannot deadlock; should the database still abort the
    transaction, it is written again, so that a message that went out is never left claimed and sent
    a second time after its lease.
    """
    for attempt in range(tries):
        try:
            return _record(outcomes)
        except sa.exc.DBAPIError:
            db.session.rollback()
            if attempt == tries - 1:
                raise
            log.warning("recording push results was interrupted; writing them again")
    return {}  # pragma: no cover - the loop returns or raises


def _record(outcomes: list[Outcome]) -> dict[str, int]:
    counts = {"sent": 0, "retry": 0, "failed": 0, "gone": 0}
    if not outcomes:
        return counts
    db.begin_write()
    now = clock.now()
    deliveries = {d.id: d for d in db.session.scalars(
        sa.select(PushDelivery).where(PushDelivery.id.in_([o.delivery_id for o in outcomes]))
        .order_by(PushDelivery.id).with_for_update())}
    succeeded, gone = set(), set()
    for outcome in sorted(outcomes, key=lambda o: o.delivery_id):
        delivery = deliveries[outcome.delivery_id]
        delivery.last_status_code = outcome.status
        if outcome.status is not None and 200 <= outcome.status < 300:
            delivery.status, delivery.sent_at = DeliveryStatus.SENT, now
            if delivery.subscription_id is not None:
                succeeded.add(delivery.subscription_id)
            counts["sent"] += 1
        elif outcome.status in (404, 410):
            delivery.status = DeliveryStatus.GONE
            if delivery.subscription_id is not None:
                gone.add(delivery.subscription_id)
            counts["gone"] += 1
        elif not outcome.refused and (outcome.status is None or outcome.status == 429 or outcome.status >= 500):
            delay = _backoff(delivery.attempts, outcome.retry_after)
            ttl_end = delivery.notification.created_at + timedelta(seconds=kind_of(delivery.notification.kind).ttl)
            if delay is None or now + timedelta(seconds=delay) >= ttl_end:
                delivery.status = DeliveryStatus.FAILED
                counts["failed"] += 1
            else:
                delivery.next_attempt_at = now + timedelta(seconds=delay)
                counts["retry"] += 1
        else:
            delivery.status = DeliveryStatus.FAILED
            counts["failed"] += 1
    db.session.flush()
    if gone:
        # The browser dropped the subscription: forget it at once, with what was still waiting for it.
        waiting = list(db.session.scalars(
            sa.select(PushDelivery.id).where(PushDelivery.subscription_id.in_(gone))
            .order_by(PushDelivery.id).with_for_update()))
        db.session.execute(
            sa.update(PushDelivery).where(PushDelivery.id.in_(waiting), PushDelivery.status == DeliveryStatus.PENDING)
            .values(status=DeliveryStatus.GONE).execution_options(synchronize_session=False))
        db.session.execute(
            sa.update(PushDelivery).where(PushDelivery.id.in_(waiting))
            .values(subscription_id=None).execution_options(synchronize_session=False))
    for subscription_id in sorted(succeeded - gone):
        db.session.execute(sa.update(PushSubscription).where(PushSubscription.id == subscription_id)
                           .values(last_success_at=now))
    for subscription_id in sorted(gone):
        db.session.execute(sa.delete(PushSubscription).where(PushSubscription.id == subscription_id))
    db.session.commit()
    return counts


def _send_claimed(ids: list[int], pool: ThreadPoolExecutor | None) -> dict[str, int]:
    jobs, outcomes = _prepare(ids)
    # End the reading transaction before any network I/O: on SQLite it holds the write lock, and a
    # slow push service must never keep a web request from writing.
    db.session.commit()
    if jobs:
        outcomes += list(pool.map(_send, jobs)) if pool is not None else [_send(job) for job in jobs]
    return record(outcomes)


def _add(total: dict[str, int], counts: dict[str, int]) -> None:
    for key, value in counts.items():
        total[key] = total.get(key, 0) + value


def send_due(max_rounds: int = 10_000) -> dict[str, int]:
    """Send every delivery that is pending and due, batch by batch; returns counts by outcome."""
    total = {"sent": 0, "retry": 0, "failed": 0, "gone": 0}
    if not push.is_configured():
        return total
    workers = max(1, setting("PUSH_CONCURRENCY"))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="push") as pool:
        for _round in range(max_rounds):
            ids = claim()
            if not ids:
                break
            _add(total, _send_claimed(ids, pool if workers > 1 else None))
    return total


def send_deliveries(ids: list[int]) -> dict[str, int]:
    """Send these deliveries now, if still pending and due (nobody else has taken them)."""
    if not ids or not push.is_configured():
        return {}
    claimed = claim(ids)
    return _send_claimed(claimed, None) if claimed else {}


def send_after_response(app: Flask, ids: list[int]):
    """A callable for ``response.call_on_close``: sends ``ids`` once the page has been delivered."""
    def _run() -> None:
        with app.app_context():
            try:
                send_deliveries(ids)
            except Exception:  # the job retries whatever this could not send  # pragma: no cover
                log.exception("sending pushes after the response failed")
    return _run
