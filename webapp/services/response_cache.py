"""Rendered pages kept in memory, for the pages people open again and again.

A person opens their plan, their home page and their contact map many times between two changes, and a
professional reloads the inbox all day. Rendering those pages is most of what they cost, so a page marked
``@cacheable`` is kept, in each server process, under a key that holds everything it was made from:

- the **data generation** (``models.generation``): a number that every committed write moves on, in the
  writer's own transaction. It is read in the request's first statement, the one that finds the login
  session and the account, so a page kept under a generation was made from data at least as new as it. A write anywhere empties the
  cache; nothing rendered before a write is served after it.
- the viewer's account and everything in their session cookie (the login session, the CSRF token the
  page's forms carry, the language and easy-read choices), the path with its query, the page language,
  and the current minute of the app's clock, so that "today", "waited 3 working days" and every other time
  in a page is at most a minute old.

A page is only kept when nothing about the request made it special: a GET answered 200 with HTML, no
message waiting to be flashed, no change to the session, and **no write to the database**. A read that
must be written to the person's access log is such a write, so a page that logs every read (a
professional opening a person's plan) is never served from here, and one that logs once a day (the
inbox) is served from here only after that day's entry is written. A hit answers with the same body and
the same Content-Security-Policy nonce as the page it copies; the security headers and the session
cookie are set afresh as for any page.

Each process holds at most ``RESPONSE_CACHE_BYTES`` (least recently used pages go first);
``RESPONSE_CACHE=0`` switches it off.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

import sqlalchemy as sa
from flask import Flask, Response, current_app, g, request, session
from flask_login import current_user

from webapp.extensions import db
from webapp.models.generation import ROW_ID, DataGeneration
from webapp.security import cookie_session_alive, move_idle_clock
from webapp.services import clock

_CACHEABLE = "minsip_cacheable"
#: Session keys that change without changing the page: the idle clock moves once a minute.
_IGNORED_SESSION_KEYS = frozenset({"seen"})
_FLASHES = "_flashes"
#: The session key holding the last generation this browser's own writes made.
_WROTE = "wg"
#: Headers that belong to one answer only.
_NOT_KEPT = frozenset({"set-cookie", "content-length"})

View = TypeVar("View", bound=Callable)


def cacheable(view: View) -> View:
    """Mark a page whose answer depends only on the data, the viewer's session, the URL and the time."""
    setattr(view, _CACHEABLE, True)
    return view


@dataclass(frozen=True)
class Page:
    body: bytes
    headers: tuple[tuple[str, str], ...]
    nonce: str  # empty when the page has no script that needs one
    #: When the login session it was made for reaches its absolute timeout.
    session_ends: datetime | None = None


class PageCache:
    """Pages of one data generation, least recently used first out, within a size in bytes; and the
    newest generation this process knows of, with when it last learnt it."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.generation: int | None = None
        self.learnt_at = 0.0
        self.size = 0
        self._pages: OrderedDict[tuple, Page] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._pages)

    def _move_to(self, generation: int) -> None:
        if generation != self.generation:
            self._pages.clear()
            self.size = 0
            self.generation = generation

    def learn(self, generation: int) -> None:
        """The generation was just read from the database, or just written by this process."""
        with self._lock:
            self._move_to(generation)
            self.learnt_at = time.monotonic()

    def known(self, within: float, at_least: int) -> int | None:
        """The generation, if learnt no more than ``within`` seconds ago and not older than ``at_least``."""
        generation = self.generation
        if generation is None or generation < at_least or time.monotonic() - self.learnt_at > within:
            return None
        return generation

    def get(self, generation: int, key: tuple) -> Page | None:
        with self._lock:
            if generation != self.generation:
                return None
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, generation: int, key: tuple, page: Page) -> None:
        if len(page.body) > self.max_bytes:
            return
        with self._lock:
            if generation != self.generation:
                return  # made from data older than what this process knows of
            old = self._pages.pop(key, None)
            if old is not None:
                self.size -= len(old.body)
            self._pages[key] = page
            self.size += len(page.body)
            while self.size > self.max_bytes:
                _key, evicted = self._pages.popitem(last=False)
                self.size -= len(evicted.body)


def current_generation() -> int | None:
    """The data generation as this request's transaction sees it (None if the row is missing)."""
    return db.session.scalar(sa.select(DataGeneration.value).where(DataGeneration.id == ROW_ID))


def _cache() -> PageCache:
    return current_app.extensions["minsip_page_cache"]


def _session_state() -> str:
    return repr(sorted((key, value) for key, value in session.items() if key not in _IGNORED_SESSION_KEYS))


def _key(now: datetime) -> tuple:
    """The session (its login, CSRF token, choices and the last generation it wrote) names the viewer; the
    browser's languages decide the page's language when the account and the session name none; any other
    cookie may change the answer (an invitation being accepted sends the home page on to it)."""
    session_cookie = current_app.config["SESSION_COOKIE_NAME"]
    others = tuple(sorted((name, value) for name, value in request.cookies.items() if name != session_cookie))
    return (g.page_session, request.full_path, request.headers.get("Accept-Language", ""), others,
            now.replace(second=0, microsecond=0))


def _answer(page: Page) -> Response:
    g.page_hit = True
    if page.nonce:  # the body carries this nonce: the header must name the same
        g.csp_nonce = page.nonce
    return Response(page.body, status=200, headers=list(page.headers))


def answer_early() -> Response | None:
    """``before_request``, first of all, for a cacheable page.

    Straight from memory, touching no database, when this process learnt the generation less than
    ``RESPONSE_CACHE_RECHECK`` seconds ago, the session has written nothing newer, and the page was made
    for this very login session, which is neither idle nor past its absolute timeout. Otherwise the
    generation is read in the statement that finds the login session (``sessions.user_for_token``),
    before any data, and ``serve`` looks again.
    """
    if request.method != "GET" or not current_app.config["RESPONSE_CACHE"]:
        return None
    view = current_app.view_functions.get(request.endpoint or "")
    if not getattr(view, _CACHEABLE, False) or _FLASHES in session:
        return None
    g.page_wants_generation = True
    g.page_session = _session_state()
    cache = _cache()
    generation = cache.known(current_app.config["RESPONSE_CACHE_RECHECK"], session.get(_WROTE, 0))
    if generation is None or not cookie_session_alive():
        return None
    now = clock.now()
    page = cache.get(generation, _key(now))
    if page is None or page.session_ends is None or page.session_ends <= now:
        return None
    move_idle_clock()
    return _answer(page)


def serve() -> Response | None:
    """``before_request``, once the login and the role are checked: answer from the cache if we can."""
    if not g.get("page_wants_generation") or not current_user.is_authenticated:
        return None
    generation = g.get("page_generation")  # read with the login session, or None: no row, no cache
    if generation is None:
        return None
    cache = _cache()
    cache.learn(generation)
    g.page_key = _key(clock.now())
    page = cache.get(generation, g.page_key)
    return None if page is None else _answer(page)


def keep(response: Response) -> Response:
    """``after_request``, after the request's own commit: keep the page if nothing made it special; and
    after a write, note its generation in the session, so that this browser never gets an older page."""
    key = g.get("page_key")
    if not (key is None or g.get("page_hit") or g.get("minsip_wrote") or response.status_code != 200
            or response.mimetype != "text/html" or response.direct_passthrough or response.is_streamed
            or _FLASHES in session or _session_state() != g.page_session):
        headers = tuple((name, value) for name, value in response.headers.items()
                        if name.lower() not in _NOT_KEPT)
        _cache().put(g.page_generation, key, Page(response.get_data(), headers, g.get("csp_nonce", ""),
                                                  g.get("page_session_ends")))
    written = g.get("minsip_generation_written")
    if written is not None and session.get("sid") and session.get(_WROTE, 0) < written:
        session[_WROTE] = written
    return response


def init_app(app: Flask) -> None:
    app.extensions["minsip_page_cache"] = PageCache(app.config["RESPONSE_CACHE_BYTES"])
