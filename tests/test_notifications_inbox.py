"""The inbox: the unread count in the header, newest first, open, mark read, pages; and the texts."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.helpers import html_attr, text
from tests.notification_fixtures import (  # noqa: F401 - fixtures
    _no_demo_notifications,
    anna_case,
    app,
    book_meeting,
    build,
    record,
    user,
    vapid,
)
from webapp.extensions import db
from webapp.models import Notification, Sip
from webapp.services import clock, events
from webapp.services.notification_kinds import KINDS, inbox_text


@pytest.fixture
def case(app, demo, clock):
    return build(app, anna_case)


def _meetings(app, case, count, actor="sara"):
    """Book ``count`` meetings, one a day apart, each announced; returns their ids."""
    ids = []
    for number in range(count):
        def _make(number=number):
            sip = db.session.get(Sip, case.sip_id)
            return book_meeting(sip, clock.now() + timedelta(days=3 + number), user(actor), [user("anna")]).id
        meeting_id = build(app, _make)
        record(app, events.MEETING_BOOKED, case, actor=actor, meeting_id=meeting_id)
        app.config["CLOCK"].advance(minutes=1)
        ids.append(meeting_id)
    return ids


def _ids(app, short):
    with app.app_context():
        return list(db.session.scalars(sa.select(Notification.id).where(Notification.user_id == user(short).id)
                                       .order_by(Notification.id)))


def test_the_header_says_how_many_messages_are_unread_in_words(app, case, client, auth):
    _meetings(app, case, 3)
    auth.login("anna")
    page = client.get("/")
    nav = page.get_data(as_text=True).split('<nav class="site-nav"')[1].split("</nav>")[0]
    assert re.search(r'Messages <span class="nav-count">\(3<span class="visually-hidden"> unread</span>\)</span>', nav)
    assert "Messages (3 unread )" in text(nav)
    client.post("/notifications/read-all")
    nav = client.get("/").get_data(as_text=True).split('<nav class="site-nav"')[1].split("</nav>")[0]
    assert "Messages" in nav and "nav-count" not in nav


def test_anonymous_pages_and_administrators_have_no_inbox(app, client, auth, demo):
    assert "Messages" not in text(client.get("/", headers={"Accept-Language": "en"}))
    auth.login("admin")
    assert "Messages" not in text(client.get("/admin"))
    assert client.get("/notifications").status_code == 403


def test_the_inbox_lists_messages_newest_first_in_the_readers_language(app, case, client, auth):
    _meetings(app, case, 2)
    auth.login("anna")
    page = client.get("/notifications")
    assert page.status_code == 200
    body = text(page)
    assert "You have 2 unread messages." in body
    first, second = re.findall(r"You are invited to a meeting on ([^()]+) \(SIP-ANNA-01\)", body)
    assert first.startswith("Fri, Mar 6, 2026") and second.startswith("Thu, Mar 5, 2026")  # newest first
    assert body.count("New") >= 2
    newest, oldest = reversed(_ids(app, "anna"))
    html = page.get_data(as_text=True)
    assert html.index(f'href="/notifications/{newest}"') < html.index(f'href="/notifications/{oldest}"')


def test_the_inbox_reads_in_arabic_right_to_left(app, case, client, auth):
    _meetings(app, case, 1)
    auth.login("anna", english=False)
    client.post("/language", data={"lang-language": "ar", "next": "/"})
    page = client.get("/notifications")
    html = page.get_data(as_text=True)
    assert html_attr(html, "html", "dir") == "rtl" and html_attr(html, "html", "lang") == "ar"
    assert "مارس" in text(page)  # the meeting's date, written by Babel in Arabic


def test_opening_a_message_marks_it_read_and_goes_to_its_page(app, case, client, auth):
    meeting_ids = _meetings(app, case, 2)
    auth.login("anna")
    first = _ids(app, "anna")[0]
    response = client.get(f"/notifications/{first}")
    assert response.status_code == 302 and response.headers["Location"] == f"/meetings/{meeting_ids[0]}"
    assert "You have 1 unread message." in text(client.get("/notifications"))
    with app.app_context():
        assert db.session.get(Notification, first).read_at == clock.now()


def test_mark_one_or_all_as_read(app, case, client, auth):
    _meetings(app, case, 3)
    auth.login("anna")
    first, *_rest = _ids(app, "anna")
    response = client.post(f"/notifications/{first}/read")
    assert response.status_code == 303
    page = client.get(response.headers["Location"])
    assert "The message is marked as read." in text(page) and "You have 2 unread messages." in text(page)
    response = client.post("/notifications/read-all")
    assert response.status_code == 303
    page = text(client.get(response.headers["Location"]))
    assert "All messages are marked as read." in page and "You have no unread messages." in page
    assert "Mark all as read" not in page


def test_nobody_opens_or_marks_someone_elses_messages(app, case, client, auth):
    _meetings(app, case, 1)
    auth.login("erik")
    annas = _ids(app, "anna")[0]
    assert client.get(f"/notifications/{annas}").status_code == 404
    client.post(f"/notifications/{annas}/read")
    client.post("/notifications/read-all")
    with app.app_context():
        assert db.session.get(Notification, annas).read_at is None


def test_long_inboxes_come_in_pages(app, case, client, auth):
    _meetings(app, case, 31)
    auth.login("anna")
    page = client.get("/notifications")
    assert text(page).count("You are invited to a meeting on") == 30
    assert "Older messages" in text(page) and "Newer messages" not in text(page)
    second = client.get("/notifications?page=2")
    assert text(second).count("You are invited to a meeting on") == 1 and "Newer messages" in text(second)
    assert "There are no more messages." in text(client.get("/notifications?page=9"))


def test_an_empty_inbox_says_so(app, client, auth, demo):
    auth.login("anna")
    assert "No messages yet." in text(client.get("/notifications"))


def test_a_message_links_to_the_page_of_the_feature_when_it_exists(app, case, client, auth):
    # The meeting's own page (issue 6) is the first choice for a meeting's message.
    [meeting_id] = _meetings(app, case, 1)
    auth.login("anna")
    response = client.get(f"/notifications/{_ids(app, 'anna')[0]}")
    assert response.headers["Location"] == f"/meetings/{meeting_id}"


@pytest.mark.parametrize(("code", "params", "expected"), [
    ("request_received", {"reference": "SIP-X", "as": "staff"}, "New SIP request SIP-X for your organisation."),
    ("request_received", {"reference": "SIP-X", "as": "person"}, "A SIP has been requested for you: SIP-X."),
    ("request_waiting_3wd", {"reference": "SIP-X", "days": 1}, "has waited 1 working day without"),
    ("request_waiting_3wd", {"reference": "SIP-X", "days": 4}, "has waited 4 working days without"),
    ("consent_ends_30d", {"reference": "SIP-X", "days": 30, "date": "2026-04-01"},
     "ends in 30 days, on April 1, 2026."),
    ("consent_ends_30d", {"reference": "SIP-X", "days": 1, "date": "2026-04-01"}, "ends in 1 day, on"),
    ("consent_withdrawn", {"reference": "SIP-X", "as": "relative"}, "You can no longer follow it."),
    ("consent_withdrawn", {"reference": "SIP-X", "as": "staff"}, "no longer shared with your organisation"),
    ("consent_expired", {"reference": "SIP-X", "as": "person", "date": "2026-03-01"},
     "Your consent for SIP-X ended on March 1, 2026. You can give a new one."),
    ("meeting_moved", {"reference": "SIP-X", "starts_at": "2026-03-12T09:00:00+00:00",
                       "old_starts_at": "2026-03-11T09:00:00+00:00"},
     "The meeting on Wed, Mar 11, 2026, 10:00 has been moved to Thu, Mar 12, 2026, 10:00 (SIP-X)."),
    ("invitation_answered", {"reference": "SIP-X", "starts_at": "2026-03-12T09:00:00+00:00", "response": "declined"},
     "Lena Berg has declined the invitation"),
    ("plan_waiting_3d", {"reference": "SIP-X", "days": 3}, "has waited 3 days for your approval."),
    ("plan_approved", {"reference": "SIP-X", "number": 2}, "Version 2 of the plan for SIP-X has been approved."),
    ("an_unknown_kind", {}, "Your SIP has been updated"),
])
def test_inbox_texts_are_written_from_codes_at_reading_time(app, code, params, expected):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        written = inbox_text(code, params, "Lena Berg")
    assert expected in written and "%(" not in written


def test_every_kind_has_an_inbox_text_that_fills_in(app):
    params = {"reference": "SIP-X", "starts_at": "2026-03-12T09:00:00+00:00", "date": "2026-03-12", "days": 2,
              "number": 3, "as": "person"}
    with app.test_request_context(headers={"Accept-Language": "en"}):
        for code in KINDS:
            written = inbox_text(code, params, "Lena Berg")
            assert written and "%(" not in written and "Your SIP has been updated" not in written, code


def test_a_page_whose_address_does_not_fit_is_passed_over_for_the_next_one(app, case, client, auth, monkeypatch):
    from flask import Blueprint

    from webapp.models import RelativeLink, Role
    from webapp.services import notification_targets

    feature = Blueprint("feature", __name__)
    feature.add_url_rule("/feature/meetings/<int:id>", "show", lambda id: "wrong argument name")
    feature.add_url_rule("/feature/meetings", "index", lambda: "all meetings")
    app.register_blueprint(feature)
    monkeypatch.setitem(notification_targets.TARGETS, ("meeting", Role.CITIZEN),
                        [("feature.show", "meeting_id", "meeting_id"), ("feature.index", None, None)])
    _meetings(app, case, 1)
    with app.app_context():
        link_id = db.session.query(RelativeLink.id).filter_by(relative_id=user("erik").id).scalar()
    record(app, events.RELATIVE_ACCEPTED, actor="erik", person="anna", link_id=link_id)
    auth.login("anna")
    meeting_message, relative_message = _ids(app, "anna")
    assert client.get(f"/notifications/{meeting_message}").headers["Location"] == "/feature/meetings"
    assert client.get(f"/notifications/{relative_message}").headers["Location"] == "/relatives"
