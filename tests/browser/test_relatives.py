"""Relatives in Chromium: invite by link and QR code, open the link in a second browser, register,
come back and accept; the person removes the relative in one step. Checked with axe-core."""
from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, login
from tests.browser.test_consent import check
from tests.consent_fixtures import make_citizen, make_sip


@pytest.fixture
def person(live_server):
    slug = uuid.uuid4().hex[:8]
    app = live_server.app
    person_id = make_citizen(app, "Karin Persson", f"karin-{slug}@example.org")
    reference = f"SIP-{slug[:4].upper()}-{slug[4:6].upper()}"
    sip_id = make_sip(app, person_id, reference)
    return {"who": f"karin-{slug}", "slug": slug, "reference": reference, "sip": sip_id}


def test_invite_a_relative_who_registers_and_accepts_then_remove_them(page, base_url, person, browser,
                                                                      browser_context_args):
    login(page, base_url, person["who"])
    page.goto(f"{base_url}/relatives")
    check(page)
    page.get_by_role("link", name="Invite a relative").click()
    check(page)
    page.fill("#label", "Maria, my neighbour")
    page.get_by_label("See the plan and meetings").check()
    page.get_by_role("button", name="Make the invitation link").click()
    expect(page.locator("h1")).to_have_text("Invitation for Maria, my neighbour")
    expect(page.locator("img.qr")).to_be_visible()
    assert page.evaluate("() => document.querySelector('img.qr').naturalWidth") > 0
    check(page)
    link = page.locator("#invitation-link").input_value()
    assert "/join/" in link

    # The relative, in a browser of their own, opens the link, registers and accepts.
    context = browser.new_context(**browser_context_args)
    relative = context.new_page()
    relative.goto(link)
    expect(relative.locator("h1")).to_contain_text("Karin Persson")
    assert_accessible(relative)
    relative.click("main a[href=\"/register\"]")  # the page is still in Swedish here
    relative.fill("#name", "Maria Holm")
    relative.fill("#email", f"maria-{person['slug']}@example.org")
    relative.fill("#password", "mossy granite lanterns")
    relative.select_option("#language", "en")
    relative.click("main button[type=submit]")
    expect(relative.locator("h1")).to_have_text("Karin Persson invites you to follow along")
    check(relative)
    relative.get_by_role("button", name="Accept and follow Karin Persson").click()
    expect(relative.locator(".flash--success")).to_contain_text("You now follow Karin Persson.")
    expect(relative.locator("main")).to_contain_text(f"Consent for {person['reference']}")
    check(relative)
    relative.get_by_role("link", name=f"Consent for {person['reference']}").click()
    expect(relative.locator("h1")).to_have_text(f"Consent for {person['reference']}")
    check(relative)

    # The person sees Maria and removes her in one step; Maria's very next request shows nothing.
    page.goto(f"{base_url}/relatives")
    expect(page.locator("main")).to_contain_text("Maria Holm")
    check(page)
    page.get_by_role("link", name="Change what Maria Holm may do").click()
    check(page)
    page.goto(f"{base_url}/relatives")
    page.get_by_role("button", name="Remove Maria Holm").click()
    expect(page.locator(".flash--success")).to_contain_text("Maria Holm is removed")
    response = relative.goto(f"{base_url}/sips/{person['reference']}/consent")
    assert response.status == 404
    relative.goto(f"{base_url}/following")
    expect(relative.locator("main")).to_contain_text("You do not follow anyone.")
    context.close()


def test_privacy_pages_are_accessible(page, base_url):
    login(page, base_url, "anna")
    for path in ("/privacy", "/privacy/access-log", "/privacy/my-data", "/relatives"):
        page.goto(base_url + path)
        check(page)
    page.goto(f"{base_url}/privacy/my-data")
    page.get_by_role("button", name="Delete my account").click()     # nothing typed: refused, explained
    expect(page.locator(".error-summary")).to_be_focused()
    check(page)
    page.locator(".site-nav .link-button").click()                   # log out
    page.wait_for_url(base_url + "/")
    login(page, base_url, "erik")
    page.goto(f"{base_url}/following")
    check(page)
