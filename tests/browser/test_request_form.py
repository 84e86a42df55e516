"""Asking for a SIP in Chromium: the whole form by keyboard only, on a phone, axe-core on every page;
the request page, the queue and the "without delay" notice."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, login


def _tab_to(page, selector: str, limit: int = 120) -> None:
    """Press Tab until ``selector`` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"never reached {selector} with Tab on {page.url}")


def _continue(page, next_path: str) -> None:
    _tab_to(page, "main form.question-form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(next_path) + r"$"))
    assert_accessible(page)


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"], page.url


def test_the_whole_request_form_by_keyboard_only(page, base_url):
    login(page, base_url, "anna")
    page.goto(base_url + "/ask/")
    assert_accessible(page)
    _tab_to(page, "main a[href='/ask/for_whom']")
    page.keyboard.press("Enter")
    page.wait_for_url(base_url + "/ask/for_whom")
    assert_accessible(page)

    _tab_to(page, "#choice-0")            # myself
    page.keyboard.press("Space")
    _continue(page, "/ask/purpose")

    # An empty answer: the error summary takes the focus, and is accessible.
    _tab_to(page, "main form.question-form button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator(".error-summary")).to_be_focused()
    assert_accessible(page)
    _tab_to(page, "#purpose")
    page.keyboard.type("Jag vill att hemtjänsten och vårdcentralen pratar med varandra.")
    _continue(page, "/ask/start")

    _tab_to(page, "#path-0")              # need seen at home
    page.keyboard.press("Space")
    _continue(page, "/ask/organisations")

    _tab_to(page, "#ids-0")
    page.keyboard.press("Space")
    _continue(page, "/ask/contacts")

    _tab_to(page, "#ids-0")
    page.keyboard.press("Space")
    _continue(page, "/ask/place")

    _tab_to(page, "#place-0")             # at home
    page.keyboard.press("Space")
    _continue(page, "/ask/interpreter")

    _tab_to(page, "#needed-0")            # yes
    page.keyboard.press("Space")
    _continue(page, "/ask/interpreter_details")

    _tab_to(page, "#language")            # her own language (English) is chosen for her; she changes it
    page.keyboard.press("Home")           # the list's start: "Choose a language"
    page.keyboard.press("ArrowDown")      # the first language: Swedish Sign Language
    expect(page.locator("#language")).to_have_value("swl")
    _tab_to(page, "#mode-0")
    page.keyboard.press("ArrowDown")      # by phone
    expect(page.locator("#mode-1")).to_be_checked()
    _continue(page, "/ask/accessibility")

    _tab_to(page, "#needs-0")             # hearing loop
    page.keyboard.press("Space")
    _continue(page, "/ask/check")

    # Going back from "check your answers" keeps the answers.
    _tab_to(page, "main a[href='/ask/purpose?from=check']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/ask/purpose\?from=check$"))
    expect(page.locator("#purpose")).to_have_value("Jag vill att hemtjänsten och vårdcentralen pratar med varandra.")
    _continue(page, "/ask/check")

    main = page.locator("main")
    expect(main).to_contain_text("Jag vill att hemtjänsten")
    _tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/requests/SIP-[2-9A-Z]{4}-[2-9A-Z]{2}/receipt$"))
    expect(page.locator(".reference")).to_have_text(re.compile(r"^SIP-[2-9A-Z]{4}-[2-9A-Z]{2}$"))
    assert_accessible(page)

    _tab_to(page, "main a.button--primary")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/requests/SIP-[2-9A-Z]{4}-[2-9A-Z]{2}$"))
    expect(page.locator(".timeline")).to_be_visible()
    assert_accessible(page)
    _no_sideways_scroll(page)


def test_form_pages_fit_a_320_pixel_screen(page, base_url):
    page.set_viewport_size({"width": 320, "height": 640})
    login(page, base_url, "erik")
    page.goto(base_url + "/ask/for_whom")
    _no_sideways_scroll(page)
    page.check("#choice-2")  # someone without an account
    page.click("main form button[type=submit]")
    page.wait_for_url(base_url + "/ask/about_them")
    assert_accessible(page)
    _no_sideways_scroll(page)
    for path in ("/ask/", "/requests", "/requests/SIP-E4RK-2B"):
        page.goto(base_url + path)
        _no_sideways_scroll(page)
        assert_accessible(page)


def test_the_without_delay_notice_in_arabic(page, base_url):
    login(page, base_url, "omar", english=False)
    page.goto(base_url + "/requests/SIP-H3RA-9P")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    notice = page.locator(".without-delay")
    expect(notice).to_be_visible()
    expect(notice.locator("a[href^='tel:']")).to_have_attribute("href", "tel:+4686067000")
    assert_accessible(page)
    _no_sideways_scroll(page)
    page.goto(base_url + "/requests/SIP-H3RA-9P/withdraw")
    assert_accessible(page)


def test_the_persons_list_and_request_page(page, base_url):
    login(page, base_url, "anna")
    page.goto(base_url + "/requests")
    expect(page.locator("main")).to_contain_text("SIP-7KQ4-M2")
    assert_accessible(page)
    page.goto(base_url + "/requests/SIP-7KQ4-M2")
    assert_accessible(page)


def test_the_organisations_queue(page, base_url):
    login(page, base_url, "sara")
    page.goto(base_url + "/")
    page.locator("main a[href='/work/']").click()
    page.wait_for_url(base_url + "/work/")
    expect(page.locator("main")).to_contain_text("SIP-H3RA-9P")
    assert_accessible(page)
    _no_sideways_scroll(page)
    page.locator("main a[href='/work/sips/SIP-H3RA-9P']").click()
    page.wait_for_url(base_url + "/work/sips/SIP-H3RA-9P")
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(base_url + "/work/")
    _no_sideways_scroll(page)
