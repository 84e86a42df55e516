"""My meetings: upcoming and past, a meeting's page (time in Stockholm, place, purpose, who is invited
and who has answered, the interpreter), answering the invitation (the person, or a relative allowed to
act), cancelled meetings, and who may see them."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from tests.consent_fixtures import link_relative, log_count, make_citizen
from tests.factories import user
from tests.helpers import text
from tests.my_sip_fixtures import ANNA, anna_sip, anna_world, at, book  # noqa: F401 - fixture
from webapp.extensions import db
from webapp.models import InterpreterMode, Meeting, MeetingParticipant, ParticipantKind, RelativeGrant, Resource, Response
from webapp.services import consent, interpreter_bookings, invitations, meetings


def _person_answer(app, meeting_id):
    with app.app_context():
        return db.session.scalars(sa.select(MeetingParticipant).where(
            MeetingParticipant.meeting_id == meeting_id, MeetingParticipant.kind == ParticipantKind.PERSON)).one()


def test_the_meetings_of_a_sip_upcoming_and_past(client, auth, anna_world):
    auth.login("anna")
    page = text(client.get(f"/sips/{ANNA}/meetings"))
    assert page.index("Upcoming") < page.index("Monday, March 16, 2026 at 1:00 PM") < page.index("Past")
    assert page.index("Past") < page.index("Wednesday, March 4, 2026 at 10:00 AM")
    everything = text(client.get("/meetings"))
    assert "Your SIP SIP-7KQ4-M2" in everything and "Monday, March 16, 2026 at 1:00 PM" in everything


def test_a_meeting_page_says_when_where_why_who_and_the_interpreter(app, client, auth, anna_world):
    with app.test_request_context():
        meeting = db.session.get(Meeting, anna_world.follow_up_id)
        lena = next(p for p in meeting.participants if p.user_id == user("lena").id)
        invitations.answer(user("lena"), lena, Response.DECLINED, note="On leave")
        interpreter_bookings.book(user("sara"), meeting, "ar", InterpreterMode.ON_SITE, "Tolkservice AB",
                                  "TS-1", confirmed=False)
    auth.login("anna")
    page = text(client.get(f"/meetings/{anna_world.follow_up_id}"))
    # 13:00 in Stockholm (12:00 UTC), written by Babel in the reader's language.
    assert "Follow-up meeting: Monday, March 16, 2026 at 1:00 PM" in page
    assert "When Monday, March 16, 2026, 1:00 PM to 1:45 PM" in page
    assert "Where At home: Storvägen 3, Haninge" in page and "Purpose Follow up the plan" in page
    assert "Interpreter Booked, not confirmed yet: Arabic." in page
    assert "Sara Lind , Biståndshandläggare, Haninge kommun Coming" in page
    assert "Lena Berg , Distriktssköterska, Brandbergens vårdcentral Cannot come" in page
    assert "Erik Andersson Has not answered yet" in page
    assert "Your answer Has not answered yet" in page
    client.post("/language", data={"lang-language": "sv", "next": "/"})
    swedish = text(client.get(f"/meetings/{anna_world.follow_up_id}"))
    assert "måndag 16 mars 2026" in swedish and "13:00" in swedish


def test_the_person_answers_and_cannot_come_needs_a_note(app, client, auth, anna_world):
    auth.login("anna")
    url = f"/meetings/{anna_world.follow_up_id}/answer"
    assert client.post(url, data={}).status_code == 422
    missing_note = client.post(url, data={"answer": "cannot_come", "note": ""})
    assert missing_note.status_code == 422
    assert "Write when you could come instead" in text(missing_note)
    assert client.post(url, data={"answer": "cannot_come", "note": "Mornings are better"}).status_code == 303
    answer = _person_answer(app, anna_world.follow_up_id)
    assert answer.response == Response.DECLINED and answer.response_note == "Mornings are better"
    assert client.post(url, data={"answer": "accept"}).status_code == 303
    assert _person_answer(app, anna_world.follow_up_id).response == Response.ACCEPTED
    page = text(client.get(f"/meetings/{anna_world.follow_up_id}"))
    assert "Thank you. Your answer is sent to the one who invited you." in page and "Your answer Coming" in page


def test_a_relative_allowed_to_act_answers_for_the_person(app, client, auth, anna_world):
    auth.login("erik")
    page = text(client.get(f"/meetings/{anna_world.follow_up_id}"))
    assert "The answer of Anna Andersson" in page and "Send the answer for Anna Andersson" in page
    done = client.post(f"/meetings/{anna_world.follow_up_id}/answer", data={"answer": "accept"})
    assert done.status_code == 303
    answer = _person_answer(app, anna_world.follow_up_id)
    assert answer.response == Response.ACCEPTED and answer.responded_by_id == _id(app, "erik")
    assert "Thank you. Your answer for Anna Andersson is sent" in text(client.get(done.headers["Location"]))


def test_a_relative_who_may_only_follow_sees_but_cannot_answer(app, client, auth, anna_world):
    with app.app_context():
        db.begin_write()
        for grant in db.session.scalars(sa.select(RelativeGrant).where(RelativeGrant.sip_id == anna_world.sip_id)):
            grant.can_act = False
        db.session.commit()
    auth.login("erik")
    page = client.get(f"/meetings/{anna_world.follow_up_id}")
    assert page.status_code == 200 and "Send the answer" not in text(page)
    assert client.post(f"/meetings/{anna_world.follow_up_id}/answer", data={"answer": "accept"}).status_code == 404
    assert _person_answer(app, anna_world.follow_up_id).response == Response.PENDING
    assert client.get(f"/meetings/{anna_world.first_meeting_id}/missed").status_code == 404
    assert client.get(f"/meetings/{anna_world.first_meeting_id}/feedback").status_code == 404


def test_a_cancelled_meeting_shows_as_cancelled_with_the_reason(app, client, auth, anna_world):
    with app.test_request_context():
        meetings.cancel(user("sara"), db.session.get(Meeting, anna_world.follow_up_id), "Sara is ill this week.")
    auth.login("anna")
    page = text(client.get(f"/meetings/{anna_world.follow_up_id}"))
    assert "This meeting is cancelled. The reason given: Sara is ill this week." in page
    assert "Send the answer" not in page
    assert client.post(f"/meetings/{anna_world.follow_up_id}/answer", data={"answer": "accept"}).status_code == 422


def test_a_meeting_cancelled_by_a_withdrawn_consent_says_so(app, client, auth, anna_world):
    with app.test_request_context():
        consent.withdraw(user("anna"), anna_sip())
    auth.login("anna")
    page = text(client.get(f"/meetings/{anna_world.follow_up_id}"))
    assert "This meeting is cancelled. It was cancelled because the consent was withdrawn or ended." in page


def test_a_remote_meeting_has_its_link(app, client, auth, anna_world):
    with app.test_request_context():
        remote = book(anna_sip(), at(date(2026, 3, 20), 9), place_kind=meetings.PlaceKind.REMOTE, address="",
                      remote_link="https://meet.example.se/sip-42")
        remote_id = remote.id
    auth.login("anna")
    html = client.get(f"/meetings/{remote_id}").get_data(as_text=True)
    assert "Where Remote meeting" in text(html) and 'href="https://meet.example.se/sip-42"' in html


def _id(app, short):
    with app.app_context():
        return user(short).id


def test_who_may_see_a_meeting_and_that_reads_are_logged(app, client, auth, anna_world):
    gun = make_citizen(app, "Gun Berg", "gun@example.org")
    link_relative(app, _id(app, "anna"), gun)
    meeting = f"/meetings/{anna_world.follow_up_id}"
    urls = [meeting, f"{meeting}/meeting.ics", f"/sips/{ANNA}/meetings", f"/meetings/{anna_world.first_meeting_id}/missed",
            f"/meetings/{anna_world.first_meeting_id}/feedback"]
    for who, expected in (("omar", 404), ("gun@example.org", 404), ("sara", 403), ("nils", 403)):
        auth.login(who)
        for url in urls:
            assert client.get(url).status_code == expected, (who, url)
        assert client.post(f"{meeting}/answer", data={"answer": "accept"}).status_code == expected
        auth.logout()
    assert client.get("/meetings/999").status_code == 302
    auth.login("anna")
    assert client.get("/meetings/999").status_code == 404
    erik = _id(app, "erik")
    auth.logout()
    auth.login("erik")
    before = log_count(app, actor_id=erik, resource=Resource.MEETINGS)
    client.get(meeting)
    assert log_count(app, actor_id=erik, resource=Resource.MEETINGS) == before + 1
    client.post(f"{meeting}/answer", data={"answer": "accept"})  # acting shows nothing: no read
    assert log_count(app, actor_id=erik, resource=Resource.MEETINGS) == before + 1
