"""A meeting booked in Chromium by keyboard: Sara books a SIP meeting for a SIP with consent, books the
interpreter the request asked for, and records an external contact's answer, seeing it at a glance.
Every page is checked with axe-core at 390 px and for sideways scrolling at 320 px."""
from __future__ import annotations

import uuid

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, login
from tests.browser.test_consent import fits_320
from tests.consent_fixtures import make_citizen, make_sip
from tests.factories import give_consent
from webapp.extensions import db
from webapp.models import Contact, InterpreterMode, InterpreterRequest, Sector, Sip
from webapp.services import clock


def check(page) -> None:
    assert_accessible(page)
    fits_320(page)


def _sip_with_consent(app) -> str:
    slug = uuid.uuid4().hex[:8]
    person = make_citizen(app, "Karin Persson", f"karin-{slug}@example.org")
    reference = f"SIP-{slug[:4].upper()}-{slug[4:6].upper()}"
    sip_id = make_sip(app, person, reference, purpose="Help at home after my fall")
    with app.app_context():
        db.begin_write()
        sip = db.session.get(Sip, sip_id)
        db.session.add(InterpreterRequest(sip_id=sip_id, language="ar", mode=InterpreterMode.ON_SITE))
        db.session.add(Contact(owner_id=person, name="Maja Ek", role_title="Kurator", sector=Sector.OTHER,
                               organisation_name="Stödcentrum", phone="+46701112233", created_at=clock.now(),
                               updated_at=clock.now()))
        db.session.commit()
        give_consent(sip)
    return reference


def _tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until ``selector`` has the focus, as a keyboard user would."""
    target = page.locator(selector)
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{selector} never got the focus")


def test_sara_books_a_meeting_with_an_interpreter_by_keyboard_and_records_an_answer(page, base_url, live_server):
    reference = _sip_with_consent(live_server.app)
    login(page, base_url, "sara")
    page.goto(f"{base_url}/work/sips/{reference}/meetings/new")
    expect(page.locator("h1")).to_have_text("Book a SIP meeting")
    expect(page.locator("#purpose")).to_have_value("Help at home after my fall")
    check(page)

    # A meeting longer than an hour is refused, and what was typed stays.
    _tab_to(page, "#duration_minutes")
    page.keyboard.press("Control+A")
    page.keyboard.type("90")
    _tab_to(page, "#address")
    page.keyboard.type("Storvägen 3, Haninge")
    page.keyboard.press("Enter")
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator("#duration_minutes-error")).to_contain_text("A SIP meeting takes 15 to 60 minutes.")
    expect(page.locator("#address")).to_have_value("Storvägen 3, Haninge")
    check(page)

    page.locator("#duration_minutes").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("45")
    _tab_to(page, "label:has-text('Maja Ek') >> xpath=preceding-sibling::input")
    page.keyboard.press("Space")
    _tab_to(page, "label:has-text('Lena Berg') >> xpath=preceding-sibling::input")
    page.keyboard.press("Space")
    _tab_to(page, "button:has-text('Book the meeting')")
    page.keyboard.press("Enter")
    expect(page.locator(".flash, [role=status]").first).to_contain_text("The meeting is booked")
    expect(page.locator(".meeting-interpreter")).to_contain_text("Asked for, not booked yet: Arabic.")
    check(page)

    # The interpreter: language and mode come from the request.
    page.get_by_role("link", name="Book the interpreter").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#language")).to_have_value("ar")
    check(page)
    _tab_to(page, "#agency")
    page.keyboard.type("Tolkservice AB")
    _tab_to(page, "#booking_reference")
    page.keyboard.type("TS-4711")
    _tab_to(page, "#confirmed")
    page.keyboard.press("Space")
    _tab_to(page, "button:has-text('Save the booking')")
    page.keyboard.press("Enter")
    expect(page.locator(".meeting-interpreter")).to_contain_text("Booked and confirmed: Arabic.")

    # Maja answered by phone: she sends someone else. Sara records it and sees it at a glance.
    page.get_by_role("link", name="Record the answer of Maja Ek").focus()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("The answer of Maja Ek")
    check(page)
    _tab_to(page, "input[value=accepted]")       # a radio group: Tab reaches it, the arrows choose
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(page.locator("input[value=substitute]")).to_be_checked()
    _tab_to(page, "#substitute_name")
    page.keyboard.type("Per Ek")
    _tab_to(page, "button:has-text('Record the answer')")
    page.keyboard.press("Enter")
    expect(page.locator(".answers-glance")).to_contain_text("Sends someone else: 1")
    expect(page.locator(".answers-list")).to_contain_text("Per Ek comes instead.")
    check(page)
