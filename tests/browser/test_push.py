"""Notifications in Chromium: the inbox and settings pages (axe, keyboard, 320 px), the subscribe
button up to the browser's permission, and the service worker's push and notificationclick handlers."""
from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from tests.browser.conftest import LiveServer, assert_accessible, login
from tests.conftest import TEST_SETTINGS, _fresh_database_url
from tests.notification_fixtures import anna_case, book_meeting, build, record, user
from tests.push_service import PushService
from webapp import create_app
from webapp.extensions import db
from webapp.models import Notification, PushSubscription, Sip
from webapp.services import clock, events, push, push_delivery


@pytest.fixture(scope="module")
def vapid_keys():
    private, public = push.generate_keys()
    return {"VAPID_PRIVATE_KEY": private, "VAPID_PUBLIC_KEY": public, "VAPID_SUBJECT": "mailto:drift@example.org"}


@pytest.fixture(scope="module")
def push_server(database_template, tmp_path_factory, vapid_keys):
    """The app as ``make run`` serves it (CSRF on, demo data), with web push set up."""
    url = _fresh_database_url(database_template, tmp_path_factory.mktemp("push-live"))
    settings = {**TEST_SETTINGS, "DATABASE_URL": url, "WTF_CSRF_ENABLED": True, "TESTING": False,
                "PUSH_ALLOW_LOOPBACK": True, **vapid_keys}
    settings.pop("SERVER_NAME")
    app = create_app(settings)
    with app.app_context():
        from webapp.services import demo

        demo.seed()
    server = LiveServer(app).start()
    yield server
    server.stop()
    app.extensions["minsip_db"]["engine"].dispose()


@pytest.fixture(scope="module")
def case(push_server):
    """Anna's SIP, with three meetings booked and announced: three unread messages for Anna."""
    app = push_server.app
    case = build(app, anna_case)
    for days in (3, 4, 5):
        def _book(days=days):
            sip = db.session.get(Sip, case.sip_id)
            return book_meeting(sip, clock.now() + timedelta(days=days), user("sara"), [user("anna")]).id
        record(app, events.MEETING_BOOKED, case, actor="sara", meeting_id=build(app, _book))
    return case


@pytest.fixture
def push_service(vapid_keys):
    with PushService(vapid_keys["VAPID_PUBLIC_KEY"]) as service:
        yield service


def _unread(app, short="anna"):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(Notification.id)).where(
            Notification.user_id == user(short).id, Notification.read_at.is_(None)))


def login_en(page, base_url, who="anna"):
    """Log in and switch the account to English: the tests read the source texts."""
    login(page, base_url, who)
    page.select_option("#lang-language", "en")
    page.click(".language-switcher button")
    page.wait_for_load_state()


def _service_worker_ready(page):
    assert page.evaluate("() => navigator.serviceWorker.ready.then(r => Boolean(r.active))")
    return page.context.service_workers[0]


@pytest.mark.parametrize("path", ["/notifications", "/notifications/settings"])
def test_the_pages_are_accessible_and_fit_a_small_phone(page, push_server, case, path):
    login_en(page, push_server.url, "anna")
    page.goto(push_server.url + path)
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(push_server.url + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page)


def test_the_inbox_in_arabic_is_mirrored_and_accessible(page, push_server, case):
    login(page, push_server.url, "omar", english=False)  # Omar's account is in Arabic
    page.goto(push_server.url + "/notifications")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert_accessible(page)


def test_messages_are_read_with_the_keyboard(page, push_server, case):
    app = push_server.app
    login_en(page, push_server.url, "anna")
    page.goto(push_server.url + "/notifications")
    before = _unread(app)
    assert before >= 1
    expect(page.locator(".site-nav .nav-count")).to_contain_text(f"({before}")
    page.locator(".message-list a").first.focus()
    page.keyboard.press("Enter")  # opening a message reads it, and goes to its page
    page.wait_for_url(re.compile(re.escape(push_server.url) + r"/meetings/\d+$"))  # the meeting's page (issue 6)
    assert _unread(app) == before - 1
    page.goto(push_server.url + "/notifications")
    button = page.get_by_role("button", name="Mark all as read")
    button.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".flashes")).to_contain_text("All messages are marked as read.")
    assert _unread(app) == 0
    expect(page.locator(".site-nav .nav-count")).to_have_count(0)


def test_the_permission_is_asked_only_when_the_button_is_pressed_and_a_refusal_is_explained(page, push_server, case):
    login_en(page, push_server.url, "anna")
    page.goto(push_server.url + "/notifications/settings")
    _service_worker_ready(page)
    assert page.evaluate("() => Notification.permission") == "default"  # nothing asked on load
    page.get_by_role("button", name="Turn on notifications on this device").click()
    # Headless Chromium refuses a permission nobody granted: the page says what to do.
    expect(page.locator("[data-push-status]")).to_contain_text("Your browser blocks notifications from Min SIP.")
    assert page.evaluate("() => Notification.permission") == "denied"


def test_with_permission_but_no_reachable_push_service_the_page_says_it_failed(page, push_server, case):
    page.context.grant_permissions(["notifications"], origin=push_server.url)
    login_en(page, push_server.url, "anna")
    page.goto(push_server.url + "/notifications/settings")
    _service_worker_ready(page)
    page.get_by_role("button", name="Turn on notifications on this device").click()
    expect(page.locator("[data-push-status]")).to_contain_text("Notifications could not be turned on.")
    expect(page.get_by_role("button", name="Turn on notifications on this device")).to_be_enabled()


def test_a_browser_without_push_is_told_so(page, push_server, case):
    page.add_init_script("delete window.PushManager;")
    login_en(page, push_server.url, "anna")
    page.goto(push_server.url + "/notifications/settings")
    expect(page.locator("[data-push-status]")).to_contain_text("This browser cannot show notifications")
    expect(page.get_by_role("button", name="Turn on notifications on this device")).to_be_hidden()


# The browser's own subscription needs its vendor's push service, which these machines cannot reach:
# the page gets a subscription made by the local push service instead (a real key pair and secret).
FAKE_PUSH = """
(() => {
  const info = %s;
  const key = 'test-push-subscribed';
  const made = () => ({
    endpoint: info.endpoint, expirationTime: null, toJSON: () => info,
    unsubscribe: () => { localStorage.removeItem(key); return Promise.resolve(true); }
  });
  PushManager.prototype.subscribe = function (options) {
    localStorage.setItem(key, JSON.stringify(Array.from(new Uint8Array(options.applicationServerKey))));
    return Promise.resolve(made());
  };
  PushManager.prototype.getSubscription = function () {
    return Promise.resolve(localStorage.getItem(key) ? made() : null);
  };
})();
"""


def test_subscribe_receive_a_push_and_open_it(page, push_server, case, push_service, vapid_keys):
    app, base = push_server.app, push_server.url
    phone = push_service.subscription()
    page.add_init_script(FAKE_PUSH % json.dumps(phone.info))
    page.context.grant_permissions(["notifications"], origin=base)
    login_en(page, base, "anna")
    page.goto(base + "/notifications/settings")
    _service_worker_ready(page)
    page.get_by_role("button", name="Turn on notifications on this device").click()
    # The subscription was posted with the CSRF token (the live server checks it) and the page reloaded.
    expect(page.locator(".flashes")).to_contain_text("Notifications are on for this device.")
    expect(page.locator(".device-list li")).to_have_count(1)
    expect(page.get_by_role("button", name="Turn off notifications on this device")).to_be_visible()
    key = bytes(json.loads(page.evaluate("() => localStorage.getItem('test-push-subscribed')")))
    assert push.b64url(key) == vapid_keys["VAPID_PUBLIC_KEY"]
    with app.app_context():
        assert db.session.scalars(sa.select(PushSubscription.user_id).where(
            PushSubscription.endpoint == phone.endpoint)).one() == user("anna").id

    # Something happens: the server sends the push to the (local) push service...
    def _book():
        sip = db.session.get(Sip, case.sip_id)
        return book_meeting(sip, clock.now() + timedelta(days=6), user("sara"), [user("anna")]).id
    record(app, events.MEETING_BOOKED, case, actor="sara", meeting_id=build(app, _book))
    with app.app_context():
        assert push_delivery.send_due()["sent"] == 1
    assert push_service.errors == []
    payload = push_service.payloads(phone)[0]

    # ... which hands it to the browser: a real push event in the service worker.
    cdp = page.context.new_cdp_session(page)
    registrations = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda e: registrations.extend(e["registrations"]))
    cdp.send("ServiceWorker.enable")
    page.wait_for_timeout(300)
    cdp.send("ServiceWorker.deliverPushMessage", {"origin": base, "registrationId": registrations[0]["registrationId"],
                                                  "data": json.dumps(payload)})
    shown = []
    for _ in range(50):
        shown = page.evaluate("""() => navigator.serviceWorker.ready.then(r => r.getNotifications())
            .then(ns => ns.map(n => ({title: n.title, body: n.body, lang: n.lang, dir: n.dir, tag: n.tag,
                                      url: n.data && n.data.url})))""")
        if shown:
            break
        page.wait_for_timeout(100)
    assert shown == [{"title": "Min SIP", "body": "You have a new meeting invitation", "lang": "en", "dir": "ltr",
                      "tag": payload["tag"],
                      "url": base + payload["url"]}]

    # Tapping it opens the page it is about in the open window, and the message is read.
    unread = _unread(app)
    worker = page.context.service_workers[0]
    worker.evaluate("""async () => {
        const [notification] = await self.registration.getNotifications();
        const event = new Event('notificationclick');
        let done = null;
        Object.defineProperty(event, 'notification', { value: notification });
        Object.defineProperty(event, 'waitUntil', { value: (promise) => { done = promise; } });
        self.dispatchEvent(event);   /* the worker's own handler runs */
        await done;
    }""")
    # Through /notifications/<id>, which reads it, to the meeting's own page (issue 6).
    page.wait_for_url(re.compile(re.escape(base) + r"/meetings/\d+$"))
    assert _unread(app) == unread - 1
    assert page.evaluate("() => navigator.serviceWorker.ready.then(r => r.getNotifications()).then(ns => ns.length)") == 0

    # Turning it off unsubscribes the browser and deletes the subscription on the server.
    page.goto(base + "/notifications/settings")
    page.get_by_role("button", name="Turn off notifications on this device").click()
    expect(page.locator(".flashes")).to_contain_text("Notifications are off for this device.")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(PushSubscription.id)).where(
            PushSubscription.endpoint == phone.endpoint)) == 0


def test_the_worker_renews_the_subscription_when_the_push_service_changes_it(page, push_server, case, push_service):
    app, base = push_server.app, push_server.url
    phone, renewed = push_service.subscription(), push_service.subscription()
    page.add_init_script(FAKE_PUSH % json.dumps(phone.info))
    page.context.grant_permissions(["notifications"], origin=base)
    login_en(page, base, "anna")
    page.goto(base + "/notifications/settings")
    _service_worker_ready(page)
    page.get_by_role("button", name="Turn on notifications on this device").click()
    expect(page.locator(".flashes")).to_contain_text("Notifications are on for this device.")
    page.wait_for_timeout(300)  # the page has told the worker which subscription this browser has
    page.get_by_role("button", name="Log out").first.click()  # the session is over long before the change
    page.wait_for_load_state()
    # The browser says the subscription changed and gives no old one (as Chrome often does): the worker
    # proves the change with the subscription the page told it about.
    worker = page.context.service_workers[0]
    worker.evaluate("""async (fresh) => {
        const event = new Event('pushsubscriptionchange');
        let done = null;
        Object.defineProperty(event, 'oldSubscription', { value: null });
        Object.defineProperty(event, 'newSubscription', { value: { toJSON: () => fresh } });
        Object.defineProperty(event, 'waitUntil', { value: (promise) => { done = promise; } });
        self.dispatchEvent(event);
        await done;
    }""", renewed.info)
    with app.app_context():
        rows = db.session.execute(sa.select(PushSubscription.endpoint, PushSubscription.user_id)).all()
        assert (renewed.endpoint, user("anna").id) in rows and phone.endpoint not in [row[0] for row in rows]
