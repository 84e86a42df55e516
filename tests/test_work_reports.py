"""Missed-meeting reports about the organisation (``work.reports``, ``work.report``): read and answer."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from tests.consent_fixtures import add_meeting, anna_sip_id, log_count
from tests.helpers import text
from tests.request_fixtures import org_id, user_id
from webapp.extensions import db
from webapp.models import MeetingParticipant, MissedMeetingReport, ParticipantKind, ReportStatus, Resource

ANSWER = "Förlåt, vår handläggare var sjuk. Vi bokar en ny tid med dig i veckan."


def _report(app, client, auth, days_ago: int = 1, description: str = "Ingen från kommunen kom.") -> int:
    """Anna reports that Haninge kommun did not come to a meeting of her SIP; returns the report id."""
    meeting_id = add_meeting(app, anna_sip_id(app), timedelta(days=-days_ago))
    with app.app_context():
        db.begin_write()
        db.session.add(MeetingParticipant(meeting_id=meeting_id, kind=ParticipantKind.ORGANISATION,
                                          organisation_id=org_id(app, "Haninge kommun"), name="Haninge kommun"))
        db.session.commit()
    auth.login("anna")
    response = client.post(f"/meetings/{meeting_id}/missed", data={"kind": "nobody_came", "description": description})
    assert response.status_code == 303
    auth.logout()
    with app.app_context():
        return db.session.scalars(sa.select(MissedMeetingReport.id).order_by(MissedMeetingReport.id.desc())).first()


def _status(app, report_id: int) -> ReportStatus:
    with app.app_context():
        return db.session.get(MissedMeetingReport, report_id).status


def test_the_reports_are_listed_unanswered_first_and_logged(app, client, auth, clock, demo):
    first = _report(app, client, auth, days_ago=3, description="Första mötet")
    second = _report(app, client, auth, days_ago=2, description="Andra mötet")
    auth.login("sara")
    before = log_count(app, actor_id=user_id(app, "sara"), resource=Resource.MEETINGS)
    assert "Anna Andersson" in text(client.get("/work/reports"))
    assert log_count(app, actor_id=user_id(app, "sara"), resource=Resource.MEETINGS) == before + 1
    assert client.post(f"/work/reports/{first}", data={"answer": ANSWER}).status_code == 303
    page = client.get("/work/reports").get_data(as_text=True)
    assert page.index(f"/work/reports/{second}") < page.index(f"/work/reports/{first}")
    assert "Not answered" in text(page) and "Answered" in text(page)


def test_opening_a_report_marks_it_read_and_the_answer_goes_back_to_the_person(app, client, auth, clock, demo):
    report_id = _report(app, client, auth)
    auth.login("sara")
    response = client.get(f"/work/reports/{report_id}")
    assert response.status_code == 200
    page = text(response)
    assert "Nobody came" in page and "Ingen från kommunen kom." in page and "Haninge kommun" in page
    assert _status(app, report_id) == ReportStatus.READ
    response = client.post(f"/work/reports/{report_id}", data={"answer": ""})
    assert response.status_code == 422 and "Write your answer to the person." in text(response)
    response = client.post(f"/work/reports/{report_id}", data={"answer": "Förlåt"})
    assert response.status_code == 422 and "Förlåt</textarea>" in response.get_data(as_text=True)
    response = client.post(f"/work/reports/{report_id}", data={"answer": ANSWER})
    assert response.status_code == 303
    page = text(client.get(f"/work/reports/{report_id}"))
    assert "Your answer is sent to the person." in page and ANSWER in page and "Send the answer" not in page
    assert _status(app, report_id) == ReportStatus.ANSWERED
    auth.logout()
    auth.login("anna")
    page = text(client.get(f"/reports/{report_id}"))
    assert ANSWER in page and "Sara Lind, Haninge kommun" in page


def test_nils_outside_the_sip_sees_no_report(app, client, auth, clock, demo):
    report_id = _report(app, client, auth)
    auth.login("nils")
    assert "No reports concern your organisation." in text(client.get("/work/reports"))
    assert client.get(f"/work/reports/{report_id}").status_code == 404
    assert client.post(f"/work/reports/{report_id}", data={"answer": ANSWER}).status_code == 404
    assert client.get("/work/reports/999999").status_code == 404
    assert _status(app, report_id) == ReportStatus.SENT
