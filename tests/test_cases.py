"""The case lifecycle: acknowledge, take, decline, close, the timeline and "without delay"."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from tests.factories import give_consent, make_sip, user
from webapp.extensions import db
from webapp.models import Event, SipStatus
from webapp.services import cases, request_status


@pytest.fixture
def ctx(app, demo, clock):
    with app.test_request_context():
        yield


def _events(kind, sip):
    return db.session.scalars(sa.select(Event).where(Event.kind == kind, Event.sip_id == sip.id)).all()


def test_acknowledging_marks_the_organisation_and_the_sip(ctx):
    sip = make_sip(user("anna"))
    cases.acknowledge(user("sara"), sip)
    assert sip.status == SipStatus.RECEIVED
    assert sip.acknowledged_by_id == user("sara").id
    haninge = next(r for r in sip.recipients if r.organisation.name == "Haninge kommun")
    assert haninge.acknowledged_at is not None
    cases.acknowledge(user("lena"), sip)
    assert sip.acknowledged_by_id == user("sara").id  # the first one stays
    assert len(_events("request_acknowledged", sip)) == 1


def test_only_recipients_can_work_on_a_request(ctx):
    sip = make_sip(user("anna"))
    with pytest.raises(PermissionError):
        cases.acknowledge(user("nils"), sip)  # Nynäshamn was not asked
    with pytest.raises(PermissionError):
        cases.acknowledge(user("anna"), sip)


def test_take_as_own_case(ctx):
    sip = make_sip(user("anna"))
    cases.take(user("sara"), sip)
    assert sip.owner_id == user("sara").id and sip.status == SipStatus.RECEIVED


def test_decline_needs_a_reason_and_all_recipients_for_the_sip_to_be_declined(ctx):
    sip = make_sip(user("anna"))
    with pytest.raises(cases.CaseError) as error:
        cases.decline(user("sara"), sip, "no")
    assert error.value.field == "reason"
    cases.decline(user("sara"), sip, "Your needs are met by the health centre alone.")
    assert sip.status == SipStatus.SENT  # the health centre may still take it
    cases.decline(user("lena"), sip, "We have talked and agree this is not needed now.")
    assert sip.status == SipStatus.DECLINED
    assert sip.decline_reason == "We have talked and agree this is not needed now."
    assert len(_events("request_declined", sip)) == 2


def test_status_only_moves_forward(ctx):
    sip = make_sip(user("anna"), status=SipStatus.MEETING_BOOKED)
    assert not cases.advance(sip, SipStatus.RECEIVED)
    assert cases.advance(sip, SipStatus.PLAN_AGREED)
    sip.status = SipStatus.WITHDRAWN
    assert not cases.advance(sip, SipStatus.FOLLOW_UP)


def test_close_needs_a_reason_and_tells_everyone(ctx):
    sip = make_sip(user("anna"))
    give_consent(sip)
    with pytest.raises(cases.CaseError):
        cases.close(user("sara"), sip, "")
    cases.close(user("sara"), sip, "The goals are reached; Anna wants to close.")
    assert sip.status == SipStatus.CLOSED and sip.closed_by_id == user("sara").id
    assert len(_events("sip_closed", sip)) == 1
    with pytest.raises(cases.CaseError):
        cases.acknowledge(user("sara"), sip)


def test_working_days_waited_and_delay(ctx, clock):
    # Sent on Thursday 26 Feb 2026; "today" (the clock) is Monday 2 March: 2 working days.
    sip = make_sip(user("omar"), to=("Haninge kommun",), created_at=datetime(2026, 2, 26, 9, tzinfo=UTC))
    assert request_status.working_days_waited(sip) == 2
    assert not request_status.is_overdue(sip)
    clock.advance(days=2)  # Wednesday: 4 working days
    assert request_status.working_days_waited(sip) == 4
    assert request_status.is_overdue(sip)
    cases.acknowledge(user("sara"), sip)
    assert not request_status.is_overdue(sip)
    assert request_status.working_days_waited(sip) == 4  # frozen at the acknowledgement
