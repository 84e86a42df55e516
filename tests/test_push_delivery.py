"""Sending web pushes to a real (local) push service: what is sent, the headers, and what happens when
the push service answers 404/410, 429 or 5xx, or is not on the allow-list."""
from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.notification_fixtures import (  # noqa: F401 - fixtures
    _no_demo_notifications,
    anna_case,
    app,
    book_meeting,
    build,
    push_service,
    record,
    subscribe,
    subscription_count,
    user,
    vapid,
)
from webapp.extensions import db
from webapp.models import DeliveryStatus, Notification, PushDelivery, PushSubscription, Sip
from webapp.services import clock, events, push_delivery

PERSONAL = ("Anna", "Andersson", "Erik", "Sara", "Lind", "Lena", "Berg", "medicinerna", "strokes", "hemtjänst",
            "Rudsjöterrassen", "SIP-ANNA-01", "Haninge", "Brandbergen")


@pytest.fixture
def case(app, demo, clock):
    return build(app, anna_case)


def _book(app, case, hours=72):
    def _make():
        sip = db.session.get(Sip, case.sip_id)
        return book_meeting(sip, clock.now() + timedelta(hours=hours), user("sara"),
                            [user("anna"), user("erik"), user("lena")]).id
    meeting_id = build(app, _make)
    record(app, events.MEETING_BOOKED, case, actor="sara", meeting_id=meeting_id)
    return meeting_id


def _send(app):
    with app.app_context():
        return push_delivery.send_due()


def _deliveries(app, short=None):
    with app.app_context():
        query = sa.select(PushDelivery).order_by(PushDelivery.id)
        if short:
            query = query.join(Notification).where(Notification.user_id == user(short).id)
        return [(d.status, d.attempts, d.next_attempt_at, d.last_status_code, d.subscription_id)
                for d in db.session.scalars(query)]


def test_a_push_reaches_the_phone_encrypted_signed_and_without_personal_data(app, case, push_service):
    build(app, lambda: setattr(user("anna"), "language", "en"))
    phone = subscribe(app, "anna", push_service)
    _book(app, case)
    assert _send(app)["sent"] == 1
    assert push_service.errors == []  # the VAPID JWT verified, the body decrypted
    [received] = push_service.for_subscription(phone)
    payload = received.payload
    with app.app_context():
        notification_id = db.session.scalars(sa.select(Notification.id).where(
            Notification.user_id == user("anna").id)).one()
    assert payload["title"] == "Min SIP"
    assert payload["body"] == "You have a new meeting invitation"
    assert payload["url"] == f"/notifications/{notification_id}"
    assert payload["lang"] == "en" and payload["dir"] == "ltr"
    assert payload["icon"].startswith("/static/icons/")
    raw = json.dumps(payload, ensure_ascii=False)
    for word in PERSONAL:
        assert word not in raw, word
    # The headers: a time to live for this kind, normal urgency three days ahead, an opaque topic.
    assert 0 < int(received.headers["ttl"]) <= 2 * 24 * 3600
    assert received.headers["urgency"] == "normal"
    assert re.fullmatch(r"[A-Za-z0-9_-]{24}", received.headers["topic"])
    assert received.headers["topic"] == payload["tag"]
    assert received.claims["aud"] == push_service.origin and received.claims["sub"] == "mailto:drift@example.org"
    assert _deliveries(app)[0][0] == DeliveryStatus.SENT


def test_each_recipient_gets_the_push_in_their_own_language(app, case, push_service):
    from flask_babel import force_locale
    from flask_babel import gettext as _

    build(app, lambda: setattr(user("erik"), "language", "ar"))
    phones = {short: subscribe(app, short, push_service) for short in ("anna", "erik", "lena")}
    _book(app, case)
    _send(app)
    for short, language, direction in (("anna", "sv", "ltr"), ("erik", "ar", "rtl"), ("lena", "sv", "ltr")):
        payload = push_service.payloads(phones[short])[0]
        assert payload["lang"] == language and payload["dir"] == direction
        with app.test_request_context(), force_locale(language):
            assert payload["body"] == _("You have a new meeting invitation")


def test_a_meeting_within_24_hours_or_a_cancelled_one_is_urgent_and_replaces_the_earlier_message(app, case, push_service):
    build(app, lambda: setattr(user("anna"), "language", "en"))
    phone = subscribe(app, "anna", push_service)
    soon = _book(app, case, hours=20)
    record(app, events.MEETING_CANCELLED, case, actor="sara", meeting_id=soon)
    later = _book(app, case, hours=200)
    record(app, events.MEETING_CANCELLED, case, actor="sara", meeting_id=later)
    _send(app)
    got = {(r.payload["body"], r.payload["url"]): r.headers for r in push_service.for_subscription(phone)}
    with app.app_context():
        urls = {n.params["meeting_id"]: [] for n in db.session.scalars(sa.select(Notification))}
        for n in db.session.scalars(sa.select(Notification).where(Notification.user_id == user("anna").id)):
            urls[n.params["meeting_id"]].append(f"/notifications/{n.id}")
    booked_soon, cancelled_soon = (got[(body, url)] for body, url in zip(
        ("You have a new meeting invitation", "A meeting has been cancelled"), urls[soon]))
    booked_later, cancelled_later = (got[(body, url)] for body, url in zip(
        ("You have a new meeting invitation", "A meeting has been cancelled"), urls[later]))
    assert booked_soon["urgency"] == "high" and booked_later["urgency"] == "normal"
    assert cancelled_soon["urgency"] == cancelled_later["urgency"] == "high"
    assert booked_soon["topic"] == cancelled_soon["topic"] != booked_later["topic"] == cancelled_later["topic"]


@pytest.mark.parametrize("status", [404, 410])
def test_a_subscription_the_push_service_no_longer_knows_is_deleted_at_once(app, case, push_service, status):
    phone = subscribe(app, "anna", push_service)
    other = subscribe(app, "erik", push_service)
    push_service.answer(phone, status)
    _book(app, case)
    _book(app, case)  # a second message is already waiting for the same phone
    with app.app_context():
        first = db.session.scalars(sa.select(PushDelivery.id).join(Notification)
                                   .where(Notification.user_id == user("anna").id).order_by(PushDelivery.id)).first()
        counts = push_delivery.send_deliveries([first])
    assert counts["gone"] == 1
    assert subscription_count(app) == 1  # Erik's
    assert [row[0] for row in _deliveries(app, "anna")] == [DeliveryStatus.GONE, DeliveryStatus.GONE]
    assert _send(app)["sent"] == 2  # Erik's two; nothing more for Anna's phone
    assert len(push_service.for_subscription(phone)) == 1
    assert len(push_service.payloads(other)) == 2
    _book(app, case)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(PushDelivery.id)).join(Notification)
                                 .where(Notification.user_id == user("anna").id)) == 2  # no new ones


def test_a_busy_push_service_is_tried_again_with_growing_pauses_then_given_up(app, case, push_service, clock):
    phone = subscribe(app, "anna", push_service)
    push_service.answer(phone, 503, 500, 502, 504, 503)
    _book(app, case)
    waits = []
    for _ in range(5):
        before = clock()
        _send(app)
        status, attempts, next_at, code, _sub = _deliveries(app)[0]
        if status == DeliveryStatus.PENDING:
            waits.append((next_at - before).total_seconds())
            clock.set(next_at)
    assert waits == [30, 60, 120, 240]
    assert (status, attempts, code) == (DeliveryStatus.FAILED, 5, 503)
    assert len(push_service.for_subscription(phone)) == 5
    assert subscription_count(app) == 1  # the subscription itself is fine


def test_too_many_requests_waits_as_long_as_the_push_service_asks_then_succeeds(app, case, push_service, clock):
    phone = subscribe(app, "anna", push_service)
    push_service.answer(phone, 429, retry_after="600")
    _book(app, case)
    _send(app)
    status, attempts, next_at, code, _sub = _deliveries(app)[0]
    assert status == DeliveryStatus.PENDING and code == 429
    assert next_at - clock() == timedelta(seconds=600)
    clock.advance(seconds=599)
    _send(app)
    assert len(push_service.for_subscription(phone)) == 1  # not yet
    clock.advance(seconds=1)
    _send(app)
    assert _deliveries(app)[0][0] == DeliveryStatus.SENT and len(push_service.payloads(phone)) == 1


def test_a_redirect_is_never_followed_and_other_answers_are_final(app, case, push_service):
    phone = subscribe(app, "anna", push_service)
    push_service.answer(phone, 307)
    _book(app, case)
    _send(app)
    assert _deliveries(app)[0][0] == DeliveryStatus.FAILED
    assert len(push_service.for_subscription(phone)) == 1


def test_an_endpoint_off_the_allow_list_is_never_called(app, make_app, case, push_service, vapid):
    phone = subscribe(app, "anna", push_service)
    _book(app, case)
    strict = make_app(**vapid)  # the same database, loopback not allowed
    strict.config["CLOCK"] = app.config["CLOCK"]
    counts = _send(strict)
    assert counts["failed"] == 1
    assert push_service.received == []
    assert _deliveries(app)[0][0] == DeliveryStatus.FAILED
    assert phone


def test_a_message_too_late_to_be_useful_is_not_sent(app, case, push_service, clock):
    subscribe(app, "anna", push_service)
    _book(app, case)
    clock.advance(days=3)  # a meeting invitation lives two days at the push service
    _send(app)
    assert push_service.received == [] and _deliveries(app)[0][0] == DeliveryStatus.FAILED


def test_pushes_go_right_after_the_response_that_caused_them(app, case, push_service, client, auth, monkeypatch):
    from webapp.services import policy

    monkeypatch.setitem(policy.BLUEPRINT_ROLES, "", policy.ANY_ROLE)  # the test's own route below
    phone = subscribe(app, "anna", push_service)

    @app.post("/test-book-meeting")
    def book_for_test():
        meeting_id = _book_in_request(case)
        return {"meeting": meeting_id}

    auth.login("sara")
    response = client.post("/test-book-meeting")
    assert response.status_code == 200
    assert push_service.received == []  # nothing before the page has gone
    response.close()  # the server closes the response once it is sent
    assert len(push_service.payloads(phone)) == 1
    assert _deliveries(app)[0][0] == DeliveryStatus.SENT
    assert _send(app)["sent"] == 0  # the job finds nothing left to send


def _book_in_request(case):
    from flask_login import current_user

    db.begin_write()
    sip = db.session.get(Sip, case.sip_id)
    meeting = book_meeting(sip, clock.now() + timedelta(days=3), current_user, [user("anna")])
    events.record(events.MEETING_BOOKED, sip=sip, actor=current_user, meeting_id=meeting.id)
    db.session.commit()
    return meeting.id


def test_no_deliveries_without_push_keys(make_app, demo, clock, push_service, vapid):
    keyed = make_app(**vapid, PUSH_ALLOW_LOOPBACK=True)
    keyed.config["CLOCK"] = clock
    subscribe(keyed, "anna", push_service)
    plain = make_app()  # no VAPID keys: push is off
    plain.config["CLOCK"] = clock
    case = build(plain, anna_case)
    _book(plain, case)
    assert _deliveries(plain) == []
    with plain.app_context():
        assert push_delivery.send_due() == {"sent": 0, "retry": 0, "failed": 0, "gone": 0}
        assert db.session.scalar(sa.select(sa.func.count(Notification.id))) == 3  # the inbox still works
        assert db.session.scalar(sa.select(sa.func.count(PushSubscription.id))) == 1


def test_a_subscription_removed_before_sending_is_not_sent_to(app, case, push_service):
    phone = subscribe(app, "anna", push_service)
    _book(app, case)
    with app.app_context():
        db.begin_write()
        db.session.execute(sa.delete(PushSubscription))
        db.session.commit()
    counts = _send(app)
    assert counts["gone"] == 1 and push_service.for_subscription(phone) == []


def test_a_network_failure_is_retried(app, case, push_service, clock):
    phone = subscribe(app, "anna", push_service)
    _book(app, case)
    push_service.stop()
    _send(app)
    status, attempts, _next, code, _sub = _deliveries(app)[0]
    assert (status, attempts, code) == (DeliveryStatus.PENDING, 1, None)
    assert phone


def test_a_delivery_is_claimed_by_one_sender_only_until_its_lease_runs_out(app, case, push_service, clock):
    subscribe(app, "anna", push_service)
    _book(app, case)
    with app.app_context():
        first = push_delivery.claim()
    with app.app_context():
        assert push_delivery.claim() == [] and push_delivery.send_deliveries(first) == {}
    clock.advance(seconds=301)  # the first sender died without recording anything
    with app.app_context():
        assert push_delivery.claim() == first
    assert _deliveries(app)[0][1] == 2  # both attempts counted


def test_retry_after_as_a_date_and_a_recording_interrupted_by_the_database(app, case, push_service, clock, monkeypatch):
    from email.utils import formatdate

    phone = subscribe(app, "anna", push_service)
    push_service.answer(phone, 503, retry_after=formatdate(__import__("time").time() + 900, usegmt=True))
    _book(app, case)
    real = push_delivery._record
    calls = []

    def flaky(outcomes):
        calls.append(1)
        if len(calls) == 1:
            raise sa.exc.OperationalError("UPDATE", {}, Exception("deadlock detected"))
        return real(outcomes)
    monkeypatch.setattr(push_delivery, "_record", flaky)
    _send(app)
    status, _attempts, next_at, code, _sub = _deliveries(app)[0]
    assert len(calls) == 2 and status == DeliveryStatus.PENDING and code == 503
    assert 880 <= (next_at - clock()).total_seconds() <= 900
