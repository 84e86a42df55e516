"""Arabic and Tigrinya in a real browser: axe finds nothing serious on the person's and the
professional's pages, Arabic is mirrored, Ethiopic script gets its shipped font, and screenshots at
390 px show it (written to ``a11y-screenshots/``; the committed ones are in ``docs/screenshots/``)."""
from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, login
from tests.browser.test_my_plan import fits_320, karin  # noqa: F401 - fixture

SHOTS = Path(__file__).resolve().parents[2] / "a11y-screenshots"


def _switch(page, base_url, language: str) -> None:
    page.goto(base_url + "/")
    page.select_option("#lang-language", language)
    page.click(".language-switcher button")
    page.wait_for_load_state()


def _script_is_right(page, language: str) -> None:
    html = page.locator("html")
    expect(html).to_have_attribute("lang", language)
    expect(html).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")
    brand = page.locator(".brand").bounding_box()
    mirrored = brand["x"] > page.viewport_size["width"] / 2
    assert mirrored == (language == "ar"), page.url
    if language == "ti":
        page.evaluate("() => document.fonts.ready")
        assert page.evaluate("() => document.fonts.check('16px \"Min SIP Ethiopic\"', 'ሰላም')"), page.url
        assert page.evaluate(
            "() => [...document.fonts].some(f => f.family.includes('Min SIP Ethiopic') && f.status === 'loaded')")


@pytest.mark.parametrize("language", ["ar", "ti"])
def test_the_persons_pages_in_arabic_and_tigrinya(page, base_url, karin, language):
    login(page, base_url, karin["who"])
    _switch(page, base_url, language)
    SHOTS.mkdir(exist_ok=True)
    reference = karin["reference"]
    pages = {
        "home": "/",
        "plan": f"/sips/{reference}/plan",
        "plan-waiting": f"/sips/{reference}/plan/waiting",
        "meetings": "/meetings",
        "consent": f"/sips/{reference}/consent",
        "documents": f"/sips/{reference}/documents",
        "request-form": "/ask/purpose",
        "contacts": "/contacts",
        "messages": "/notifications",
    }
    for name, path in pages.items():
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(base_url + path)
        assert page.locator("main").count() == 1, path
        _script_is_right(page, language)
        assert_accessible(page)
        fits_320(page)
        if name in ("home", "plan", "request-form"):
            page.screenshot(path=str(SHOTS / f"{name}-{language}-390.png"), full_page=True)


@pytest.mark.parametrize("language", ["ar", "ti"])
def test_the_workspace_and_the_login_and_error_pages_in_arabic_and_tigrinya(page, base_url, language):
    _switch(page, base_url, language)
    for path in ("/login", "/register", "/about", "/no-such-page"):
        page.goto(base_url + path)
        _script_is_right(page, language)
        assert page.locator("#lang-language").count() == 1, path  # the switcher is on every page
        assert_accessible(page)
    login(page, base_url, "sara", english=False)
    _switch(page, base_url, language)
    for path in ("/work/", "/notifications", "/account"):
        page.goto(base_url + path)
        _script_is_right(page, language)
        assert_accessible(page)
