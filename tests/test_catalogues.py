"""Each catalogue is complete: every message translated, nothing fuzzy, the same placeholders as the
English, nothing left in English unless it is a name (``tests/catalogue_check.py``), and it compiles."""
from __future__ import annotations

import gettext

import pytest
from babel import Locale
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from tests.catalogue_check import TRANSLATIONS, placeholders, problems
from webapp.config import LANGUAGES

TRANSLATED = [code for code in LANGUAGES if code != "en"]


@pytest.mark.parametrize("code", TRANSLATED)
def test_the_catalogue_is_complete(code):
    assert problems(code) == []


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_language_has_a_glossary_for_its_translators(code):
    glossary = (TRANSLATIONS / code / "GLOSSARY.md").read_text(encoding="utf-8")
    assert "| SIP" in glossary or "SIP |" in glossary
    assert glossary.count("\n|") >= 20  # a real table of terms, not a heading


@pytest.mark.parametrize("code", TRANSLATED)
def test_the_compiled_catalogue_is_the_one_in_the_repository(code):
    # `make translations` compiles what is checked in: the app serves exactly these messages.
    with (TRANSLATIONS / code / "LC_MESSAGES" / "messages.mo").open("rb") as handle:
        compiled = read_mo(handle)
    assert len([m for m in compiled if m.id]) >= 1000


def test_the_check_finds_what_it_must():
    assert placeholders("Hello %(name)s, %(num)d {x}") == {"%(name)s", "%(num)d", "{x}"}


@pytest.mark.parametrize("code", TRANSLATED)
def test_plural_forms_follow_the_languages_own_rules(code):
    # The catalogue's Plural-Forms must pick one form per CLDR plural category (Babel's locale data),
    # and a different form for each category: "1 dag", "2 dagar"; Arabic has six.
    with (TRANSLATIONS / code / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalogue = read_po(handle, locale=code)
    pick = gettext.c2py(catalogue.plural_expr)  # what gettext itself does with the header
    rule = Locale.parse(code).plural_form
    forms_by_category: dict[str, set[int]] = {}
    for n in range(0, 250):
        forms_by_category.setdefault(rule(n), set()).add(pick(n))
    assert all(len(forms) == 1 for forms in forms_by_category.values()), forms_by_category
    assert len({next(iter(forms)) for forms in forms_by_category.values()}) == len(forms_by_category)
