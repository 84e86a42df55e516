"""``send-reminders`` run in two processes at once, against the same database (the SQLite file of
the test, or PostgreSQL with ``TEST_DATABASE_URL``): every reminder exists once and is pushed once.

The processes are the app's own command line, as cron or a systemd timer runs it; they use the real
clock, so the meetings here are placed relative to the real time.
"""
from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.notification_fixtures import (  # noqa: F401 - fixtures
    _no_demo_notifications,
    anna_case,
    app,
    book_meeting,
    build,
    push_service,
    subscribe,
    user,
    vapid,
)
from webapp.extensions import db
from webapp.models import DeliveryStatus, Notification, PushDelivery, Sip

ROOT = Path(__file__).resolve().parent.parent
MEETINGS = 40


def _meetings(case):
    sip = db.session.get(Sip, case.sip_id)
    now = datetime.now(UTC)
    for number in range(MEETINGS):
        meeting = book_meeting(sip, now + timedelta(hours=10, minutes=number), user("sara"),
                               [user("anna"), user("erik"), user("lena")])
        meeting.created_at = now - timedelta(days=14)


def _run_two(app, vapid, tmp_path):
    env = {**os.environ, **vapid, "DATABASE_URL": app.config["DATABASE_URL"], "SECRET_KEY": app.config["SECRET_KEY"],
           "PUSH_ALLOW_LOOPBACK": "1", "INSTANCE_PATH": str(tmp_path / "instance"), "FLASK_APP": "webapp"}
    # Small batches, so that the two processes take turns and meet each other's work half done.
    factory = 'webapp:create_app({"REMINDER_BATCH_SIZE": 7, "PUSH_BATCH_SIZE": 5, "PUSH_CONCURRENCY": 2})'
    command = [sys.executable, "-m", "flask", "--app", factory, "send-reminders"]
    processes = [subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True) for _ in range(2)]
    outputs = [process.communicate(timeout=240) for process in processes]
    for process, (out, err) in zip(processes, outputs):
        assert process.returncode == 0, err
    return [out for out, _err in outputs]


def _acknowledge_demo_requests(app):
    """The demo's waiting requests would remind staff too; here only the meetings remind."""
    from webapp.models import Sip, SipRecipient
    from webapp.services import clock as domain_clock

    with app.app_context():
        db.begin_write()
        db.session.execute(sa.update(Sip).values(acknowledged_at=domain_clock.now()))
        db.session.execute(sa.update(SipRecipient).values(acknowledged_at=domain_clock.now()))
        db.session.commit()


@pytest.mark.slow
def test_two_processes_at_once_create_and_push_each_reminder_exactly_once(app, demo, push_service, vapid, tmp_path):
    _acknowledge_demo_requests(app)
    case = build(app, anna_case)
    phones = [subscribe(app, short, push_service) for short in ("anna", "erik", "lena")]
    build(app, _meetings, case)
    outputs = _run_two(app, vapid, tmp_path)
    created = [int(out.split("Reminders created: ")[1].split()[0]) for out in outputs]
    assert sum(created) == MEETINGS * 3, outputs  # between them, each reminder once
    with app.app_context():
        keys = db.session.scalars(sa.select(Notification.dedupe_key)).all()
        assert len(keys) == len(set(keys)) == MEETINGS * 3
        statuses = Counter(db.session.scalars(sa.select(PushDelivery.status)))
        assert statuses == {DeliveryStatus.SENT: MEETINGS * 3}
    arrived = Counter((r.token, r.payload["url"]) for r in push_service.received)
    assert len(arrived) == MEETINGS * 3 and set(arrived.values()) == {1}  # each push once at the push service
    assert push_service.errors == []
    for phone in phones:
        assert len(push_service.payloads(phone)) == MEETINGS
    # And again: nothing new, nothing resent.
    outputs = _run_two(app, vapid, tmp_path)
    assert all("Reminders created: 0" in out for out in outputs)
    assert len(push_service.received) == MEETINGS * 3
