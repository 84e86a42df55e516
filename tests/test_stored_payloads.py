"""Hostile text that was stored (by staff or the person) is shown as text everywhere: in the pages, in
the PDF copies and in the calendar files — never as markup, never as a second calendar event."""
from __future__ import annotations

import io

import sqlalchemy as sa
from icalendar import Calendar
from pypdf import PdfReader

from tests.my_sip_fixtures import ANNA, anna_world  # noqa: F401 - fixture
from webapp.extensions import db
from webapp.models import Intervention, Meeting, PlanGoal, PlanVersion

SCRIPT = "<script>alert('x')</script>"
IMAGE = '"><img src=x onerror=alert(1)>'
RTL = "\u202eevil\u202c"
ICS_BREAK = "Walk\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:Injected"


def _store_payloads(app, world) -> None:
    with app.app_context():
        version = db.session.get(PlanVersion, world.version_1)
        version.current_situation = f"Situation {SCRIPT}"
        goal = db.session.scalars(sa.select(PlanGoal).where(PlanGoal.version_id == version.id)).first()
        goal.text = f"Goal {IMAGE} {RTL}"
        intervention = db.session.scalars(sa.select(Intervention).where(Intervention.version_id == version.id)).first()
        intervention.what = f"Help {SCRIPT}"
        meeting = db.session.get(Meeting, world.follow_up_id)
        meeting.purpose = f"{ICS_BREAK} {SCRIPT}"
        meeting.address = f"Street {IMAGE}"
        db.session.commit()


def _unsafe(body: str) -> list[str]:
    return [marker for marker in (SCRIPT, "<img src=x") if marker in body]


def test_stored_payloads_are_escaped_in_the_pages(app, client, auth, anna_world):
    _store_payloads(app, anna_world)
    for who in ("anna", "erik", "sara"):
        auth.login(who)
        for url in (f"/sips/{ANNA}/plan", f"/sips/{ANNA}/plan/versions/1", f"/sips/{ANNA}/plan/print",
                    f"/meetings/{anna_world.follow_up_id}", "/meetings", "/", f"/sips/{ANNA}/documents/plan"):
            response = client.get(url)
            if response.status_code != 200:
                continue
            body = response.get_data(as_text=True)
            assert _unsafe(body) == [], (who, url)
        auth.logout()
    auth.login("anna")
    body = client.get(f"/sips/{ANNA}/plan").get_data(as_text=True)
    assert "Help &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in body  # shown, as text


def test_stored_payloads_are_text_in_the_pdf(app, client, auth, anna_world):
    _store_payloads(app, anna_world)
    auth.login("anna")
    for url in (f"/sips/{ANNA}/plan/plan.pdf", f"/sips/{ANNA}/documents/plan.pdf?lang=sv&lang=en"):
        response = client.get(url)
        assert response.status_code == 200, url
        content = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
        # The characters are printed as they were typed: the markup was never interpreted.
        assert "<script>alert('x')</script>" in content.replace("\n", ""), url


def test_stored_payloads_stay_inside_one_calendar_event(app, client, auth, anna_world):
    _store_payloads(app, anna_world)
    auth.login("anna")
    response = client.get(f"/meetings/{anna_world.follow_up_id}/meeting.ics")
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.data)
    events = [part for part in calendar.walk("VEVENT")]
    assert len(events) == 1  # the line breaks did not end the event and start another
    assert "Injected" not in str(events[0]["SUMMARY"])
    assert "END:VEVENT" in str(events[0]["DESCRIPTION"])  # the purpose is there, as text
    assert "END:VEVENT\r\nBEGIN:VEVENT" not in response.get_data(as_text=True).split("BEGIN:VEVENT", 1)[1].rsplit(
        "END:VEVENT", 1)[0]
