"""Add to calendar: an .ics file per meeting (icalendar: Europe/Stockholm, two reminders, a stable UID,
METHOD PUBLISH, STATUS:CANCELLED) and a subscribable feed behind a secret address that can be renewed."""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

import sqlalchemy as sa
from icalendar import Calendar

from tests.consent_fixtures import log_count
from tests.factories import user
from tests.helpers import text
from tests.my_sip_fixtures import anna_world  # noqa: F401 - fixture
from webapp.extensions import db
from webapp.models import CalendarFeed, Meeting, Resource
from webapp.services import calendar, clock, meetings


def _events(body: bytes):
    cal = Calendar.from_ical(body)
    return cal, [c for c in cal.walk("VEVENT")]


def test_a_meetings_ics_has_the_stockholm_time_both_reminders_and_the_details(client, auth, anna_world):
    auth.login("anna")
    response = client.get(f"/meetings/{anna_world.follow_up_id}/meeting.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert "sip-meeting-2026-03-16.ics" in response.headers["Content-Disposition"]
    cal, [event] = _events(response.data)
    assert str(cal["METHOD"]) == "PUBLISH"
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Stockholm"]
    start = event.decoded("DTSTART")
    assert str(start.tzinfo) == "Europe/Stockholm" and (start.hour, start.minute) == (13, 0)
    assert event["DTSTART"].params["TZID"] == "Europe/Stockholm"
    assert event.decoded("DTEND") - start == timedelta(minutes=45)
    assert str(event["UID"]) == f"minsip-meeting-{anna_world.follow_up_id}@min-sip"
    assert str(event["SUMMARY"]) == "SIP follow-up meeting"
    assert str(event["LOCATION"]) == "At home: Storvägen 3, Haninge"
    description = str(event["DESCRIPTION"])
    assert "Purpose: Follow up the plan" in description
    assert "Invited: Sara Lind, Haninge kommun; Lena Berg, Brandbergens vårdcentral; Erik Andersson" in description
    assert f"/meetings/{anna_world.follow_up_id}" in description
    triggers = sorted(alarm.decoded("TRIGGER") for alarm in event.walk("VALARM"))
    assert triggers == [timedelta(days=-1), timedelta(hours=-2)]
    # The same UID every time: a calendar updates its copy instead of adding another.
    _cal, [again] = _events(client.get(f"/meetings/{anna_world.follow_up_id}/meeting.ics").data)
    assert str(again["UID"]) == str(event["UID"])


def test_the_ics_is_in_the_readers_language_and_a_cancelled_meeting_says_so(app, client, auth, anna_world):
    with app.test_request_context():
        meetings.cancel(user("sara"), db.session.get(Meeting, anna_world.follow_up_id), "Sara is ill this week.")
    auth.login("anna")
    client.post("/language", data={"lang-language": "ar", "next": "/"})
    _cal, [event] = _events(client.get(f"/meetings/{anna_world.follow_up_id}/meeting.ics").data)
    assert str(event["STATUS"]) == "CANCELLED" and not event.walk("VALARM")
    assert int(event["SEQUENCE"]) == 1


def _token(client) -> str:
    html = client.get("/calendar").get_data(as_text=True)
    return html.split("/calendar/", 1)[1].split(".ics", 1)[0]


def test_the_feed_lives_at_a_secret_address_that_can_be_renewed_or_turned_off(app, client, auth, anna_world):
    auth.login("anna")
    assert "Make my calendar address" in text(client.get("/calendar"))
    assert client.post("/calendar/create").status_code == 303
    token = _token(client)
    page = client.get("/calendar").get_data(as_text=True)
    assert f"webcal://localhost/calendar/{token}.ics" in page and f"http://localhost/calendar/{token}.ics" in page
    with app.app_context():
        stored = db.session.scalars(sa.select(CalendarFeed)).one()
        assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest() and token not in stored.token_hash
    auth.logout()
    feed = client.get(f"/calendar/{token}.ics")  # no login: the calendar app fetches it
    assert feed.status_code == 200 and feed.headers["Cache-Control"] == "no-store"
    cal, events = _events(feed.data)
    assert str(cal["X-WR-CALNAME"]) == "Min SIP: meetings"
    starts = sorted(e.decoded("DTSTART") for e in events)
    assert [s.astimezone(clock.STOCKHOLM).strftime("%d %H:%M") for s in starts] == ["04 10:00", "16 13:00"]
    # Calendar servers keep copies: no purpose and no names in the feed, only a link to the meeting.
    assert all("Purpose" not in str(e["DESCRIPTION"]) and "Lena" not in str(e["DESCRIPTION"]) for e in events)
    # In the owner's language (Anna's account is Swedish by default; English after login in the tests).
    auth.login("anna")
    assert client.post("/calendar/renew").status_code == 303
    renewed = _token(client)
    assert renewed != token
    assert client.get(f"/calendar/{token}.ics").status_code == 404
    assert client.get(f"/calendar/{renewed}.ics").status_code == 200
    assert client.post("/calendar/renew").status_code == 303  # twice in the same instant: still new
    third = _token(client)
    assert third != renewed and client.get(f"/calendar/{renewed}.ics").status_code == 404
    client.post("/calendar/stop")
    assert client.get(f"/calendar/{third}.ics").status_code == 404
    assert "Make my calendar address" in text(client.get("/calendar"))
    assert client.get("/calendar/not-a-token.ics").status_code == 404


def test_a_relatives_feed_holds_the_meetings_they_follow_and_each_fetch_is_logged(app, client, auth, anna_world):
    auth.login("erik")
    client.post("/calendar/create")
    token = _token(client)
    assert "The meetings of the people you follow are in it too" in text(client.get("/calendar"))
    auth.logout()
    with app.app_context():
        erik = user("erik").id
    before = log_count(app, actor_id=erik, resource=Resource.MEETINGS)
    _cal, events = _events(client.get(f"/calendar/{token}.ics").data)
    assert len(events) == 2  # Erik has no SIP of his own: these are Anna's
    # Erik follows two of Anna's SIPs: each fetch is one logged read of each.
    assert log_count(app, actor_id=erik, resource=Resource.MEETINGS) == before + 2
    client.get(f"/calendar/{token}.ics")
    assert log_count(app, actor_id=erik, resource=Resource.MEETINGS) == before + 4
    assert log_count(app, actor_id=erik, resource=Resource.MEETINGS, sip_id=anna_world.sip_id) == 2


def test_a_new_secret_key_gives_a_new_address(app, anna_world):
    with app.test_request_context():
        anna = user("anna")
        token = calendar.create(anna)
        assert calendar.address(anna) == token and calendar.user_for_token(token) == anna
        app.config["SECRET_KEY"] = "another-secret-key-for-this-test"
        fresh = calendar.address(anna)
        assert fresh != token
        assert calendar.user_for_token(token) is None and calendar.user_for_token(fresh) == anna


def test_the_feed_leaves_out_meetings_long_past(app, anna_world):
    app.config["CLOCK"].set(datetime(2026, 12, 1, 9, 0, tzinfo=clock.STOCKHOLM))
    with app.test_request_context():
        assert calendar.contents(user("anna")).meetings == []
