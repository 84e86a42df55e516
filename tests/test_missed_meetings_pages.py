"""A meeting was missed: the report (once the start time has passed), its status (sent, read, answered
with the answer), the ready-to-send complaint in Swedish and in the reader's language, and where to
send it (configurable per installation)."""
from __future__ import annotations

import json

import sqlalchemy as sa

from tests.factories import user
from tests.helpers import text
from tests.my_sip_fixtures import anna_world  # noqa: F401 - fixture
from webapp.extensions import db
from webapp.models import Meeting, MeetingParticipant, MissedKind, MissedMeetingReport, ReportStatus
from webapp.services import complaints, documents, missed_meetings


def _participants(app, meeting_id):
    with app.app_context():
        return {p.name: p.id for p in db.session.scalars(
            sa.select(MeetingParticipant).where(MeetingParticipant.meeting_id == meeting_id))}


def _report(app) -> MissedMeetingReport:
    with app.app_context():
        report = db.session.scalars(sa.select(MissedMeetingReport)).one()
        db.session.expunge(report)
        return report


def test_a_meeting_ahead_cannot_be_reported_yet(client, auth, anna_world):
    auth.login("anna")
    page = client.get(f"/meetings/{anna_world.follow_up_id}/missed")
    assert "You can report a missed meeting once its start time has passed: Monday, March 16, 2026" in text(page)
    assert client.post(f"/meetings/{anna_world.follow_up_id}/missed", data={"kind": "nobody_came"}).status_code == 409
    assert "report it" not in text(client.get(f"/meetings/{anna_world.follow_up_id}"))


def test_some_did_not_come_needs_who_and_keeps_what_was_typed(app, client, auth, anna_world):
    auth.login("anna")
    url = f"/meetings/{anna_world.first_meeting_id}/missed"
    form = text(client.get(url))
    assert "Who did not come? Tick everyone who was invited" in form
    assert "Sara Lind, Haninge kommun Lena Berg, Brandbergens vårdcentral Erik Andersson" in form
    missing = client.post(url, data={"kind": "some_absent", "description": "Nobody from the health centre"})
    assert missing.status_code == 422
    assert text(missing).count("Choose who did not come.") == 2
    assert "Nobody from the health centre" in missing.get_data(as_text=True)
    other = client.post(url, data={"kind": "other", "description": ""})
    assert other.status_code == 422 and "Tell in your own words what happened." in text(other)
    assert client.post(url, data={}).status_code == 422


def test_the_report_goes_out_marks_the_absent_and_shows_its_status_and_answer(app, client, auth, anna_world):
    auth.login("anna")
    lena = _participants(app, anna_world.first_meeting_id)["Lena Berg"]
    done = client.post(f"/meetings/{anna_world.first_meeting_id}/missed",
                       data={"kind": "some_absent", "absent": [str(lena)], "description": "I waited an hour."})
    assert done.status_code == 303
    report = _report(app)
    assert done.headers["Location"] == f"/reports/{report.id}"
    with app.app_context():
        saved = db.session.get(MissedMeetingReport, report.id)
        assert saved.kind == MissedKind.SOME_ABSENT and [p.name for p in saved.absentees] == ["Lena Berg"]
        assert db.session.get(MeetingParticipant, lena).attended is False
        assert saved.on_behalf is False
    page = text(client.get(done.headers["Location"]))
    assert "Your report is sent to the coordinator and the organisations concerned." in page
    assert "Sent March 5, 2026" in page and "Read Not read yet" in page and "Answered No answer yet" in page
    assert "Did not come Lena Berg" in page and "In your own words I waited an hour." in page
    with app.test_request_context():
        report = db.session.get(MissedMeetingReport, report.id)
        missed_meetings.answer(user("lena"), report, "I am sorry. I was called to an emergency; I will call you.")
    page = text(client.get(f"/reports/{report.id}"))
    assert "Read March 5, 2026" in page and "Answered March 5, 2026, Lena Berg, Brandbergens vårdcentral" in page
    assert "The answer I am sorry. I was called to an emergency; I will call you." in page
    meeting = text(client.get(f"/meetings/{anna_world.first_meeting_id}"))
    assert "Some of those invited did not come Answered" in meeting
    assert "Lena Berg , Distriktssköterska, Brandbergens vårdcentral Has not answered yet Did not come" in meeting


def test_the_complaint_is_ready_in_swedish_and_in_the_readers_language(app, client, auth, anna_world, monkeypatch):
    auth.login("anna")
    client.post(f"/meetings/{anna_world.first_meeting_id}/missed", data={"kind": "nobody_came"})
    report = _report(app)
    html = client.get(f"/reports/{report.id}").get_data(as_text=True)
    swedish = html.split('id="complaint-sv"', 1)[1].split("</textarea>", 1)[0]
    own = html.split('id="complaint-own"', 1)[1].split("</textarea>", 1)[0]
    assert 'lang="sv"' in swedish and 'lang="en"' in own
    for words in ("Anna Andersson", "SIP-7KQ4-M2", "Purpose of the meeting: Plan help at home",
                  "- Sara Lind, Haninge kommun", "- Lena Berg, Brandbergens vårdcentral", "Did not come:",
                  "Those who are invited to a SIP meeting are obliged to attend: the invitation is binding."):
        assert words in own, words
    assert "onsdag 4 mars 2026" in swedish and "Wednesday, March 4, 2026" in own
    # Where to send it: the defaults, and the organisations concerned with their own channels.
    page = text(html)
    assert "Patientnämnden, Region Stockholm" in page and "Inspektionen för vård och omsorg (IVO)" in page
    assert "Brandbergens vårdcentral The organisation's own channel for complaints" in page
    assert 'href="tel:+4687778100"' in html and "data-copy=\"#complaint-sv\"" in html
    rendered = []
    real = documents.render_pdf
    monkeypatch.setattr(documents, "render_pdf", lambda h, c="": rendered.append(h) or real(h, c))
    pdf = client.get(f"/reports/{report.id}/complaint.pdf?lang=sv")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF-") and '<html lang="sv" dir="ltr">' in rendered[0]
    assert "onsdag 4 mars 2026" in rendered[0]
    assert client.get(f"/reports/{report.id}/complaint.pdf?lang=xx").status_code == 404


def test_the_places_to_complain_to_are_configured_per_installation(app, client, auth, anna_world, tmp_path):
    places = [{"key": "uppsala", "name": "Patientnämnden, Region Uppsala",
               "description": {"sv": "Regionens patientnämnd.", "en": "The region's patient committee."},
               "url": "https://example.se/pn", "phone": "+4618000000"}]
    path = tmp_path / "places.json"
    path.write_text(json.dumps(places), "utf-8")
    app.config["COMPLAINT_DESTINATIONS"] = str(path)
    auth.login("anna")
    client.post(f"/meetings/{anna_world.first_meeting_id}/missed", data={"kind": "nobody_came"})
    page = text(client.get(f"/reports/{_report(app).id}"))
    assert "Patientnämnden, Region Uppsala The region's patient committee." in page
    assert "Region Stockholm" not in page
    path.write_text('[{"name": "no key"}]', "utf-8")
    page = text(client.get(f"/reports/{_report(app).id}"))
    assert "Patientnämnden, Region Stockholm" in page  # a broken file falls back to the defaults
    with app.test_request_context():
        for broken in ('{"a": 1}', "not json", '[{"key": "a", "name": "A"}, {"key": "a", "name": "B"}]',
                       '[{"key": "a", "name": "A", "url": "ftp://x"}]', '[{"key": "a", "name": 3}]'):
            path.write_text(broken, "utf-8")
            try:
                complaints.load("en")
            except complaints.ComplaintConfigError:
                continue
            raise AssertionError(f"accepted {broken}")


def test_a_relative_allowed_to_act_reports_on_behalf_and_the_complaint_says_so(app, client, auth, anna_world):
    auth.login("erik")
    done = client.post(f"/meetings/{anna_world.first_meeting_id}/missed", data={"kind": "cancelled_short_notice"})
    assert done.status_code == 303
    report = _report(app)
    assert report.on_behalf is True
    page = text(client.get(done.headers["Location"]))
    assert "Reported by Erik Andersson (on behalf of Anna Andersson)" in page
    assert "I, Erik Andersson, write on behalf of Anna Andersson" in page
    with app.app_context():
        assert db.session.get(Meeting, anna_world.first_meeting_id) is not None


def test_who_may_see_a_report(app, client, auth, anna_world):
    auth.login("anna")
    client.post(f"/meetings/{anna_world.first_meeting_id}/missed", data={"kind": "nobody_came"})
    report = _report(app)
    auth.logout()
    for who, expected in (("omar", 404), ("sara", 403)):
        auth.login(who)
        assert client.get(f"/reports/{report.id}").status_code == expected
        assert client.get(f"/reports/{report.id}/complaint.pdf").status_code == expected
        auth.logout()
    auth.login("erik")
    assert client.get(f"/reports/{report.id}").status_code == 200
    assert client.get("/reports/999").status_code == 404
    assert report.status == ReportStatus.SENT
