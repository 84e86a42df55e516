"""Every page and every document renders in every language: no error, and the page says which
language and direction it is in (issue 8)."""
from __future__ import annotations

import re

import pytest

from tests.my_sip_fixtures import anna_world  # noqa: F401 - fixture
from tests.security_walk import get_urls
from webapp import i18n
from webapp.config import LANGUAGES

#: Who walks the pages: nobody, the person, a professional in the consent, an administrator (a relative
#: reads the same pages as the person).
WALKERS = [None, "anna", "sara", "admin"]
#: Pages that are not the app's own HTML in a language: files, feeds, the health check.
NOT_PAGES = re.compile(r"\.(ics|vcf|json|js|webmanifest|css|png|svg|woff2)$|^/(healthz|ping|static/)")


@pytest.mark.slow
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_and_document_renders_in_every_language(app, client, auth, anna_world, language):
    expected = f'<html lang="{language}" dir="{i18n.text_direction(language)}"'
    seen_pdf = set()
    for who in WALKERS:
        client.post("/logout")
        if who:
            assert auth.login(who, english=False).status_code == 303
        client.post("/language", data={"lang-language": language, "next": "/"})
        for url in get_urls(app):
            if NOT_PAGES.search(url.split("?")[0]) or url in seen_pdf:
                continue  # a document is rendered once per language, by the first who may read it
            response = client.get(url)
            assert response.status_code < 500, (who, url, response.status_code)
            if response.mimetype == "text/html" and not 300 <= response.status_code < 400:
                body = response.get_data(as_text=True)
                assert expected in body, (who, url, body[:200])
            elif response.mimetype == "application/pdf":
                assert response.data.startswith(b"%PDF-"), (who, url)
                seen_pdf.add(url)
            response.close()
    assert len(seen_pdf) >= 4  # the plan, its versions, the documents, "my data"...


def test_the_configured_languages_are_the_ten_the_product_promises(app):
    assert list(app.config["LANGUAGES"]) == ["sv", "en", "ar", "fa", "so", "ti", "fi", "pl", "uk", "bs"]
    assert [code for code in LANGUAGES if i18n.text_direction(code) == "rtl"] == ["ar", "fa"]
