"""What every template can use: the page's language and direction, the switcher, the navigation."""
from __future__ import annotations

from flask import Flask, current_app, request
from functools import lru_cache

from babel import Locale
from babel.lists import format_list as babel_format_list
from flask_babel import format_number, get_locale, ngettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy.exc import SQLAlchemyError
from flask_login import current_user

from webapp import i18n
from webapp.models import Role
from webapp.services import notifications, phones
from webapp.views.pwa import static_url

#: The main navigation of each role: (endpoint, label). Features add their entries here.
NAVIGATION: dict[Role, list[tuple[str, object]]] = {
    # Short enough for one line on a phone; requests, relatives and privacy are reached from Home.
    Role.CITIZEN: [
        ("main.index", _l("Home")),
        ("meetings.index", _l("Meetings")),
        ("contacts.index", _l("My contacts")),
        ("notifications.inbox", _l("Messages")),
        ("account.settings", _l("My account")),
    ],
    Role.PROFESSIONAL: [
        ("work.index", _l("Workspace")),
        ("notifications.inbox", _l("Messages")),
        ("account.settings", _l("My account")),
    ],
    Role.ADMIN: [
        ("admin.dashboard", _l("Administration")),
        ("account.settings", _l("My account")),
    ],
}


def _page_context() -> dict:
    code = str(get_locale() or "sv")
    easy = i18n.easy_read()
    nav = NAVIGATION.get(current_user.role, []) if current_user.is_authenticated else []
    if any(endpoint == INBOX for endpoint, _label in nav):
        nav = _with_unread_count(nav)
    return {
        "page_lang": code.replace("_", "-"),
        "page_dir": i18n.text_direction(code),
        "easy_read": easy,
        # The switcher: (value, own name, the language the name is written in), and the chosen value.
        "language_options": _language_options(tuple(current_app.config["LANGUAGES"])),
        "chosen_language": i18n.EASY_SWEDISH if easy else code,
        "navigation": nav,
        "current_endpoint": request.endpoint,
        "current_path": request.full_path.rstrip("?") if request.method == "GET" else request.path,
    }


INBOX = "notifications.inbox"


@lru_cache(maxsize=8)
def _language_options(languages: tuple[str, ...]) -> tuple[tuple[str, str, str], ...]:
    return tuple((value, name, "sv" if value == i18n.EASY_SWEDISH else value)
                 for value, name in i18n.switcher_choices(languages))


def _with_unread_count(nav: list) -> list:
    """The inbox entry says how many messages are unread, in words and not only by colour:
    "Messages (3)", read out as "Messages (3 unread)". One indexed count per page."""
    try:
        count = notifications.unread_count(current_user)
    except SQLAlchemyError:  # an error page must still render when the database does not answer
        return nav
    if not count:
        return nav
    return [
        (endpoint, Markup('{} <span class="nav-count">({}<span class="visually-hidden"> {}</span>)</span>').format(
            label, format_number(count), ngettext("unread", "unread", count)) if endpoint == INBOX else label)
        for endpoint, label in nav
    ]


def format_list(items, style: str = "standard") -> str:
    """``["a", "b", "c"]`` → "a, b och c" in the page's language (Babel's list patterns).

    Not every locale's data has every style complete (Swedish has no "unit", Finnish a "unit" without
    all its parts): then "standard", which every locale has.
    """
    return _format_list(tuple(str(item) for item in items), style, str(get_locale()))


@lru_cache(maxsize=4096)
def _format_list(items: tuple[str, ...], style: str, code: str) -> str:
    locale = Locale.parse(code)
    patterns = locale.list_patterns.get(style)
    if not patterns or not {"start", "middle", "end", "2"} <= set(patterns.keys()):
        style = "standard"
    return babel_format_list(list(items), style=style, locale=locale)


def init_app(app: Flask) -> None:
    app.context_processor(_page_context)
    app.jinja_env.filters["phone"] = phones.display
    app.jinja_env.filters["tel"] = phones.tel_uri
    app.jinja_env.globals["static_url"] = static_url
    app.jinja_env.globals["format_list"] = format_list
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
