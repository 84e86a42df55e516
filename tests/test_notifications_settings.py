"""The notification settings: each kind on or off for the inbox and for push, the kinds that cannot
be turned off, the devices, and the page when push is not set up."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.helpers import text
from tests.notification_fixtures import (  # noqa: F401 - fixtures
    _no_demo_notifications,
    anna_case,
    app,
    book_meeting,
    build,
    give_consent,
    push_service,
    record,
    subscribe,
    told,
    user,
    vapid,
)
from webapp.extensions import db
from webapp.models import ConsentAction, NotificationPreference, PushDelivery, PushSubscription, Sip
from webapp.services import clock, events


@pytest.fixture
def case(app, demo, clock):
    return build(app, anna_case)


def _book(app, case):
    def _make():
        sip = db.session.get(Sip, case.sip_id)
        return book_meeting(sip, clock.now() + timedelta(days=3), user("sara"), [user("anna")]).id
    record(app, events.MEETING_BOOKED, case, actor="sara", meeting_id=build(app, _make))


def _all_on(app, short):
    """The form as it comes back with every box ticked, for ``short``'s kinds."""
    from webapp.services import notifications

    with app.test_request_context():
        return {f"prefs-{channel}_{p.kind.code}": "y" for p in notifications.preferences(user(short))
                for channel in ("inbox", "push")}


def test_the_settings_list_the_kinds_of_the_users_side_with_the_ones_that_cannot_be_turned_off(app, client, auth, demo):
    auth.login("anna")
    page = client.get("/notifications/settings")
    body, html = text(page), page.get_data(as_text=True)
    assert page.status_code == 200
    assert "A meeting is booked" in body and "A plan waits for approval" in body
    assert "A missed meeting is reported" not in body  # a professional's kind
    assert "Always sent, so that nobody comes to a meeting that will not take place." in body
    assert "Always sent: it changes who may see your information." in body
    assert 'checked disabled id="prefs-inbox_meeting_cancelled"' in html
    assert 'aria-describedby="reason-meeting_cancelled"' in html
    assert "Turn on notifications on this device" in body
    assert "js/push.js" in html  # only here, as a file: no inline script
    auth.logout()
    auth.login("sara")
    body = text(client.get("/notifications/settings"))
    assert "A missed meeting is reported" in body and "A plan waits for approval" not in body


def test_push_js_is_loaded_only_on_the_settings_page(app, client, auth, demo):
    auth.login("anna")
    assert "js/push.js" not in client.get("/notifications").get_data(as_text=True)
    assert "js/push.js" not in client.get("/").get_data(as_text=True)


def test_turning_a_kind_off_for_the_inbox_and_push(app, case, client, auth, push_service):
    subscribe(app, "anna", push_service)
    auth.login("anna")
    form = _all_on(app, "anna")
    del form["prefs-inbox_meeting_booked"], form["prefs-push_meeting_booked"]
    response = client.post("/notifications/settings", data=form)
    assert response.status_code == 303
    assert "Your choices are saved." in text(client.get(response.headers["Location"]))
    _book(app, case)
    assert "anna" not in told(app)
    with app.app_context():
        row = db.session.scalars(sa.select(NotificationPreference).where(
            NotificationPreference.kind == "meeting_booked")).one()
        assert (row.inbox, row.push) == (False, False)
    page = client.get("/notifications/settings").get_data(as_text=True)
    assert 'id="prefs-inbox_meeting_booked" name="prefs-inbox_meeting_booked" type="checkbox" value="y">' in page


def test_push_only_keeps_the_message_out_of_the_inbox(app, case, client, auth, push_service):
    subscribe(app, "anna", push_service)
    auth.login("anna")
    form = _all_on(app, "anna")
    del form["prefs-inbox_meeting_booked"]
    client.post("/notifications/settings", data=form)
    _book(app, case)
    assert told(app)["anna"][0]["_inbox"] is False
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(PushDelivery.id))) == 1
    assert "No messages yet." in text(client.get("/notifications"))


def test_inbox_only_sends_no_push(app, case, client, auth, push_service):
    subscribe(app, "anna", push_service)
    auth.login("anna")
    form = _all_on(app, "anna")
    del form["prefs-push_meeting_booked"]
    client.post("/notifications/settings", data=form)
    _book(app, case)
    assert told(app)["anna"][0]["_inbox"] is True
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(PushDelivery.id))) == 0


def test_consent_withdrawn_and_meeting_cancelled_cannot_be_turned_off(app, case, client, auth):
    auth.login("erik")
    client.post("/notifications/settings", data={})  # every box unticked
    with app.app_context():
        kinds = set(db.session.scalars(sa.select(NotificationPreference.kind).where(
            NotificationPreference.user_id == user("erik").id)))
    assert "consent_withdrawn" not in kinds and "meeting_cancelled" not in kinds and "meeting_booked" in kinds
    build(app, lambda: give_consent(db.session.get(Sip, case.sip_id), ["Haninge kommun"],
                                    action=ConsentAction.WITHDRAW))
    record(app, events.CONSENT_WITHDRAWN, case, actor="anna")
    assert told(app)["erik"][0]["_kind"] == "consent_withdrawn"


def test_the_devices_are_listed_and_can_be_removed(app, client, auth, demo, clock, push_service):
    subscribe(app, "anna", push_service)
    subscribe(app, "erik", push_service)
    auth.login("anna")
    page = text(client.get("/notifications/settings"))
    assert "Firefox on Android" in page and "Added March 2, 2026" in page
    with app.app_context():
        annas, eriks = (db.session.scalars(sa.select(PushSubscription.id).where(
            PushSubscription.user_id == user(short).id)).one() for short in ("anna", "erik"))
    assert client.post(f"/notifications/devices/{eriks}/remove").status_code == 404
    response = client.post(f"/notifications/devices/{annas}/remove")
    assert response.status_code == 303
    page = text(client.get(response.headers["Location"]))
    assert "The device is removed." in page and "No devices get notifications yet." in page
    with app.app_context():
        assert db.session.scalars(sa.select(PushSubscription.user_id)).all() == [user("erik").id]


def test_without_push_keys_the_page_says_push_is_not_available(make_app, demo):
    plain = make_app()
    client = plain.test_client()
    client.post("/login", data={"email": "anna@example.org", "password": "sip-demo-password"})
    client.post("/language", data={"lang-language": "en", "next": "/"})
    page = client.get("/notifications/settings")
    body, html = text(page), page.get_data(as_text=True)
    assert "Notifications on phones and computers are not available on this service yet" in body
    assert "Turn on notifications" not in body and "js/push.js" not in html
    assert "prefs-push_" not in html and "prefs-inbox_meeting_booked" in html
    # Saving the inbox choices leaves the push choices alone.
    client.post("/notifications/settings", data={"prefs-inbox_meeting_moved": "y"})
    with plain.app_context():
        row = db.session.scalars(sa.select(NotificationPreference).where(
            NotificationPreference.kind == "meeting_moved")).one()
        assert (row.inbox, row.push) == (True, True)


def test_the_service_worker_carries_the_public_key_only_when_push_is_configured(app, make_app, client, vapid):
    body = client.get("/sw.js").get_data(as_text=True)
    assert f'const PUSH_PUBLIC_KEY = "{vapid["VAPID_PUBLIC_KEY"]}";' in body
    for handler in ("'push'", "'notificationclick'", "'pushsubscriptionchange'"):
        assert f"self.addEventListener({handler}" in body
    assert "VAPID_PRIVATE_KEY" not in body and vapid["VAPID_PRIVATE_KEY"] not in body
    assert 'const PUSH_PUBLIC_KEY = "";' in make_app().test_client().get("/sw.js").get_data(as_text=True)
