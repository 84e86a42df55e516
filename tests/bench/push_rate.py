"""Benchmark: how fast due reminders become pushes at a push service.

Creates COUNT due meeting reminders (one meeting 20 hours ahead per reminder, spread over people who
each have one subscribed phone at the local push service of the tests), runs the sender exactly as
``flask send-reminders`` does, and prints the rates. Not collected by pytest; run it from the
repository root:

    .venv/bin/python -m tests.bench.push_rate              # 10,000 reminders on a fresh SQLite file
    .venv/bin/python -m tests.bench.push_rate --count 2000 --database-url postgresql+psycopg://...

The local push service checks every VAPID signature and decrypts every message (``--no-verify``
skips that, to measure the sender alone); it shares the machine's cores with the sender, so compare
runs made side by side, not numbers from different machines.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from alembic import command as alembic_command

from tests.push_service import PushService
from webapp import create_app
from webapp.cli import alembic_config
from webapp.extensions import db
from webapp.models import Meeting, MeetingParticipant, Notification, PushDelivery, PushSubscription, Role, Sip, User
from webapp.services import push, push_delivery, reminders

PEOPLE_PER_THOUSAND = 100  # each person has ten meetings: many reminders, realistic subscriptions


def _fill(count: int, service: PushService) -> None:
    """COUNT meetings 20 hours ahead, booked two weeks ago, each with its person invited."""
    now = datetime.now(UTC)
    people = max(1, count * PEOPLE_PER_THOUSAND // 1000)
    db.begin_write()
    db.session.execute(sa.insert(User), [
        {"email": "inviter@bench.example", "name": "Inviter", "role": Role.PROFESSIONAL, "password_hash": "!",
         "language": "sv", "created_at": now, "password_changed_at": now},
        *({"email": f"p{n}@bench.example", "name": f"Person {n}", "role": Role.CITIZEN, "password_hash": "!",
           "language": ("sv", "en", "ar")[n % 3], "created_at": now, "password_changed_at": now}
          for n in range(people))])
    ids = dict(db.session.execute(sa.select(User.email, User.id)).all())
    inviter = ids["inviter@bench.example"]
    person_ids = [ids[f"p{n}@bench.example"] for n in range(people)]
    db.session.execute(sa.insert(PushSubscription), [
        {"user_id": person, "endpoint": (sub := service.subscription()).endpoint,
         "p256dh": sub.info["keys"]["p256dh"], "auth": sub.info["keys"]["auth"], "label": "Bench/Linux",
         "created_at": now} for person in person_ids])
    db.session.execute(sa.insert(Sip), [
        {"reference": f"SIP-B{n:06d}", "person_id": person, "requested_by_id": person, "purpose": "bench",
         "created_at": now - timedelta(days=30), "updated_at": now} for n, person in enumerate(person_ids)])
    sips = dict(db.session.execute(sa.select(Sip.person_id, Sip.id)).all())
    db.session.execute(sa.insert(Meeting), [
        {"sip_id": sips[person_ids[n % people]], "starts_at": now + timedelta(hours=20, seconds=n),
         "created_by_id": inviter, "created_at": now - timedelta(days=14), "updated_at": now - timedelta(days=14)}
        for n in range(count)])
    meetings = db.session.execute(sa.select(Meeting.id, Sip.person_id).join(Sip, Sip.id == Meeting.sip_id)).all()
    db.session.execute(sa.insert(MeetingParticipant), [
        {"meeting_id": meeting_id, "kind": "person", "user_id": person, "name": "Person"}
        for meeting_id, person in meetings])
    db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=8, help="sending threads (PUSH_CONCURRENCY)")
    parser.add_argument("--database-url", default="", help="default: a fresh SQLite file")
    parser.add_argument("--no-verify", action="store_true", help="the push service skips JWT checks and decryption")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="minsip-bench-"))
    url = args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
    alembic_command.upgrade(alembic_config(url), "head")
    private, public = push.generate_keys()
    app = create_app({"SECRET_KEY": "bench-secret-key", "DATABASE_URL": url, "VAPID_PRIVATE_KEY": private,
                      "VAPID_PUBLIC_KEY": public, "VAPID_SUBJECT": "mailto:bench@example.org",
                      "PUSH_ALLOW_LOOPBACK": True, "PUSH_CONCURRENCY": args.concurrency})
    with PushService(public, verify=not args.no_verify) as service, app.app_context():
        _fill(args.count, service)
        started = time.perf_counter()
        created = reminders.create_due()
        between = time.perf_counter()
        pushed = push_delivery.send_due()
        finished = time.perf_counter()
        notifications = db.session.scalar(sa.select(sa.func.count(Notification.id)))
        sent = db.session.scalar(sa.select(sa.func.count(PushDelivery.id)).where(PushDelivery.status == "sent"))
    app.extensions["minsip_db"]["engine"].dispose()
    total = sum(created.values())
    print(f"database: {url.split(':', 1)[0]}; reminders due: {args.count}; created: {total}; "
          f"notifications: {notifications}")
    print(f"creating reminders: {between - started:.2f} s, {total / (between - started):,.0f} per second")
    print(f"sending pushes: {finished - between:.2f} s, {pushed['sent'] / (finished - between):,.0f} messages per "
          f"second ({pushed}; {len(service.received)} received, {len(service.errors)} errors at the push service)")
    print(f"send-reminders end to end: {sent / (finished - started):,.0f} messages per second")
    if total != args.count or sent != args.count or service.errors:
        raise SystemExit("not every reminder arrived exactly once")


if __name__ == "__main__":
    main()
