"""The person's side in Chromium on a phone: open the plan, approve the waiting version, download the
PDF and the .ics, report a missed meeting, save the plan for offline use and read it with the network
cut, log out and find the saved copy gone. Every page checked with axe-core at 390 px and for
sideways scrolling at 320 px."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, login
from tests.consent_fixtures import make_citizen, make_sip
from tests.factories import give_consent
from tests.my_sip_fixtures import book, first_version, second_version
from webapp.extensions import db
from webapp.models import MeetingKind, Sip


def fits_320(page) -> None:
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 640})
    width = page.evaluate("() => document.documentElement.scrollWidth")
    page.set_viewport_size(size)
    assert width <= 320, (page.url, width)


def check(page) -> None:
    assert_accessible(page)
    fits_320(page)


@pytest.fixture
def karin(live_server):
    """A new person (English) with a consented SIP: a meeting two hours ago, version 1 approved,
    version 2 waiting, and a follow-up in ten days; built the way staff build them."""
    app = live_server.app
    slug = uuid.uuid4().hex[:8]
    person_id = make_citizen(app, "Karin Persson", f"karin-{slug}@example.org")
    reference = f"SIP-{slug[:4].upper()}-{slug[4:6].upper()}"
    sip_id = make_sip(app, person_id, reference, purpose="Help at home after my fall")
    now = datetime.now(UTC)
    follow_up_on = (now + timedelta(days=30)).date()
    app.config["CLOCK"] = lambda: now - timedelta(hours=3)  # so that the past meeting could be booked
    try:
        with app.test_request_context():
            sip = db.session.get(Sip, sip_id)
            give_consent(sip)
            past = book(sip, now - timedelta(hours=2), with_erik=False)
            first_version(sip, past, follow_up_on=follow_up_on)
            ahead = book(sip, now + timedelta(days=10), kind=MeetingKind.FOLLOW_UP, purpose="Follow up the plan",
                         with_erik=False)
            second_version(sip, follow_up_on=follow_up_on)
            ids = {"past": past.id, "ahead": ahead.id}
    finally:
        app.config.pop("CLOCK")
    return {"who": f"karin-{slug}", "reference": reference, **ids}


def test_plan_approval_documents_missed_meeting_and_the_offline_copy(page, context, base_url, karin):
    plan = f"{base_url}/sips/{karin['reference']}/plan"
    login(page, base_url, karin["who"])
    check(page)                                                   # the home page
    expect(page.locator(".task--approve_plan")).to_be_visible()

    page.goto(plan)
    expect(page.locator("h1")).to_have_text("Your plan")
    expect(page.locator(".plan-responsible")).to_contain_text("Sara Lind")
    check(page)
    page.locator(".notice a[href$='/plan/waiting']").click()
    expect(page.locator(".change--changed")).to_contain_text("how often: from “Every day” to “Twice a day”")
    expect(page.locator(".change--added")).to_contain_text("Physiotherapy for balance")
    check(page)
    page.locator("a[href$='/plan/waiting/approve']").click()
    check(page)
    page.locator("form[action$='/plan/waiting/approve'] button[type=submit]").click()
    expect(page.locator(".flash--success")).to_contain_text("Version 2 is now your plan.")
    expect(page.locator(".plan-group--municipality")).to_contain_text("Twice a day")

    with page.expect_download() as pdf:
        page.locator("a[href$='/plan/plan.pdf']").click()
    assert Path(pdf.value.path()).read_bytes().startswith(b"%PDF-")
    page.goto(f"{plan}/print")
    check(page)
    page.goto(f"{plan}/versions/1")
    expect(page.locator(".not-in-force")).to_contain_text("This version is not in force.")
    check(page)

    page.goto(f"{base_url}/meetings/{karin['ahead']}")
    check(page)
    page.get_by_label("Yes, I will come").check()
    page.locator("form[action$='/answer'] button[type=submit]").click()
    expect(page.locator(".flash--success")).to_contain_text("Your answer is sent")
    with page.expect_download() as ics:
        page.locator("a[href$='/meeting.ics']").click()
    [event] = Calendar.from_ical(Path(ics.value.path()).read_bytes()).walk("VEVENT")
    assert event["DTSTART"].params["TZID"] == "Europe/Stockholm" and len(event.walk("VALARM")) == 2

    page.goto(f"{base_url}/meetings/{karin['past']}")
    page.locator(f"a[href$='/meetings/{karin['past']}/missed']").click()
    check(page)
    page.locator("main form button.button--primary").click()                 # nothing chosen: told what to do
    expect(page.locator(".error-summary")).to_be_focused()
    check(page)
    page.get_by_label("Nobody came").check()
    page.locator("#description").fill("I waited at home all morning.")
    page.locator("main form button.button--primary").click()
    expect(page.locator(".report-status")).to_contain_text("Sent")
    expect(page.locator("#complaint-sv")).to_have_attribute("lang", "sv")
    expect(page.locator("#complaint-sv")).to_contain_text("I waited at home all morning.")
    check(page)

    page.goto(f"{base_url}/meetings/{karin['past']}/feedback")
    check(page)
    for name in ("listened_to", "knows_who_is_responsible", "knows_what_happens_next", "understood_everything",
                 "overall"):
        page.locator(f"#{name}-3").check()
    page.locator("main form button.button--primary").click()
    expect(page.locator(".flash--success")).to_be_visible()
    page.goto(f"{base_url}/calendar")
    check(page)
    page.goto(f"{base_url}/meetings")
    check(page)

    # Save the plan on the phone, then read it with the network cut.
    page.goto(plan)
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.goto(plan)                                                   # now controlled by the worker
    button = page.locator("[data-save-button]")
    expect(button).to_be_visible()
    button.click()
    expect(page.locator("[data-save-status]")).to_have_text("Saved on this phone. You can read it without internet.")
    assert "minsip-saved-v1" in page.evaluate("() => caches.keys()")
    context.set_offline(True)
    try:
        page.goto(plan)
        expect(page.locator(".saved-banner")).to_contain_text("Saved on this phone on")
        expect(page.locator(".plan-group--municipality")).to_contain_text("Twice a day")
        assert page.locator("form").count() == 0
        check(page)
        page.goto(f"{base_url}/meetings")                            # not saved: the offline page
        expect(page.locator("h1")).to_contain_text("offline")
    finally:
        context.set_offline(False)

    page.goto(plan)
    page.locator(".site-nav .link-button").click()                   # log out
    page.wait_for_url(f"{base_url}/")
    keys = page.evaluate("() => caches.keys()")
    assert not [key for key in keys if key.startswith("minsip-saved-")], keys
    context.set_offline(True)
    try:
        page.goto(plan)
        expect(page.locator("h1")).to_contain_text("offline")       # the copy is gone from the phone
    finally:
        context.set_offline(False)


def test_the_contact_map_can_be_saved_too_and_a_relative_reads_the_plan(page, base_url, karin):
    login(page, base_url, "anna")
    page.goto(f"{base_url}/contacts")
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.goto(f"{base_url}/contacts")
    page.locator("[data-save-button]").click()
    expect(page.locator("[data-save-status]")).not_to_be_empty()
    assert "minsip-saved-v1" in page.evaluate("() => caches.keys()")
    page.goto(f"{base_url}/contacts/saved")
    check(page)
