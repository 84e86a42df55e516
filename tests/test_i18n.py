"""Which language a page is served in, its lang and dir, and the language switcher."""
from __future__ import annotations

import pytest

from tests.helpers import html_attr


def _lang_dir(response):
    html = response.get_data(as_text=True)
    return html_attr(html, "html", "lang"), html_attr(html, "html", "dir")


def test_swedish_is_the_default(client):
    assert _lang_dir(client.get("/")) == ("sv", "ltr")


def test_accept_language_is_honoured(client):
    assert _lang_dir(client.get("/", headers={"Accept-Language": "ar,en;q=0.5"})) == ("ar", "rtl")
    assert _lang_dir(client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})) == ("en", "ltr")
    assert _lang_dir(client.get("/", headers={"Accept-Language": "de"})) == ("sv", "ltr")


def test_the_switcher_beats_accept_language_and_returns_to_the_page(client):
    response = client.post("/language", data={"lang-language": "ar", "next": "/about"},
                           headers={"Accept-Language": "en"})
    assert response.status_code == 303 and response.headers["Location"] == "/about"
    assert _lang_dir(client.get("/about", headers={"Accept-Language": "en"})) == ("ar", "rtl")


def test_the_switcher_ignores_unknown_languages_and_foreign_next(client):
    response = client.post("/language", data={"lang-language": "xx", "next": "https://evil.example"})
    assert response.headers["Location"] == "/"
    assert _lang_dir(client.get("/")) == ("sv", "ltr")


def test_the_saved_language_of_the_account_comes_first(client, auth, demo):
    auth.login("omar", english=False)  # Omar prefers Arabic
    assert _lang_dir(client.get("/account", headers={"Accept-Language": "en"})) == ("ar", "rtl")


def test_the_switcher_saves_the_choice_of_a_logged_in_user(app, client, auth, demo):
    from webapp.extensions import db
    from webapp.models import User

    auth.login("anna", english=False)
    client.post("/language", data={"lang-language": "ar", "next": "/account"})
    assert _lang_dir(client.get("/account", headers={"Accept-Language": "en"})) == ("ar", "rtl")
    with app.app_context():
        assert db.session.get(User, demo["anna"].id).language == "ar"


def test_language_names_are_shown_in_their_own_language(client):
    html = client.get("/login", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<option value="sv" lang="sv" selected>Svenska</option>' not in html  # English page: en selected
    assert '<option value="sv" lang="sv">Svenska</option>' in html
    assert '<option value="ar" lang="ar">العربية</option>' in html
    assert '<option value="en" lang="en" selected>English</option>' in html


def test_the_switcher_is_on_error_pages_too(client):
    html = client.get("/missing", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert 'action="/language"' in html
    assert html_attr(html, "html", "dir") == "rtl"


def test_swedish_and_arabic_catalogues_translate_the_interface(client):
    sv = client.get("/login").get_data(as_text=True)
    assert "Logga in" in sv
    ar = client.get("/login", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert "تسجيل الدخول" in ar


def test_the_switcher_offers_ten_languages_each_in_its_own_name_and_script(client):
    html = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    for code, name in (("sv", "Svenska"), ("en", "English"), ("ar", "العربية"), ("fa", "فارسی"),
                       ("so", "Soomaali"), ("ti", "ትግርኛ"), ("fi", "Suomi"), ("pl", "Polski"),
                       ("uk", "Українська"), ("bs", "Bosanski")):
        assert f'lang="{code}"' in html and f">{name}</option>" in html, code
    assert '<option value="sv-easy" lang="sv">Lättläst svenska</option>' in html


@pytest.mark.parametrize("code, direction", [("fa", "rtl"), ("ar", "rtl"), ("ti", "ltr"), ("uk", "ltr")])
def test_every_language_gets_its_direction(client, code, direction):
    client.post("/language", data={"lang-language": code, "next": "/"})
    assert _lang_dir(client.get("/")) == (code, direction)


def test_easy_to_read_swedish_is_chosen_like_a_language(app, client, auth, demo):
    client.post("/language", data={"lang-language": "sv-easy", "next": "/about"})
    page = client.get("/about").get_data(as_text=True)
    assert _lang_dir(client.get("/about")) == ("sv", "ltr")
    assert "Du kanske får hjälp av kommunen." in page
    assert '<option value="sv-easy" lang="sv" selected>' in page
    # Elsewhere the interface is plain Swedish; switching back ends the easy-to-read pages.
    assert "Logga in" in client.get("/login").get_data(as_text=True)
    client.post("/language", data={"lang-language": "sv", "next": "/about"})
    assert "Du kanske får hjälp av kommunen." not in client.get("/about").get_data(as_text=True)
    # A logged-in user choosing it keeps Swedish as the account's language.
    auth.login("omar", english=False)
    client.post("/language", data={"lang-language": "sv-easy", "next": "/about"})
    from webapp.extensions import db
    from webapp.models import User

    with app.app_context():
        assert db.session.get(User, demo["omar"].id).language == "sv"
    assert "Du kanske får hjälp av kommunen." in client.get("/about").get_data(as_text=True)


@pytest.mark.parametrize("code", ["sv", "en", "ar", "fa", "so", "ti", "fi", "pl", "uk", "bs"])
def test_lists_are_written_in_every_language_whatever_the_style(app, code):
    from flask_babel import force_locale

    from webapp.views.template_context import format_list

    with app.test_request_context(), force_locale(code):
        for style in ("standard", "unit", "or"):
            assert "b" in format_list(["a", "b", "c"], style=style)
