"""Languages: which one a request is served in, its direction, and names of languages.

The locale is resolved in a fixed order (checked at start-up that every configured language has a
compiled catalogue): the account's saved language, the language chosen with the switcher (kept in
the session), the browser's ``Accept-Language``, and finally Swedish.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from babel import Locale
from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import get_locale, get_translations
from flask_login import current_user

SESSION_KEY = "language"
#: Easy-to-read Swedish (lättläst): chosen like a language in the switcher, it keeps the Swedish locale
#: and shows the pages that explain what a SIP is and what happens next in easy-to-read Swedish.
EASY_SWEDISH = "sv-easy"
EASY_SWEDISH_NAME = "Lättläst svenska"  # its own name, like every language in the switcher
EASY_READ_KEY = "easy_read"


def supported_languages() -> tuple[str, ...]:
    """The interface languages of this installation, as configured."""
    return tuple(current_app.config["LANGUAGES"])


def select_locale() -> str:
    """Flask-Babel's locale selector. It reads only; it never writes anything."""
    if not has_request_context():  # command-line tools speak the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    languages = supported_languages()
    user = current_user
    if user and user.is_authenticated and user.language in languages:
        return user.language
    chosen = session.get(SESSION_KEY)
    if chosen in languages:
        return chosen
    best = request.accept_languages.best_match(languages)
    return best or current_app.config["BABEL_DEFAULT_LOCALE"]


@lru_cache(maxsize=64)
def _locale(code: str) -> Locale:
    return Locale.parse(code)


def text_direction(code: str) -> str:
    """``rtl`` or ``ltr``, from Babel's locale data."""
    return _locale(code).text_direction


def own_name(code: str) -> str:
    """A language's name in that language itself, e.g. ``svenska`` → ``Svenska``, ``ar`` → ``العربية``."""
    name = _locale(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


def language_choices() -> list[tuple[str, str]]:
    """(code, own name) for every interface language, for the account forms."""
    return [(code, own_name(code)) for code in supported_languages()]


def switcher_choices(languages: tuple[str, ...] | None = None) -> list[tuple[str, str]]:
    """The language switcher's choices: every language, and easy-to-read Swedish after Swedish."""
    choices = [(code, own_name(code)) for code in (languages or supported_languages())]
    position = next((i + 1 for i, (code, _name) in enumerate(choices) if code == "sv"), len(choices))
    return choices[:position] + [(EASY_SWEDISH, EASY_SWEDISH_NAME)] + choices[position:]


def easy_read() -> bool:
    """Whether this request asked for easy-to-read Swedish."""
    return bool(session.get(EASY_READ_KEY)) and select_locale() == "sv"


def _translations():
    """The catalogue of the current locale, looked up once per request (and again inside
    ``force_locale``, which sets a new locale object): a page calls ``_()`` a hundred times."""
    locale = get_locale()
    cached = g.get("_minsip_translations")
    if cached is None or cached[0] is not locale:
        cached = g._minsip_translations = (locale, get_translations())
    return cached[1]


def install_gettext(app: Flask) -> None:
    """Templates' ``_()``/``ngettext()`` through the per-request cache (Flask-Babel's own callables
    resolve the catalogue on every call)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda message: _translations().ugettext(message),
        ngettext=lambda singular, plural, n: _translations().ungettext(singular, plural, n),
        pgettext=lambda context, message: _translations().upgettext(context, message),
        npgettext=lambda context, singular, plural, n: _translations().unpgettext(context, singular, plural, n),
        newstyle=True,
    )


def check_catalogues(app: Flask) -> None:
    """Fail fast when a configured language has no compiled catalogue (``make translations``)."""
    base = Path(app.config["BABEL_TRANSLATION_DIRECTORIES"])
    missing = [
        code for code in app.config["LANGUAGES"]
        if code != "en" and not (base / code / "LC_MESSAGES" / "messages.mo").is_file()
    ]
    if missing:
        raise RuntimeError(
            f"no compiled catalogue for {', '.join(missing)} in {base}: run `make translations`"
        )
