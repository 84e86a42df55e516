"""The public pages, logging in and switching language, in Chromium, checked with axe-core."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, login

PUBLIC_PAGES = ["/", "/about", "/accessibility", "/login", "/register", "/offline?lang=sv", "/no-such-page"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_are_accessible(page, base_url, path):
    page.goto(base_url + path)
    assert_accessible(page)


@pytest.mark.parametrize("path", ["/", "/login", "/about"])
def test_public_pages_are_accessible_in_arabic_and_mirrored(page, base_url, path):
    page.goto(base_url + "/")
    page.select_option("#lang-language", "ar")
    page.click(".language-switcher button")
    page.goto(base_url + path)
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    assert_accessible(page)
    # Mirrored: the brand sits at the right edge in a right-to-left page.
    brand = page.locator(".brand").bounding_box()
    assert brand["x"] > page.viewport_size["width"] / 2


def test_a_narrow_screen_does_not_scroll_sideways(page, base_url):
    page.set_viewport_size({"width": 320, "height": 640})
    for path in ("/", "/login", "/register", "/about"):
        page.goto(base_url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, (path, width)


def test_text_enlarged_to_200_percent_still_fits(page, base_url):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(base_url + "/login")
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_log_in_by_keyboard_only_and_log_out(page, base_url):
    page.goto(base_url + "/login")
    page.keyboard.press("Tab")  # the skip link comes first
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    page.locator("#email").focus()
    page.keyboard.type("anna@example.org")
    page.keyboard.press("Tab")
    page.keyboard.type("sip-demo-password")
    page.keyboard.press("Enter")
    page.wait_for_url(base_url + "/")
    expect(page.locator("h1")).to_contain_text("Anna Andersson")
    assert_accessible(page)
    page.goto(base_url + "/account")
    assert_accessible(page)
    page.locator(".site-nav .link-button").click()
    page.wait_for_url(base_url + "/")
    expect(page.locator(".site-nav")).to_contain_text("Logga in")


def test_a_wrong_password_shows_the_error_summary_focused(page, base_url):
    page.goto(base_url + "/login")
    page.fill("#email", "anna@example.org")
    page.fill("#password", "not the password")
    page.click("main button[type=submit]")
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator("#email")).to_have_value("anna@example.org")
    assert_accessible(page)


def test_register_page_errors_are_accessible(page, base_url):
    page.goto(base_url + "/register")
    page.fill("#name", "Test Person")
    page.fill("#email", "bad@")
    page.fill("#password", "short")
    page.click("main button[type=submit]")
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("#name")).to_have_value("Test Person")
    assert_accessible(page)


def test_the_admin_pages_are_accessible(page, base_url):
    login(page, base_url, "admin")
    for path in ("/admin", "/admin/organisations", "/admin/organisations/new", "/admin/staff", "/admin/staff/new"):
        page.goto(base_url + path)
        assert_accessible(page)


def wait_for_service_worker(page) -> None:
    """Wait until the service worker is active and controls the page (reloading once if needed).

    ``page.evaluate`` runs through the DevTools protocol, which the page's CSP does not block.
    """
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    if not page.evaluate("() => navigator.serviceWorker.controller !== null"):
        page.reload()
    assert page.evaluate("() => navigator.serviceWorker.controller !== null")


def test_the_service_worker_takes_control_and_the_offline_page_shows_when_offline(page, context, base_url):
    page.goto(base_url + "/about")
    wait_for_service_worker(page)
    manifest = page.evaluate("fetch('/manifest.webmanifest').then(r => r.json())")
    assert manifest["display"] == "standalone"
    context.set_offline(True)
    page.goto(base_url + "/account")
    expect(page.locator("h1")).to_have_text("Du är offline")
    context.set_offline(False)


@pytest.mark.parametrize("path", ["/", "/login", "/about", "/no-such-page"])
def test_dark_mode_keeps_enough_contrast(page, base_url, path):
    page.emulate_media(color_scheme="dark")
    page.goto(base_url + path)
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(18, 22, 21)"
    assert_accessible(page)


def test_reduced_motion_is_respected(page, base_url):
    page.emulate_media(reduced_motion="reduce")
    page.goto(base_url + "/")
    duration = page.evaluate("getComputedStyle(document.querySelector('.button')).transitionDuration")
    assert duration in ("0s", "1e-05s")
