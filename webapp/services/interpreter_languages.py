"""The languages an interpreter can be asked for, named in the reader's language (from Babel).

Stored as BCP 47 / ISO 639 codes. Sign languages are their own group: Swedish Sign Language
(``swl``), the sign languages Babel names, and any other, which the person names in their own words
(code ``sgn``, ISO 639-2's collective code for sign languages).
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

from babel import Locale
from flask_babel import get_locale
from flask_babel import gettext as _

SWEDISH_SIGN_LANGUAGE = "swl"
OTHER_SIGN_LANGUAGE = "sgn"
#: Codes that name no language one can interpret (unknown, none, several) or need no interpreter.
_NOT_LANGUAGES = frozenset({"und", "zxx", "mul", "mis", "sv"})
#: The sign languages among the codes Babel names (ISO 639-3; today American Sign Language).
_BABEL_SIGN_LANGUAGES = frozenset(key for key, name in Locale.parse("en").languages.items()
                                  if "_" not in key and "sign language" in name.lower())


def _current_code() -> str:
    locale = get_locale()
    return str(locale) if locale else "sv"


@lru_cache(maxsize=16)
def _names(code: str) -> dict[str, str]:
    """Every plain language code (no regional or script variant) with its name in ``code``'s language;
    a name the locale lacks falls back to English, so that no language is left out."""
    english = Locale.parse("en").languages
    own = Locale.parse(code).languages
    return {
        key: own.get(key) or english[key]
        for key in english
        if "_" not in key and key not in _NOT_LANGUAGES
    }


def collation_key(text: str, code: str) -> tuple:
    """A sort key that follows the alphabet of ``code`` closely enough for a list of names.

    Case and accents are ignored (é with e), except where the language treats a letter as its own:
    Swedish sorts å, ä and ö after z. Arabic letters are in alphabetical order in Unicode already.
    """
    folded = text.casefold()
    if code.split("_")[0] == "sv":
        folded = folded.replace("å", "z\U000f0001").replace("ä", "z\U000f0002").replace("æ", "z\U000f0002")
        folded = folded.replace("ö", "z\U000f0003").replace("ø", "z\U000f0003")
    decomposed = unicodedata.normalize("NFKD", folded)
    base = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return (base, folded)


def _capitalise(name: str) -> str:
    return name[:1].upper() + name[1:]


def spoken_languages(code: str | None = None) -> list[tuple[str, str]]:
    """(code, name) of every spoken language Babel knows, sorted for a reader of ``code``."""
    code = code or _current_code()
    names = _names(code)
    own = Locale.parse(code).languages
    pairs = [(key, _capitalise(name)) for key, name in names.items() if key not in _BABEL_SIGN_LANGUAGES]
    # Names the reader's locale lacks (shown in English) come after those in the reader's script.
    return sorted(pairs, key=lambda pair: (pair[0] not in own, collation_key(pair[1], code)))


def sign_languages(code: str | None = None) -> list[tuple[str, str]]:
    """Swedish Sign Language first, then the other sign languages Babel names, then "another"."""
    code = code or _current_code()
    names = _names(code)
    known = sorted(((key, _capitalise(names[key])) for key in _BABEL_SIGN_LANGUAGES if key in names),
                   key=lambda pair: collation_key(pair[1], code))
    return [(SWEDISH_SIGN_LANGUAGE, _("Swedish Sign Language")), *known,
            (OTHER_SIGN_LANGUAGE, _("Another sign language"))]


def is_sign_language(language: str) -> bool:
    return language in (SWEDISH_SIGN_LANGUAGE, OTHER_SIGN_LANGUAGE) or language in _BABEL_SIGN_LANGUAGES


def is_known(language: str) -> bool:
    """A code the form offers."""
    return is_sign_language(language) or language in _names("en")


def name_of(language: str, language_name: str = "", code: str | None = None) -> str:
    """A stored code's name for the reader (``language_name`` for another sign language)."""
    code = code or _current_code()
    if language == SWEDISH_SIGN_LANGUAGE:
        return _("Swedish Sign Language")
    if language == OTHER_SIGN_LANGUAGE:
        return language_name or _("Another sign language")
    name = _names(code).get(language)
    if name:
        return _capitalise(name)
    return language  # a code no longer named by Babel: shown as stored


def preferred_for(interface_language: str) -> str | None:
    """The interpreter language to suggest to someone who uses Min SIP in ``interface_language``:
    none for Swedish (no interpreter needed by default)."""
    base = (interface_language or "sv").split("_")[0].split("-")[0]
    if base == "sv" or base not in _names("en"):
        return None
    return base
