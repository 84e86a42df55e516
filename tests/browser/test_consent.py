"""Consent in Chromium: give it (form, summary, confirm), withdraw it by keyboard alone; every page
checked with axe-core at 390 px and for sideways scrolling at 320 px."""
from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, login
from tests.consent_fixtures import link_relative, make_citizen, make_sip


def fits_320(page) -> None:
    """At 320 px wide the page does not scroll sideways."""
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 640})
    width = page.evaluate("() => document.documentElement.scrollWidth")
    page.set_viewport_size(size)
    assert width <= 320, (page.url, width)


def check(page) -> None:
    assert_accessible(page)
    fits_320(page)


@pytest.fixture
def person(live_server):
    """A new person with a SIP and a relative, in English, so that each test starts afresh."""
    slug = uuid.uuid4().hex[:8]
    app = live_server.app
    person_id = make_citizen(app, "Karin Persson", f"karin-{slug}@example.org")
    bo_id = make_citizen(app, "Bo Persson", f"bo-{slug}@example.org")
    reference = f"SIP-{slug[:4].upper()}-{slug[4:6].upper()}"
    sip_id = make_sip(app, person_id, reference, purpose="Help at home after my fall")
    link_relative(app, person_id, bo_id)
    return {"who": f"karin-{slug}", "reference": reference, "sip": sip_id}


def test_give_consent_with_a_summary_before_confirming(page, base_url, person):
    login(page, base_url, person["who"])
    page.goto(f"{base_url}/sips/{person['reference']}/consent")
    check(page)
    page.get_by_role("link", name="Give consent").click()
    expect(page.locator("h1")).to_have_text("Give consent")
    expect(page.locator("#purpose")).to_have_value("Help at home after my fall")
    check(page)
    # A date more than a year ahead is refused, next to the field and in the summary at the top.
    page.fill("#valid_until", "2099-01-01")
    page.get_by_role("button", name="Continue to the summary").click()
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator("#valid_until-error")).to_contain_text("Consent lasts at most one year")
    check(page)
    page.locator("#valid_until").fill("")
    page.get_by_role("button", name="Continue to the summary").click()
    expect(page.locator("#valid_until-error")).to_contain_text("Enter the date the consent ends.")
    max_date = page.locator("#valid_until").get_attribute("max")
    page.fill("#valid_until", max_date)
    page.get_by_label("Bo Persson").check()
    page.fill("#not_agreed", "My finances")
    page.get_by_role("button", name="Continue to the summary").click()
    expect(page.locator("h1")).to_have_text("Check your consent")
    expect(page.locator("main")).to_contain_text("My finances")
    expect(page.locator("main")).to_contain_text("Bo Persson")
    check(page)
    page.get_by_role("button", name="Confirm and give consent").click()
    expect(page.locator(".flash--success")).to_contain_text("Your consent is given.")
    expect(page.locator("main")).to_contain_text("Your consent is in force until")
    expect(page.locator(".timeline__item")).to_have_count(1)
    check(page)


def test_withdraw_consent_by_keyboard_in_one_confirmation(page, base_url, person, live_server):

    from webapp.extensions import db
    from webapp.models import Sip, User
    from webapp.services import consent

    with live_server.app.test_request_context():
        sip = db.session.get(Sip, person["sip"])
        consent.give(db.session.get(User, sip.person_id), sip, consent.ConsentTerms(
            purpose="Help at home", organisation_ids=[r.organisation_id for r in sip.recipients],
            valid_until=consent.latest_end(consent.clock.today())))
    login(page, base_url, person["who"])
    page.goto(f"{base_url}/sips/{person['reference']}/consent")
    page.get_by_role("link", name="Withdraw consent").focus()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Withdraw your consent?")
    check(page)
    page.get_by_role("button", name="Withdraw consent").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".flash--success")).to_contain_text("Your consent is withdrawn.")
    expect(page.locator("main")).to_contain_text("You withdrew your consent on")
    expect(page.locator(".timeline__item")).to_have_count(2)
    check(page)


def test_annas_consent_and_home_page_are_accessible(page, base_url):
    login(page, base_url, "anna")
    check(page)
    page.goto(f"{base_url}/sips/SIP-7KQ4-M2/consent")
    expect(page.locator(".timeline__item")).to_have_count(3)
    check(page)
    page.goto(f"{base_url}/sips/SIP-7KQ4-M2/consent/change")
    check(page)


def test_the_consent_history_mirrors_in_arabic(page, base_url):
    login(page, base_url, "omar", english=False)  # Omar's account is in Arabic
    page.goto(f"{base_url}/relatives")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    check(page)


def test_giving_consent_works_by_keyboard_alone(page, base_url, person):
    login(page, base_url, person["who"])
    page.goto(f"{base_url}/sips/{person['reference']}/consent/give")
    page.locator("#purpose").focus()
    seen = []
    for _ in range(30):                                   # Tab through the form to its button
        page.keyboard.press("Tab")
        seen.append(page.evaluate("() => document.activeElement.id || document.activeElement.textContent.trim()"))
        if seen[-1] == "Continue to the summary":
            break
    assert seen[-1] == "Continue to the summary", seen
    assert {"organisation_ids-0", "organisation_ids-1", "not_agreed", "relative_ids-0", "valid_until"} <= set(seen)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Check your consent")
    page.get_by_role("button", name="Confirm and give consent").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".flash--success")).to_contain_text("Your consent is given.")


def test_a_closed_sip_and_a_dead_link_explain_themselves_accessibly(page, base_url, person, live_server):
    from webapp.extensions import db
    from webapp.models import Sip, SipStatus

    with live_server.app.app_context():
        db.begin_write()
        db.session.get(Sip, person["sip"]).status = SipStatus.CLOSED
        db.session.commit()
    login(page, base_url, person["who"])
    page.goto(f"{base_url}/sips/{person['reference']}/consent/give")
    expect(page.locator("main")).to_contain_text("This SIP is closed.")
    check(page)
    page.goto(f"{base_url}/join/no-such-invitation")
    expect(page.locator("h1")).to_have_text("The link does not work")
    check(page)
