"""A request after it is sent: the person's list, its page and timeline, "without delay", withdrawing,
and who may see it."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from tests.helpers import text
from tests.request_fixtures import RECEIVED_REFERENCE, annas_received_request, send, sip, user_id
from webapp.extensions import db
from webapp.models import (
    AccessLogEntry,
    ConsentAction,
    ConsentMethod,
    ConsentRecord,
    Event,
    InterpreterStatus,
    RelativeLink,
    Sip,
    SipStatus,
)
from webapp.services import request_status


def _set(app, reference, **values):
    with app.app_context():
        row = db.session.scalars(sa.select(Sip).where(Sip.reference == reference)).one()
        for key, value in values.items():
            setattr(row, key, value)
        db.session.commit()


def _timeline(page: str) -> str:
    return page[page.index("What has happened"):]


def test_the_persons_list_shows_their_requests(app, client, auth, clock, demo):
    annas_received_request(app)
    auth.login("anna")
    page = text(client.get("/requests"))
    assert "SIP-7KQ4-M2" in page and "SIP-E4RK-2B" in page and RECEIVED_REFERENCE in page
    assert "Received by staff" in page
    assert "SIP-H3RA-9P" not in page


def test_the_request_page_shows_the_timeline_in_words(app, client, auth, clock, demo):
    annas_received_request(app)
    auth.login("anna")
    response = client.get(f"/requests/{RECEIVED_REFERENCE}")
    assert response.status_code == 200
    page = text(response)
    timeline = _timeline(page)
    assert "Sent Done, February 2, 2026" in timeline
    assert "Received by staff Done, February 3, 2026" in timeline
    assert "Consent confirmed Next step" in timeline
    for later in ("Meeting booked Not yet", "Plan agreed Not yet", "Follow-up Not yet", "Closed Not yet"):
        assert later in timeline
    assert "Nobody has taken the request yet" not in page
    assert "Haninge kommun" in page and "Received Feb 3, 2026" in page
    assert "Brandbergens vårdcentral" in page and "Not received yet" in page
    assert "Lena Berg, Distriktssköterska" in page and "A hearing loop" in page and "At home" in page


def test_timeline_follows_the_sip_as_it_moves_on(app, client, auth, clock, demo):
    reference = annas_received_request(app)
    with app.app_context():
        row = db.session.scalars(sa.select(Sip).where(Sip.reference == reference)).one()
        db.session.add(ConsentRecord(sip_id=row.id, action=ConsentAction.GIVE, method=ConsentMethod.ORAL,
                                     recorded_by_id=user_id(app, "sara"), created_at=datetime(2026, 2, 10, 9, tzinfo=UTC)))
        row.status = SipStatus.CONSENT_CONFIRMED
        db.session.commit()
    auth.login("anna")
    timeline = _timeline(text(client.get(f"/requests/{reference}")))
    assert "Consent confirmed Done, February 10, 2026" in timeline and "Meeting booked Next step" in timeline
    _set(app, reference, status=SipStatus.CLOSED, closed_at=datetime(2026, 3, 1, 9, tzinfo=UTC))
    timeline = _timeline(text(client.get(f"/requests/{reference}")))
    assert "Closed Done, March 1, 2026" in timeline and "Not yet" not in timeline


def test_a_declined_request_gives_the_reason_and_where_to_turn(app, client, auth, clock, demo):
    _set(app, "SIP-7KQ4-M2", status=SipStatus.DECLINED, declined_at=datetime(2026, 2, 5, 9, tzinfo=UTC),
         decline_reason="Du har redan en SIP hos oss.")
    auth.login("anna")
    page = text(client.get("/requests/SIP-7KQ4-M2"))
    assert "The request was declined" in page and "Du har redan en SIP hos oss." in page
    assert "Patientnämnden" in page and "08-606 70 00" in page
    assert "Declined February 5, 2026" in _timeline(page)
    assert "Not yet" not in _timeline(page)


def test_without_delay_notice_after_three_working_days(app, client, auth, clock, demo):
    auth.login("omar")
    response = client.get("/requests/SIP-H3RA-9P")
    page = text(response)
    assert "Nobody has taken the request yet" in page
    assert "It has waited 5 working days." in page
    assert "The law says work on a SIP should start without delay" in page
    assert 'href="tel:+4686067000"' in response.get_data(as_text=True)
    assert "Arabic" in page and "Requested" in page


def test_a_new_request_counts_working_days_and_warns_only_after_three(app, client, auth, clock, demo):
    auth.login("anna")
    reference = send(client, app)  # Monday 2 March 2026
    assert "It has waited 0 working days." in text(client.get(f"/requests/{reference}"))
    clock.set(datetime(2026, 3, 5, 9, tzinfo=UTC))  # Thursday: three working days
    auth.login("anna")  # days later: a new session
    page = text(client.get(f"/requests/{reference}"))
    assert "It has waited 3 working days." in page and "Nobody has taken the request yet" not in page
    clock.set(datetime(2026, 3, 6, 9, tzinfo=UTC))  # Friday: four
    auth.login("anna")
    page = text(client.get(f"/requests/{reference}"))
    assert "Nobody has taken the request yet" in page and "It has waited 4 working days." in page


def test_public_holidays_do_not_count(app, client, auth, clock, demo):
    clock.set(datetime(2026, 4, 2, 9, tzinfo=UTC))  # Maundy Thursday
    auth.login("anna")
    reference = send(client, app)
    clock.set(datetime(2026, 4, 8, 9, tzinfo=UTC))  # Wednesday after Easter: Good Friday and Easter Monday are off
    auth.login("anna")
    page = text(client.get(f"/requests/{reference}"))
    assert "It has waited 2 working days." in page and "Nobody has taken the request yet" not in page


def test_an_acknowledged_request_stops_counting(app, client, auth, clock, demo):
    with app.app_context():
        row = db.session.scalars(sa.select(Sip).where(Sip.reference == "SIP-H3RA-9P")).one()
        row.recipients[0].acknowledged_at = datetime(2026, 3, 2, 8, tzinfo=UTC)
        row.status = SipStatus.RECEIVED
        db.session.commit()
        assert not request_status.is_overdue(row)
    auth.login("omar")
    assert "Nobody has taken the request yet" not in text(client.get("/requests/SIP-H3RA-9P"))


def test_the_person_withdraws_a_request_after_confirming(app, client, auth, clock, demo):
    auth.login("omar")
    assert "Withdraw the request" in text(client.get("/requests/SIP-H3RA-9P"))
    confirm = client.get("/requests/SIP-H3RA-9P/withdraw")
    assert "Withdraw the request SIP-H3RA-9P?" in text(confirm)
    assert sip(app, "SIP-H3RA-9P").status == SipStatus.SENT
    response = client.post("/requests/SIP-H3RA-9P/withdraw")
    assert response.status_code == 303
    stored = sip(app, "SIP-H3RA-9P")
    assert stored.status == SipStatus.WITHDRAWN and stored.withdrawn_by_id == user_id(app, "omar")
    assert stored.interpreter_requests[0].status == InterpreterStatus.CANCELLED
    with app.app_context():
        assert "request_withdrawn" in db.session.scalars(sa.select(Event.kind).where(Event.sip_id == stored.id)).all()
    page = text(client.get("/requests/SIP-H3RA-9P"))
    assert "Your request SIP-H3RA-9P is withdrawn." in page
    assert "Withdrawn March 2, 2026" in _timeline(page)
    assert "Nobody has taken the request yet" not in page and "Withdraw the request" not in page


def test_the_relative_who_sent_it_can_withdraw_it(app, client, auth, clock, demo):
    auth.login("erik")
    assert client.post("/requests/SIP-E4RK-2B/withdraw").status_code == 303
    assert sip(app, "SIP-E4RK-2B").status == SipStatus.WITHDRAWN


def test_a_request_that_led_to_a_meeting_cannot_be_withdrawn(app, client, auth, clock, demo):
    _set(app, "SIP-7KQ4-M2", status=SipStatus.MEETING_BOOKED)
    auth.login("anna")
    assert "Withdraw the request" not in text(client.get("/requests/SIP-7KQ4-M2"))
    response = client.post("/requests/SIP-7KQ4-M2/withdraw")
    assert response.status_code == 303
    assert "This request can no longer be withdrawn." in text(client.get("/requests/SIP-7KQ4-M2"))
    assert sip(app, "SIP-7KQ4-M2").status == SipStatus.MEETING_BOOKED


def test_another_person_can_never_see_or_withdraw_a_request(app, client, auth, clock, demo):
    reference = annas_received_request(app)
    with app.app_context():
        log_before = db.session.scalar(sa.select(sa.func.count(AccessLogEntry.id)))
    auth.login("omar")
    assert reference not in text(client.get("/requests"))
    for path in (f"/requests/{reference}", f"/requests/{reference}/receipt", f"/requests/{reference}/withdraw",
                 "/requests/SIP-NONE-XX"):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/requests/{reference}/withdraw").status_code == 404
    assert sip(app, reference).status == SipStatus.RECEIVED
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(AccessLogEntry.id))) == log_before


def test_a_relative_whose_link_ended_no_longer_sees_the_request(app, client, auth, clock, demo):
    with app.app_context():
        link = db.session.scalars(sa.select(RelativeLink)).one()
        link.removed_at = datetime(2026, 3, 1, tzinfo=UTC)
        db.session.commit()
    auth.login("erik")
    assert client.get("/requests/SIP-E4RK-2B").status_code == 404
    assert client.post("/requests/SIP-E4RK-2B/withdraw").status_code == 404
    assert "SIP-E4RK-2B" not in text(client.get("/requests"))


def test_a_relatives_read_is_logged_for_the_person(app, client, auth, clock, demo):
    auth.login("erik")
    page = text(client.get("/requests/SIP-E4RK-2B"))
    assert "For Anna Andersson." in page and "Still to be obtained from Anna Andersson" in page
    with app.app_context():
        entry = db.session.scalars(sa.select(AccessLogEntry).where(AccessLogEntry.actor_id == user_id(app, "erik"))).one()
        assert entry.person_id == user_id(app, "anna") and entry.actor_name == "Erik Andersson"


def test_the_persons_own_reads_are_not_logged(app, client, auth, clock, demo):
    with app.app_context():
        before = db.session.scalar(sa.select(sa.func.count(AccessLogEntry.id)))
    auth.login("anna")
    client.get("/requests/SIP-7KQ4-M2")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(AccessLogEntry.id))) == before


@pytest.mark.parametrize("who", ["sara", "admin"])
def test_staff_do_not_use_the_citizens_request_pages(client, auth, demo, who):
    auth.login(who)
    assert client.get("/requests").status_code == 403
    assert client.get("/requests/SIP-7KQ4-M2").status_code == 403


def test_anonymous_visitors_must_log_in(client, demo):
    assert client.get("/requests/SIP-7KQ4-M2").status_code == 302
    assert client.post("/requests/SIP-7KQ4-M2/withdraw").status_code == 401


def test_the_demo_requests(app, clock, demo):
    anna, erik = sip(app, "SIP-7KQ4-M2"), sip(app, "SIP-E4RK-2B")
    omar = sip(app, "SIP-H3RA-9P")
    assert {r.organisation.name for r in anna.recipients} == {"Haninge kommun", "Brandbergens vårdcentral"}
    assert anna.acknowledged_by_id == user_id(app, "sara") and anna.status != SipStatus.SENT
    assert erik.requested_by_id == user_id(app, "erik") and erik.person_id == user_id(app, "anna") and erik.on_behalf
    assert [r.organisation.name for r in omar.recipients] == ["Haninge kommun"]
    assert omar.interpreter_requests[0].language == "ar"
    with app.app_context():
        assert request_status.working_days_waited(db.session.get(Sip, omar.id)) == 5
        assert request_status.is_overdue(db.session.get(Sip, omar.id))
        link = db.session.scalars(sa.select(RelativeLink)).one()
        assert link.can_request and link.person_id == user_id(app, "anna")
        from webapp.services import demo as demo_service

        demo_service.seed()  # idempotent
        assert db.session.scalar(sa.select(sa.func.count(Sip.id))) == 3
        assert db.session.scalar(sa.select(sa.func.count(RelativeLink.id))) == 1
