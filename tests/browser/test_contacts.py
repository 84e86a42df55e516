"""The contact map on a phone: the picture, the list, the form, the print view; axe-core on each."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, login


def _no_sideways_scroll(page) -> None:
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def test_the_contact_map_on_a_phone(page, base_url):
    login(page, base_url, "anna")
    page.goto(base_url + "/contacts")
    assert_accessible(page)
    svg = page.locator("svg.contact-map__svg")
    expect(svg).to_be_visible()
    box = svg.bounding_box()
    assert box["width"] <= 390 and box["width"] > 300  # drawn at about 1:1 on a phone
    # The picture's text is readable: its names at 13 px or more on screen.
    size = page.evaluate("() => document.querySelector('.contact-map__name').getBoundingClientRect().height")
    assert size >= 13
    # Tapping a contact in the picture calls them.
    link = page.locator("svg a[href='tel:+4687778120']").first
    expect(link).to_have_attribute("tabindex", "-1")
    # The list by sector is the full equivalent, with a heading per sector.
    expect(page.get_by_role("heading", name="Hälso- och sjukvård i regionen").or_(
        page.locator("#sector-region_health"))).to_be_visible()
    expect(page.locator(".contact-list a[href='tel:+4687778120']")).to_be_visible()
    _no_sideways_scroll(page)


def test_the_contact_map_at_320_pixels(page, base_url):
    page.set_viewport_size({"width": 320, "height": 640})
    login(page, base_url, "anna")
    for path in ("/contacts", "/contacts/new", "/contacts/print"):
        page.goto(base_url + path)
        _no_sideways_scroll(page)
    page.goto(base_url + "/contacts")
    assert_accessible(page)


def test_add_a_contact_on_a_phone_with_errors_first(page, base_url):
    login(page, base_url, "erik")
    page.goto(base_url + "/contacts/new")
    assert_accessible(page)
    page.fill("#name", "Doktor Svensson")
    page.fill("#phone", "12")
    page.fill("#next_meeting_at", "2030-05-04T10:15")
    page.click("main button[type=submit]")
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator("#phone")).to_have_value("12")
    expect(page.locator("#name")).to_have_value("Doktor Svensson")
    assert_accessible(page)
    _no_sideways_scroll(page)
    page.fill("#phone", "08-123 456 78")
    page.check("#sector-0")
    page.fill("#organisation", "Vendelsö vårdcentral")
    page.click("main button[type=submit]")
    page.wait_for_url(base_url + "/contacts")
    expect(page.locator(".contact-list")).to_contain_text("Doktor Svensson")
    expect(page.locator("svg.contact-map__svg")).to_contain_text("Doktor Svensson")
    assert_accessible(page)


def test_remove_needs_a_confirmation(page, base_url):
    login(page, base_url, "erik")
    page.goto(base_url + "/contacts/new")
    page.fill("#name", "Tillfällig kontakt")
    page.check("#sector-9")
    page.click("main button[type=submit]")
    page.wait_for_url(base_url + "/contacts")
    page.locator(".contact-card", has_text="Tillfällig kontakt").locator("a[href$='/remove']").click()
    assert_accessible(page)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(base_url + "/contacts")
    expect(page.locator(".contact-list", has_text="Tillfällig kontakt")).to_have_count(0)


def test_the_print_view_hides_the_page_furniture(page, base_url):
    login(page, base_url, "anna")
    page.goto(base_url + "/contacts/print")
    assert_accessible(page)
    expect(page.locator("[data-print]")).to_be_visible()  # the script shows the print button
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    expect(page.locator("[data-print]")).to_be_hidden()
    expect(page.locator("svg.contact-map__svg")).to_be_visible()
    pdf = page.pdf(format="A4")
    assert pdf[:4] == b"%PDF"
