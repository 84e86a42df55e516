"""Subscribing a browser: the JSON endpoints, the CSRF token, the allow-list, renewal by the worker."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.helpers import text
from tests.notification_fixtures import _no_demo_notifications, app, push_service, user, vapid  # noqa: F401 - fixtures
from webapp.extensions import db
from webapp.models import PushSubscription
from webapp.services import push

CHROME_ANDROID = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0 Mobile Safari/537.36"


def _rows(app):
    with app.app_context():
        return [(row.user_id, row.endpoint, row.label) for row in
                db.session.scalars(sa.select(PushSubscription).order_by(PushSubscription.id))]


def test_a_logged_in_user_subscribes_this_browser(app, client, auth, demo, push_service):
    sub = push_service.subscription()
    auth.login("anna")
    response = client.post("/notifications/push/subscriptions", json=sub.info, headers={"User-Agent": CHROME_ANDROID})
    assert response.status_code == 201
    with app.app_context():
        anna = user("anna").id
    assert _rows(app) == [(anna, sub.endpoint, "Chrome/Android")]
    page = text(client.get("/notifications/settings"))
    assert "Notifications are on for this device." in page and "Chrome on Android" in page
    # The same browser again: still one row.
    assert client.post("/notifications/push/subscriptions", json=sub.info).status_code == 201
    assert len(_rows(app)) == 1


def test_a_shared_browser_belongs_to_whoever_turned_it_on_last(app, client, auth, demo, push_service):
    sub = push_service.subscription()
    auth.login("anna")
    client.post("/notifications/push/subscriptions", json=sub.info)
    auth.logout()
    auth.login("erik")
    client.post("/notifications/push/subscriptions", json=sub.info)
    with app.app_context():
        assert [row[0] for row in _rows(app)] == [user("erik").id]


@pytest.mark.parametrize("endpoint", [
    "https://evil.example/push/1",
    "https://fcm.googleapis.com.evil.example/fcm/send/1",
    "http://fcm.googleapis.com/fcm/send/1",
    "https://fcm.googleapis.com:8443/fcm/send/1",
    "https://user:pw@fcm.googleapis.com/fcm/send/1",
    "https://169.254.169.254/latest/meta-data",
    "ftp://updates.push.services.mozilla.com/wpush/v2/1",
    "not a url",
])
def test_a_push_service_off_the_allow_list_is_refused(app, client, auth, demo, push_service, endpoint):
    info = {**push_service.subscription().info, "endpoint": endpoint}
    auth.login("anna")
    response = client.post("/notifications/push/subscriptions", json=info)
    assert response.status_code == 422
    assert "not one we can send to" in response.get_json()["error"]
    assert _rows(app) == []


@pytest.mark.parametrize("endpoint", [
    "https://fcm.googleapis.com/fcm/send/abc:def",
    "https://updates.push.services.mozilla.com/wpush/v2/gAAAA",
    "https://web.push.apple.com/QGx8",
    "https://wns2-db5p.notify.windows.com/w/?token=BQYA",
])
def test_the_browsers_push_services_are_allowed(app, endpoint):
    with app.app_context():
        assert push.endpoint_allowed(endpoint)


def test_loopback_only_when_the_setting_allows_it_and_the_list_is_configurable(make_app, vapid):
    strict = make_app(**vapid, PUSH_ALLOWED_HOSTS=("push.example.org",))
    with strict.app_context():
        assert not push.endpoint_allowed("http://127.0.0.1:8080/push/1")
        assert not push.endpoint_allowed("http://localhost/push/1")
        assert push.endpoint_allowed("https://push.example.org/x")
        assert not push.endpoint_allowed("https://fcm.googleapis.com/fcm/send/1")
        assert not push.endpoint_allowed("https://push.apple.com/x")  # "*." needs a subdomain


@pytest.mark.parametrize("keys", [
    {"p256dh": "not-a-key", "auth": "AAAAAAAAAAAAAAAAAAAAAA"},
    {"p256dh": "BAAA", "auth": "AAAAAAAAAAAAAAAAAAAAAA"},
    {"auth": "AAAAAAAAAAAAAAAAAAAAAA"},
    None,
])
def test_a_subscription_with_bad_keys_is_refused(app, client, auth, demo, push_service, keys):
    info = {**push_service.subscription().info}
    if keys is None:
        info.pop("keys")
    else:
        info["keys"] = keys
    auth.login("anna")
    response = client.post("/notifications/push/subscriptions", json=info)
    assert response.status_code == 400
    assert response.get_json()["error"] == "This browser sent a subscription we cannot read."


def test_a_wrong_auth_secret_length_is_refused(app, client, auth, demo, push_service):
    info = push_service.subscription().info
    info["keys"]["auth"] = "AAAA"
    auth.login("anna")
    assert client.post("/notifications/push/subscriptions", json=info).status_code == 400


def test_subscribing_needs_a_login(app, client, demo, push_service):
    assert client.post("/notifications/push/subscriptions", json=push_service.subscription().info).status_code == 401


def test_subscribing_needs_push_keys(make_app, demo, push_service):
    plain = make_app(PUSH_ALLOW_LOOPBACK=True)
    client = plain.test_client()
    client.post("/login", data={"email": "anna@example.org", "password": "sip-demo-password"})
    response = client.post("/notifications/push/subscriptions", json=push_service.subscription().info,
                           headers={"Accept-Language": "en"})
    assert response.status_code == 409


def test_the_csrf_token_travels_in_a_header(make_app, vapid, demo, push_service):
    protected = make_app(**vapid, PUSH_ALLOW_LOOPBACK=True, WTF_CSRF_ENABLED=True)
    client = protected.test_client()
    login = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login).group(1)
    client.post("/login", data={"email": "anna@example.org", "password": "sip-demo-password", "csrf_token": token})
    page = client.get("/notifications/settings").get_data(as_text=True)
    token = re.search(r'data-csrf="([^"]+)"', page).group(1)
    info = push_service.subscription().info
    assert client.post("/notifications/push/subscriptions", json=info).status_code == 400
    assert client.post("/notifications/push/subscriptions", json=info, headers={"X-CSRFToken": token}).status_code == 201
    assert client.delete("/notifications/push/subscriptions", json={"endpoint": info["endpoint"]}).status_code == 400
    assert client.delete("/notifications/push/subscriptions", json={"endpoint": info["endpoint"]},
                         headers={"X-CSRFToken": token}).status_code == 204


def test_unsubscribing_in_the_browser_deletes_only_ones_own(app, client, auth, demo, push_service):
    annas, eriks = push_service.subscription(), push_service.subscription()
    auth.login("erik")
    client.post("/notifications/push/subscriptions", json=eriks.info)
    auth.logout()
    auth.login("anna")
    client.post("/notifications/push/subscriptions", json=annas.info)
    assert client.delete("/notifications/push/subscriptions", json={"endpoint": eriks.endpoint}).status_code == 204
    assert len(_rows(app)) == 2
    assert client.delete("/notifications/push/subscriptions", json={"endpoint": annas.endpoint}).status_code == 204
    assert [row[1] for row in _rows(app)] == [eriks.endpoint]
    assert "Notifications are off for this device." in text(client.get("/notifications/settings"))


def test_the_worker_renews_a_subscription_with_the_old_ones_secret(app, client, auth, demo, push_service):
    old, new = push_service.subscription(), push_service.subscription()
    auth.login("anna")
    client.post("/notifications/push/subscriptions", json=old.info, headers={"User-Agent": CHROME_ANDROID})
    auth.logout()  # the session has ended long before the push service changed the subscription
    body = {"old": {"endpoint": old.endpoint, "auth": old.info["keys"]["auth"]}, "subscription": new.info}
    response = client.post("/notifications/push/renew", json=body)
    assert response.status_code == 201
    with app.app_context():
        assert _rows(app) == [(user("anna").id, new.endpoint, "Chrome/Android")]


def test_a_renewal_without_proof_is_refused(app, client, demo, push_service):
    old, new = push_service.subscription(), push_service.subscription()
    with app.app_context():
        push.subscribe(user("anna"), old.info)
    wrong = {"old": {"endpoint": old.endpoint, "auth": "AAAAAAAAAAAAAAAAAAAAAA"}, "subscription": new.info}
    assert client.post("/notifications/push/renew", json=wrong).status_code == 404
    assert client.post("/notifications/push/renew", json={"old": None, "subscription": new.info}).status_code == 404
    assert client.post("/notifications/push/renew", data="x").status_code == 415
    assert client.post("/notifications/push/renew", json=[1]).status_code == 400
    assert [row[1] for row in _rows(app)] == [old.endpoint]


def test_a_logged_in_renewal_without_the_old_subscription(app, client, auth, demo, push_service):
    new = push_service.subscription()
    auth.login("erik")
    assert client.post("/notifications/push/renew", json={"old": None, "subscription": new.info}).status_code == 201
    with app.app_context():
        assert [row[0] for row in _rows(app)] == [user("erik").id]


def test_a_renewal_to_a_host_off_the_allow_list_is_refused(app, client, demo, push_service):
    old = push_service.subscription()
    with app.app_context():
        push.subscribe(user("anna"), old.info)
    evil = {**push_service.subscription().info, "endpoint": "https://evil.example/x"}
    body = {"old": {"endpoint": old.endpoint, "auth": old.info["keys"]["auth"]}, "subscription": evil}
    assert client.post("/notifications/push/renew", json=body).status_code == 422
    assert [row[1] for row in _rows(app)] == [old.endpoint]


@pytest.mark.parametrize(("agent", "label"), [
    (CHROME_ANDROID, "Chrome/Android"),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Version/17.5 Mobile/15E148 Safari/604.1",
     "Safari/iPhone"),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/128.0 Safari/537.36 Edg/128.0",
     "Edge/Windows"),
    ("Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0", "Firefox/Linux"),
    ("", "/"),
])
def test_devices_are_named_from_the_user_agent(agent, label):
    assert push.device_label(agent) == label


def test_keys_that_do_not_belong_together_turn_push_off(make_app, vapid, caplog):
    _other_private, other_public = push.generate_keys()
    broken = make_app(**{**vapid, "VAPID_PUBLIC_KEY": other_public})
    with broken.app_context():
        assert not push.is_configured() and push.public_key() == ""
    assert "does not belong" in caplog.text
    for bad in ({"VAPID_PRIVATE_KEY": "x!"}, {"VAPID_SUBJECT": "drift@example.org"}):
        with make_app(**{**vapid, **bad}).app_context():
            assert not push.is_configured()
