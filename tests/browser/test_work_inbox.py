"""The professional's inbox and case page in Chromium, by keyboard alone: Sara filters the inbox,
opens a new request, acknowledges it and records the consent the person gave orally. axe-core on every
page, at 390 px and at 320 px wide.

A fresh request (sent to Haninge kommun like Omar's) keeps the demo's own requests as other browser
tests expect them.
"""
from __future__ import annotations

import uuid

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, login
from tests.consent_fixtures import make_citizen, make_sip
from webapp.models import SipStatus


def _check(page) -> None:
    assert_accessible(page)
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 640})
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert_accessible(page)
    page.set_viewport_size(size)
    assert width <= 320, (page.url, width)


def _tab_to(page, name: str, limit: int = 120) -> None:
    """Press Tab until the element named ``name`` (its text, or its id) has the focus."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        seen.append(page.evaluate(
            "() => (document.activeElement.textContent || '').trim().replace(/\\s+/g, ' ') || document.activeElement.id"))
        if seen[-1] == name or seen[-1].startswith(name + " "):
            return
    raise AssertionError(f"{name!r} never got the focus: {seen}")


def test_sara_acknowledges_a_request_and_records_oral_consent_by_keyboard(page, base_url, live_server):
    slug = uuid.uuid4().hex[:6].upper()
    reference = f"SIP-{slug[:4]}-{slug[4:]}"
    person = make_citizen(live_server.app, "Karin Persson", f"karin-{slug.lower()}@example.org")
    make_sip(live_server.app, person, reference, organisations=("Haninge kommun",), status=SipStatus.SENT,
             purpose="Hjälp hemma efter mitt fall")
    login(page, base_url, "sara")
    page.goto(base_url + "/work/")
    _check(page)

    _tab_to(page, "New")
    page.keyboard.press("Enter")
    page.wait_for_url(base_url + "/work/?show=new")
    expect(page.locator("nav.filters a[aria-current=page]")).to_contain_text("New")
    expect(page.locator("main tbody")).to_contain_text(reference)
    expect(page.locator("main tbody")).to_contain_text("SIP-H3RA-9P")
    expect(page.locator("main tbody")).not_to_contain_text("SIP-7KQ4-M2")
    _check(page)

    _tab_to(page, reference)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base_url}/work/sips/{reference}")
    expect(page.locator("h1")).to_have_text(f"SIP {reference}")
    _check(page)

    _tab_to(page, "Acknowledge the request")
    page.keyboard.press("Enter")
    expect(page.locator(".flash--success")).to_contain_text("Acknowledged.")
    expect(page.locator(".case-people")).to_contain_text("by Sara Lind")
    _check(page)

    _tab_to(page, "Record consent given orally or on paper")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base_url}/work/sips/{reference}/consent")
    expect(page.locator("#method-0")).to_be_checked()          # orally, the usual way
    expect(page.locator("#organisation_ids-0")).to_be_checked()  # the organisation the request went to
    _check(page)
    _tab_to(page, "note")
    page.keyboard.type("Sagt vid hembesöket")
    _tab_to(page, "Record the consent")
    page.keyboard.press("Enter")
    expect(page.locator(".flash--success")).to_contain_text("The consent is recorded.")
    expect(page.locator("main")).to_contain_text("Orally, recorded by Sara Lind")
    _check(page)
