"""Each catalogue is complete: every message translated, nothing fuzzy, the same placeholders as the
English, nothing left in English unless it is a name (``tests/catalogue_check.py``), and it compiles."""
from __future__ import annotations

import pytest
from babel.messages.mofile import read_mo

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
