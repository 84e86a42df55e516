"""The inbox (``work.index``): the SIPs of one's organisation, oldest first, by stage, with flags."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from tests.consent_fixtures import add_meeting, anna_sip_id
from tests.helpers import text
from tests.request_fixtures import sip as sip_of
from tests.request_fixtures import user_id
from webapp.extensions import db
from webapp.models import (
    InterpreterRequest,
    MeetingParticipant,
    MissedKind,
    MissedMeetingReport,
    ParticipantKind,
    Sip,
    SipStatus,
)
from webapp.services import clock as app_clock

ANNA, ERIK, OMAR = "SIP-7KQ4-M2", "SIP-E4RK-2B", "SIP-H3RA-9P"


def _rows(client, query: str = "") -> str:
    response = client.get("/work/" + query)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    return page[page.find("<tbody>"):] if "<tbody>" in page else ""


def _filters(client, query: str) -> str:
    page = client.get("/work/" + query).get_data(as_text=True)
    return page[page.find('<nav class="filters"'):page.find("</nav>", page.find('<nav class="filters"'))]


def _set_status(app, reference: str, status: SipStatus) -> None:
    with app.app_context():
        db.begin_write()
        db.session.scalars(sa.select(Sip).where(Sip.reference == reference)).one().status = status
        db.session.commit()


def test_the_filters_show_each_stage_and_mark_the_current_one(app, client, auth, clock, demo):
    auth.login("sara")
    page = _filters(client, "")
    assert 'href="/work/" aria-current="page"' in page
    new = _rows(client, "?show=new")
    assert OMAR in new and ANNA not in new
    page = _filters(client, "?show=new")
    assert 'href="/work/?show=new" aria-current="page"' in page
    assert 'href="/work/" aria-current' not in page
    acknowledged = _rows(client, "?show=acknowledged")  # Anna's: consent given, a meeting to book
    assert ANNA in acknowledged and OMAR not in acknowledged
    assert "No requests in this stage." in text(client.get("/work/?show=plan_active"))
    # An unknown filter shows the default view, never an error.
    assert client.get("/work/?show=%00nonsense").status_code == 200


def test_each_stage_follows_the_sip(app, client, auth, clock, demo):
    auth.login("sara")
    for status, stage in [(SipStatus.MEETING_BOOKED, "meeting_booked"), (SipStatus.PLAN_AGREED, "plan_active"),
                          (SipStatus.FOLLOW_UP, "follow_up_due")]:
        _set_status(app, ANNA, status)
        assert ANNA in _rows(client, f"?show={stage}")
        assert ANNA in _rows(client)
    _set_status(app, ANNA, SipStatus.CLOSED)
    assert ANNA not in _rows(client), "closed SIPs leave the default view"
    assert ANNA in _rows(client, "?show=closed")


def test_acknowledged_without_consent_waits_for_consent(app, client, auth, clock, demo):
    auth.login("sara")
    assert client.post(f"/work/sips/{OMAR}/acknowledge").status_code == 303
    assert OMAR in _rows(client, "?show=waiting_for_consent")
    assert OMAR not in _rows(client, "?show=new")


def test_a_declined_request_is_closed_for_the_organisation(app, client, auth, clock, demo):
    auth.login("sara")
    client.post(f"/work/sips/{OMAR}/decline", data={"reason": "Vi kan inte hjälpa till med detta just nu."})
    assert OMAR not in _rows(client)
    assert OMAR in _rows(client, "?show=closed")


def test_waiting_days_are_shown_and_past_three_said_in_words(app, client, auth, clock, demo):
    auth.login("sara")
    rows = _rows(client, "?show=new")
    assert "5 working days" in text(rows) and "Nobody has taken it" in text(rows)


def test_an_interpreter_not_confirmed_three_days_before_is_flagged(app, client, auth, clock, demo):
    sip_id = anna_sip_id(app)
    add_meeting(app, sip_id, timedelta(days=2))
    far = add_meeting(app, sip_id, timedelta(days=10))
    auth.login("sara")
    assert "Interpreter not confirmed" not in text(_rows(client))  # no interpreter asked for
    with app.app_context():
        db.begin_write()
        db.session.add(InterpreterRequest(sip_id=sip_id, language="ar", created_at=app_clock.now()))
        db.session.commit()
    rows = text(_rows(client))
    assert rows.count("Interpreter not confirmed for the meeting on") == 1
    assert far  # the meeting in ten days is not flagged yet


def test_unanswered_missed_meeting_reports_are_flagged_with_a_link(app, client, auth, clock, demo):
    auth.login("sara")
    assert "missed-meeting report" not in text(client.get("/work/")).lower().replace("missed-meeting reports", "")
    meeting_id = add_meeting(app, anna_sip_id(app), timedelta(days=-1))
    with app.app_context():
        db.begin_write()
        haninge = sip_of(app, ANNA).recipients[0].organisation_id
        db.session.add(MeetingParticipant(meeting_id=meeting_id, kind=ParticipantKind.ORGANISATION,
                                          organisation_id=haninge, name="Haninge kommun"))
        db.session.add(MissedMeetingReport(meeting_id=meeting_id, sip_id=anna_sip_id(app),
                                           reported_by_id=user_id(app, "anna"), kind=MissedKind.NOBODY_CAME,
                                           created_at=app_clock.now()))
        db.session.commit()
    page = client.get("/work/").get_data(as_text=True)
    assert "A person has reported a missed meeting that concerns your organisation." in text(page)
    assert "1 to answer" in text(page)
    assert 'href="/work/reports"' in page


def test_the_inbox_links_to_the_case_page_reports_and_figures(app, client, auth, clock, demo):
    auth.login("sara")
    page = client.get("/work/").get_data(as_text=True)
    assert f'href="/work/sips/{OMAR}"' in page
    assert 'href="/work/reports"' in page and 'href="/work/figures"' in page


def test_nils_outside_every_case_sees_none_of_them(app, client, auth, clock, demo):
    auth.login("nils")
    for query in ["", "?show=new", "?show=acknowledged", "?show=closed"]:
        page = text(client.get("/work/" + query))
        assert "SIP-" not in page and "Anna" not in page and "Omar" not in page
