"""Reminders: each is found when due, told to the right people, and never created twice."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.notification_fixtures import (  # noqa: F401 - fixtures
    _no_demo_notifications,
    anna_case,
    app,
    book_meeting,
    build,
    give_consent,
    make_sip,
    push_service,
    record,
    subscribe,
    told,
    user,
    vapid,
)
from webapp.extensions import db
from webapp.models import (
    ConsentAction,
    InterpreterRequest,
    MeetingChange,
    MeetingKind,
    MeetingParticipant,
    Notification,
    NotificationPreference,
    PlanStatus,
    PlanVersion,
    PushDelivery,
    Response,
    Sip,
    SipRecipient,
)
from webapp.models import Meeting as MeetingModel
from webapp.services import clock as domain_clock
from webapp.services import events, reminders


@pytest.fixture
def case(app, demo, clock):
    return build(app, anna_case)


def _run(app):
    with app.app_context():
        return reminders.create_due()


def _meeting(app, case, starts_in: timedelta, booked_ago: timedelta = timedelta(days=14),
             invited=("anna", "erik", "lena", "nils"), **fields):
    def _make():
        sip = db.session.get(Sip, case.sip_id)
        meeting = book_meeting(sip, domain_clock.now() + starts_in, user("sara"), [user(s) for s in invited], **fields)
        meeting.created_at = domain_clock.now() - booked_ago
        return meeting.id
    return build(app, _make)


def test_a_meeting_is_reminded_24_hours_and_2_hours_before_to_those_invited(app, case, clock):
    meeting_id = _meeting(app, case, timedelta(hours=30))
    assert _run(app) == {}
    clock.advance(hours=7)  # 23 hours before
    assert _run(app) == {"meeting_24h": 3}
    got = told(app, "meeting_24h")
    assert set(got) == {"anna", "erik", "lena"}  # Nils is invited but outside the consent
    assert got["anna"][0]["meeting_id"] == meeting_id
    assert _run(app) == {}  # never twice
    clock.advance(hours=21, minutes=30)  # 1.5 hours before
    assert _run(app) == {"meeting_2h": 3}
    clock.advance(hours=2)  # it has started
    assert _run(app) == {}


def test_who_declined_is_not_reminded_and_a_cancelled_meeting_reminds_nobody(app, case, clock):
    meeting_id = _meeting(app, case, timedelta(hours=20))

    def _decline():
        participant = db.session.scalars(sa.select(MeetingParticipant).where(
            MeetingParticipant.meeting_id == meeting_id, MeetingParticipant.user_id == user("lena").id)).one()
        participant.response = Response.DECLINED
    build(app, _decline)
    assert _run(app) == {"meeting_24h": 2}
    other = _meeting(app, case, timedelta(hours=21))
    build(app, lambda: setattr(db.session.get(MeetingModel, other), "status", "cancelled"))
    assert _run(app) == {}


def test_a_meeting_booked_at_short_notice_is_not_reminded_of_what_was_just_announced(app, case, clock):
    _meeting(app, case, timedelta(hours=10), booked_ago=timedelta(minutes=5))
    assert _run(app) == {}  # the booking itself was the news
    clock.advance(hours=8, minutes=30)
    assert _run(app) == {"meeting_2h": 3}


def test_a_moved_meeting_is_reminded_again_for_its_new_time(app, case, clock):
    meeting_id = _meeting(app, case, timedelta(hours=20))
    assert _run(app) == {"meeting_24h": 3}

    def _move():
        meeting = db.session.get(MeetingModel, meeting_id)
        old = meeting.starts_at
        meeting.starts_at = old + timedelta(days=2)
        db.session.add(MeetingChange(meeting_id=meeting_id, changed_by_id=user("sara").id,
                                     changed_at=domain_clock.now(), old_starts_at=old, new_starts_at=meeting.starts_at,
                                     reason="Tolken kunde inte"))
    build(app, _move)
    clock.advance(days=2)
    assert _run(app) == {"meeting_24h": 3}
    assert len(told(app, "meeting_24h")["anna"]) == 2


def test_a_follow_up_within_7_days_reminds_the_person_and_the_coordinator(app, case, clock):
    def _plan():
        db.session.get(Sip, case.sip_id).coordinator_id = user("sara").id
        db.session.add(PlanVersion(sip_id=case.sip_id, number=1, status=PlanStatus.APPROVED,
                                   documented_by_id=user("lena").id, created_at=domain_clock.now(),
                                   next_follow_up_on=domain_clock.today() + timedelta(days=9)))
    build(app, _plan)
    assert _run(app) == {}
    clock.advance(days=2)
    assert _run(app) == {"follow_up_7d": 2}
    got = told(app, "follow_up_7d")
    assert set(got) == {"anna", "sara"} and got["anna"][0]["date"] == "2026-03-11"
    assert _run(app) == {}


def test_a_booked_follow_up_meeting_counts_as_the_follow_up(app, case, clock):
    build(app, lambda: setattr(db.session.get(Sip, case.sip_id), "coordinator_id", user("lena").id))
    _meeting(app, case, timedelta(days=6), kind=MeetingKind.FOLLOW_UP)
    assert _run(app) == {"follow_up_7d": 2}
    assert set(told(app, "follow_up_7d")) == {"anna", "lena"}


def test_consent_ending_within_30_days_reminds_the_person_once_per_consent(app, case, clock):
    def _short():
        return give_consent(db.session.get(Sip, case.sip_id), ["Haninge kommun"], action=ConsentAction.RENEW,
                            valid_until=domain_clock.today() + timedelta(days=40)).id
    record_id = build(app, _short)
    assert _run(app) == {}
    clock.advance(days=10)
    assert _run(app) == {"consent_ends_30d": 1}
    got = told(app, "consent_ends_30d")["anna"][0]
    assert (got["record_id"], got["days"], got["date"]) == (record_id, 30, "2026-04-11")
    assert _run(app) == {}
    build(app, lambda: give_consent(db.session.get(Sip, case.sip_id), ["Haninge kommun"], action=ConsentAction.RENEW,
                                    valid_until=domain_clock.today() + timedelta(days=20)))
    clock.advance(days=1)
    assert _run(app) == {"consent_ends_30d": 1}  # the renewed consent is a new one


def test_an_ended_consent_is_told_once_whether_the_job_or_an_event_notices_first(app, case, clock):
    def _ending():
        return give_consent(db.session.get(Sip, case.sip_id), ["Haninge kommun", "Brandbergens vårdcentral"],
                            action=ConsentAction.RENEW, valid_until=domain_clock.today() + timedelta(days=1)).id
    record_id = build(app, _ending)
    clock.advance(days=2)
    assert _run(app) == {"consent_expired": 3}
    assert set(told(app, "consent_expired")) == {"anna", "sara", "lena"}
    record(app, events.CONSENT_EXPIRED, case, record_id=record_id)  # the consent feature noticing it too
    assert sum(len(v) for v in told(app, "consent_expired").values()) == 3
    clock.advance(days=30)
    assert _run(app) == {}


def test_a_withdrawn_consent_is_not_reminded(app, case, clock):
    build(app, lambda: give_consent(db.session.get(Sip, case.sip_id), ["Haninge kommun"],
                                    action=ConsentAction.WITHDRAW, valid_until=domain_clock.today() + timedelta(days=5)))
    clock.advance(days=1)
    assert _run(app) == {}


def test_a_plan_waiting_3_days_reminds_the_person(app, case, clock):
    def _sent():
        db.session.add(PlanVersion(sip_id=case.sip_id, number=1, status=PlanStatus.PENDING_APPROVAL,
                                   documented_by_id=user("sara").id, created_at=domain_clock.now(), sent_at=domain_clock.now()))
    build(app, _sent)
    clock.advance(days=2, hours=23)
    assert _run(app) == {}
    clock.advance(hours=1)
    assert _run(app) == {"plan_waiting_3d": 1}
    assert told(app, "plan_waiting_3d")["anna"][0]["days"] == 3


def test_a_request_not_acknowledged_after_3_working_days_reminds_that_organisations_staff(app, demo, clock):
    def _requests():
        omar = user("omar")
        # Wednesday 25 February: Thursday, Friday and Monday have passed since.
        waiting = make_sip(omar, omar, ["Haninge kommun", "Brandbergens vårdcentral"], "SIP-OMAR-01",
                           created_at=datetime(2026, 2, 25, 10, 0, tzinfo=clock.current.tzinfo))
        recipient = db.session.scalars(sa.select(SipRecipient).where(SipRecipient.sip_id == waiting.id)).first()
        recipient.acknowledged_at = domain_clock.now()  # Haninge kommun has acknowledged it
        make_sip(omar, omar, ["Nynäshamns kommun"], "SIP-OMAR-02",
                 created_at=datetime(2026, 2, 26, 10, 0, tzinfo=clock.current.tzinfo))  # only 2 working days
    build(app, _requests)
    assert _run(app) == {"request_waiting_3wd": 1}
    got = told(app, "request_waiting_3wd")
    assert set(got) == {"lena"} and got["lena"][0]["days"] == 3
    clock.advance(days=1)
    assert _run(app) == {"request_waiting_3wd": 1}  # now Nils's one; Lena's is not repeated
    assert set(told(app, "request_waiting_3wd")) == {"lena", "nils"}


def test_an_interpreter_not_confirmed_3_days_before_reminds_the_inviter(app, case, clock):
    meeting_id = _meeting(app, case, timedelta(days=4))

    def _interpreter():
        request = InterpreterRequest(sip_id=case.sip_id, language="ar", created_at=domain_clock.now())
        db.session.add(request)
        db.session.flush()
        return request.id
    request_id = build(app, _interpreter)
    assert _run(app) == {}
    clock.advance(days=1, hours=1)
    assert _run(app) == {"interpreter_unconfirmed_3d": 1}
    assert set(told(app, "interpreter_unconfirmed_3d")) == {"sara"}

    def _confirm():
        other = _meeting_in_transaction(case, timedelta(days=2))
        request = db.session.get(InterpreterRequest, request_id)
        request.meeting_id, request.confirmed_at, request.status = other, domain_clock.now(), "booked"
    build(app, _confirm)
    assert _run(app) == {}  # the other meeting's interpreter is confirmed, and this one was already reminded
    assert meeting_id


def _meeting_in_transaction(case, starts_in):
    sip = db.session.get(Sip, case.sip_id)
    meeting = book_meeting(sip, domain_clock.now() + starts_in, user("sara"), [user("anna")])
    meeting.created_at = domain_clock.now() - timedelta(days=10)
    return meeting.id


def test_a_reminder_turned_off_is_recorded_as_done_but_not_shown_or_pushed(app, case, clock, push_service):
    subscribe(app, "anna", push_service)

    def _off():
        db.session.add(NotificationPreference(user_id=user("anna").id, kind="meeting_24h", inbox=False, push=False))
    build(app, _off)
    _meeting(app, case, timedelta(hours=20))
    assert _run(app) == {"meeting_24h": 3}
    assert told(app, "meeting_24h")["anna"][0]["_inbox"] is False
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(PushDelivery.id))) == 0
    assert _run(app) == {}


def test_send_reminders_creates_and_pushes_each_reminder_once(app, case, runner, push_service, clock):
    build(app, lambda: setattr(user("anna"), "language", "en"))
    phone = subscribe(app, "anna", push_service)
    _meeting(app, case, timedelta(hours=20))
    result = runner.invoke(args=["send-reminders"])
    assert result.exit_code == 0, result.output
    assert "Reminders created: 3 (meeting_24h 3)" in result.output and "sent 1" in result.output
    payload = push_service.payloads(phone)[0]
    assert payload["body"] == "Reminder: you have a meeting within 24 hours" and payload["lang"] == "en"
    assert push_service.for_subscription(phone)[0].headers["urgency"] == "high"
    again = runner.invoke(args=["send-reminders"])
    assert "Reminders created: 0" in again.output and "sent 0" in again.output
    assert len(push_service.for_subscription(phone)) == 1


def test_the_demo_data_gets_its_due_reminders_once(app, case, clock):
    from webapp.services import demo as demo_service

    _meeting(app, case, timedelta(hours=20))
    with app.app_context():
        demo_service.seed()  # the notifications step finds what is due in the demo world
        assert db.session.scalar(sa.select(sa.func.count(Notification.id))) == 3
    with app.app_context():
        demo_service.seed()  # idempotent
        assert db.session.scalar(sa.select(sa.func.count(Notification.id))) == 3


def test_a_reminder_another_run_created_meanwhile_is_skipped_not_duplicated(app, case, clock, monkeypatch):
    _meeting(app, case, timedelta(hours=20))
    assert _run(app) == {"meeting_24h": 3}
    # As if this run had looked before the other one committed: the unique key still refuses it.
    monkeypatch.setattr(reminders, "_existing", lambda keys: set())
    assert _run(app) == {}
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Notification.id))) == 3


def test_send_reminders_ends_lapsed_consents_and_erases_old_drafts(app, case, runner, clock):
    from webapp.models import ConsentRecord, Event, MeetingStatus, RequestDraft

    meeting_id = _meeting(app, case, timedelta(days=30))
    with app.app_context():
        db.begin_write()
        record = db.session.scalars(sa.select(ConsentRecord).where(ConsentRecord.sip_id == case.sip_id)).one()
        ends = record.valid_until
        db.session.add(RequestDraft(user_id=user("omar").id, data={"purpose": {"purpose": "Old"}},
                                    created_at=domain_clock.now(), updated_at=domain_clock.now()))
        db.session.commit()
    clock.set(datetime.combine(ends + timedelta(days=1), datetime.min.time(), tzinfo=UTC) + timedelta(hours=8))
    with app.app_context():
        # The meeting lay beyond the consent's end: it is cancelled when the consent lapses.
        db.begin_write()
        db.session.get(MeetingModel, meeting_id).starts_at = domain_clock.now() + timedelta(days=3)
        db.session.commit()
    result = runner.invoke(args=["send-reminders"])
    assert result.exit_code == 0, result.output
    assert "Consents that ended: 1; unused request drafts erased: 1" in result.output
    with app.app_context():
        assert db.session.get(MeetingModel, meeting_id).status == MeetingStatus.CANCELLED
        assert db.session.scalar(sa.select(sa.func.count(Event.id)).where(Event.kind == "consent_expired",
                                                                          Event.sip_id == case.sip_id)) == 1
    again = runner.invoke(args=["send-reminders"])
    assert "Consents that ended: 0; unused request drafts erased: 0" in again.output
