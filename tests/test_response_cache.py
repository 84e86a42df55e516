"""The rendered-page cache (issue 9): a page read again without any change in between is served from
memory, and nothing that changed, nobody else and no read that must be logged ever gets an old page."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.conftest import AuthActions
from tests.consent_fixtures import log_count
from tests.helpers import text
from tests.my_sip_fixtures import ANNA, anna_world  # noqa: F401 - fixture
from webapp.extensions import db
from webapp.models import Contact, DataGeneration, Resource, User
from webapp.services.response_cache import Page, PageCache, current_generation

PLAN = f"/sips/{ANNA}/plan"
NEW_CONTACT = {"name": "Maja Lund", "role_title": "Arbetsterapeut", "organisation": "Rudans Rehab",
               "sector": "private_provider", "phone": "070-123 45 67", "email": "maja@example.se",
               "helps_with": "", "meeting_frequency": "", "meeting_place": "", "next_meeting_at": ""}


@pytest.fixture
def statements(app):
    """The SQL statements sent while the test runs (``statements.sent``, emptied by ``clear()``)."""
    engine = app.extensions["minsip_db"]["engine"]
    sent: list[str] = []

    def listen(_conn, _cursor, statement, *_args):
        if statement != "BEGIN" and not statement.startswith("BEGIN "):  # SQLite's explicit BEGIN
            sent.append(" ".join(statement.split()))

    sa.event.listen(engine, "before_cursor_execute", listen)
    yield sent
    sa.event.remove(engine, "before_cursor_execute", listen)


def _generation(app) -> int:
    with app.app_context():
        return current_generation()


def test_a_page_read_again_is_served_without_reading_the_plan_again(client, auth, anna_world, statements):
    auth.login("anna")
    client.get("/")  # the first page after logging in makes the session's CSRF token: the session changes
    first = client.get(PLAN)
    assert first.status_code == 200 and "Home help in the morning" in text(first)
    statements.clear()
    second = client.get(PLAN)
    assert second.status_code == 200
    assert second.get_data() == first.get_data()
    # Only the generation, the login session and the account were read: not the SIP, not the plan.
    assert len(statements) <= 3, statements
    assert not any("plan_versions" in s or "interventions" in s or "FROM sips" in s for s in statements)
    # The headers are set afresh, as on every page.
    assert second.headers["Cache-Control"] == "no-store"
    assert second.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in second.headers["Content-Security-Policy"]


def test_any_write_is_seen_at_once(client, auth, anna_world):
    auth.login("anna")
    assert "Maja Lund" not in text(client.get("/contacts"))
    before = _generation(client.application)
    assert client.post("/contacts/new", data=NEW_CONTACT).status_code == 303
    assert _generation(client.application) > before
    assert "Maja Lund" in text(client.get("/contacts"))


def test_a_write_by_someone_else_or_another_process_is_seen_too(app, client, auth, anna_world):
    auth.login("anna")
    client.get("/contacts")
    with app.app_context():  # as a command-line job or another server process would
        db.begin_write()
        anna = db.session.scalars(sa.select(User).where(User.email == "anna@example.org")).one()
        contact = db.session.scalars(sa.select(Contact).where(Contact.owner_id == anna.id)).first()
        old_name = contact.name
        db.session.execute(sa.update(Contact).where(Contact.id == contact.id).values(name="Renamed Contact"))
        db.session.commit()
    page = text(client.get("/contacts"))
    assert "Renamed Contact" in page and old_name not in page


def test_a_rolled_back_change_moves_nothing(app, anna_world):
    before = _generation(app)
    with app.app_context():
        db.begin_write()
        db.session.execute(sa.update(Contact).values(name="Not kept"))
        db.session.rollback()
        db.session.execute(sa.select(Contact.id)).all()
        db.session.commit()  # a transaction that only read
    assert _generation(app) == before


def test_nobody_gets_another_persons_page(app, anna_world):
    anna, omar = app.test_client(), app.test_client()
    AuthActions(anna).login("anna")
    AuthActions(omar).login("omar")
    for _ in range(3):
        assert "Anna Andersson" in text(anna.get("/")) and "Home help in the morning" in text(anna.get(PLAN))
        assert "Anna Andersson" not in text(omar.get("/"))
        assert omar.get(PLAN).status_code == 404  # Omar may not read Anna's plan, kept or not


def test_a_read_by_someone_else_is_logged_every_time(app, client, auth, anna_world):
    auth.login("erik")  # Anna's son, who follows her SIP
    client.get("/")
    for expected in (1, 2, 3):
        assert "Home help in the morning" in text(client.get(PLAN))
        assert log_count(app, resource=Resource.PLAN) == expected


def test_a_message_is_shown_once_and_the_page_after_it_has_none(client, auth, anna_world):
    auth.login("anna")
    client.get("/contacts")
    answer = client.post("/contacts/new", data=NEW_CONTACT, follow_redirects=True)
    flashed = re.search(r'<p class="flash[^"]*">(.*?)</p>', answer.get_data(as_text=True), re.S)
    assert flashed is not None
    message = text(flashed.group(1)).strip()
    assert message and message in text(answer)
    assert message not in text(client.get("/contacts"))
    assert message not in text(client.get("/contacts"))


def test_the_language_chosen_is_the_language_served(client, auth, anna_world):
    auth.login("anna")
    assert "Your plan" in text(client.get(PLAN))
    client.post("/language", data={"lang-language": "sv", "next": "/"})
    assert "Din plan" in text(client.get(PLAN))
    client.post("/language", data={"lang-language": "en", "next": "/"})
    assert "Your plan" in text(client.get(PLAN))


def test_time_moves_the_page_on(client, auth, anna_world, clock, statements):
    auth.login("anna")
    client.get("/")
    client.get(PLAN)
    statements.clear()
    client.get(PLAN)
    served = len(statements)
    clock.advance(minutes=1)
    statements.clear()
    client.get(PLAN)
    assert len(statements) > served  # rendered again, from the data


def test_switched_off_every_page_is_rendered(make_app, anna_world):
    app = make_app(RESPONSE_CACHE=False)
    sent: list[str] = []
    sa.event.listen(app.extensions["minsip_db"]["engine"], "before_cursor_execute",
                    lambda _conn, _cursor, statement, *_args: sent.append(statement))
    client = app.test_client()
    AuthActions(client).login("anna")
    for _ in range(3):
        client.get(PLAN)
    sent.clear()
    client.get(PLAN)
    assert any("plan_versions" in statement for statement in sent)


def test_the_cache_keeps_one_generation_within_its_size(monkeypatch):
    cache = PageCache(max_bytes=10)
    page = Page(b"12345", (), "")
    cache.put(1, ("a",), page)
    assert cache.get(1, ("a",)) is None  # before it knows any generation it keeps nothing
    cache.learn(1)
    cache.put(1, ("a",), page)
    cache.put(1, ("b",), page)
    assert cache.get(1, ("a",)) is page and len(cache) == 2
    cache.put(1, ("c",), page)  # over the size: the least recently used ("b") goes
    assert cache.get(1, ("b",)) is None and cache.get(1, ("a",)) is page and cache.get(1, ("c",)) is page
    cache.put(1, ("big",), Page(b"x" * 11, (), ""))  # larger than the whole cache: not kept
    assert cache.get(1, ("big",)) is None and len(cache) == 2
    cache.learn(2)  # a write: everything older goes, and a page made from older data is not kept
    assert len(cache) == 0 and cache.size == 0 and cache.get(1, ("a",)) is None
    cache.put(1, ("a",), page)
    assert len(cache) == 0


def test_the_generation_is_trusted_for_a_while_and_never_below_a_write(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr("webapp.services.response_cache.time.monotonic", lambda: now[0])
    cache = PageCache(max_bytes=100)
    assert cache.known(within=0.1, at_least=0) is None
    cache.learn(5)
    assert cache.known(within=0.1, at_least=0) == 5
    assert cache.known(within=0.1, at_least=6) is None  # the browser wrote generation 6 somewhere else
    now[0] += 0.2
    assert cache.known(within=0.1, at_least=0) is None  # time to ask the database again


def _cookie(client) -> str:
    return client.get_cookie("minsip", domain="localhost").value


def test_between_two_asks_a_page_is_answered_from_memory_alone(make_app, anna_world):
    app = make_app(RESPONSE_CACHE_RECHECK=60.0)
    sent: list[str] = []
    sa.event.listen(app.extensions["minsip_db"]["engine"], "before_cursor_execute",
                    lambda _conn, _cursor, statement, *_args: sent.append(statement))
    client = app.test_client()
    AuthActions(client).login("anna")
    client.get("/")
    first = client.get(PLAN)
    sent.clear()
    second = client.get(PLAN)
    assert second.get_data() == first.get_data() and sent == []
    # Logging out ends the session: the same cookie, replayed, gets no page.
    cookie = _cookie(client)
    client.post("/logout")
    client.set_cookie("minsip", cookie, domain="localhost")
    assert client.get(PLAN).status_code == 302


def test_a_write_in_another_process_is_seen_once_it_asks_again(make_app, anna_world, monkeypatch):
    now = [1000.0]
    monkeypatch.setattr("webapp.services.response_cache.time.monotonic", lambda: now[0])
    app, other = make_app(RESPONSE_CACHE_RECHECK=1.0), make_app()
    client = app.test_client()
    AuthActions(client).login("anna")
    client.get("/contacts")
    assert "Maja Lund" not in text(client.get("/contacts"))
    helper = other.test_client()  # another server process, the same database; another person's browser
    AuthActions(helper).login("anna")
    assert helper.post("/contacts/new", data=NEW_CONTACT).status_code == 303
    assert "Maja Lund" not in text(client.get("/contacts"))  # within the second: this process has not asked
    now[0] += 1.5
    assert "Maja Lund" in text(client.get("/contacts"))


def test_ones_own_write_in_another_process_is_seen_at_once(make_app, anna_world):
    app, other = make_app(RESPONSE_CACHE_RECHECK=60.0), make_app()
    client = app.test_client()
    AuthActions(client).login("anna")
    client.get("/contacts")
    assert "Maja Lund" not in text(client.get("/contacts"))
    # The same browser's next request goes to another process, which stores the contact...
    elsewhere = other.test_client()
    elsewhere.set_cookie("minsip", _cookie(client), domain="localhost")
    assert elsewhere.post("/contacts/new", data=NEW_CONTACT).status_code == 303
    # ...and the one after comes back here: its cookie says which generation it wrote.
    client.set_cookie("minsip", _cookie(elsewhere), domain="localhost")
    assert "Maja Lund" in text(client.get("/contacts"))


def test_an_idle_session_gets_no_page_from_memory(make_app, anna_world, monkeypatch):
    from datetime import UTC, datetime, timedelta

    from webapp.services import clock as app_clock

    moment = [datetime(2026, 3, 2, 9, 0, tzinfo=UTC)]
    monkeypatch.setattr(app_clock, "now", lambda: moment[0])
    app = make_app(RESPONSE_CACHE_RECHECK=3600.0)
    client = app.test_client()
    AuthActions(client).login("anna")
    client.get("/")
    client.get(PLAN)
    assert client.get(PLAN).status_code == 200
    moment[0] += timedelta(minutes=31)
    assert client.get(PLAN).status_code == 302  # to the login page


def test_a_missing_generation_row_switches_the_cache_off(app, client, auth, anna_world, statements):
    with app.app_context():
        db.session.execute(sa.delete(DataGeneration))
        db.session.commit()
    auth.login("anna")
    client.get(PLAN)
    statements.clear()
    client.get(PLAN)
    assert any("plan_versions" in s for s in statements)


def test_another_cookie_is_part_of_the_answer(make_app, anna_world):
    """Following an invitation link sets a cookie that sends the home page on to the invitation."""
    from webapp.views.relatives import JOIN_COOKIE

    app = make_app(RESPONSE_CACHE_RECHECK=60.0)
    client = app.test_client()
    AuthActions(client).login("anna")
    for _ in range(3):
        assert client.get("/").status_code == 200
    client.set_cookie(JOIN_COOKIE, "some-invitation-token", domain="localhost")
    answer = client.get("/")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/join/some-invitation-token")


def test_the_inbox_is_kept_once_the_days_reads_are_logged(app, client, auth, anna_world, clock, statements):
    auth.login("sara")
    client.get("/work/")
    logged = log_count(app, resource=Resource.REQUEST)
    assert logged >= 1  # Anna's SIP, read in Sara's list today
    first = client.get("/work/")
    statements.clear()
    again = client.get("/work/")
    assert again.get_data() == first.get_data()
    assert not any("FROM sips" in s for s in statements), statements
    assert log_count(app, resource=Resource.REQUEST) == logged  # once a day
    clock.advance(days=1)
    auth.login("sara")  # the session went idle overnight
    assert client.get("/work/").status_code == 200
    assert log_count(app, resource=Resource.REQUEST) > logged  # a new day: read and logged again


def test_the_inbox_order_is_decided_once_per_generation(app, client, auth, anna_world, statements):
    """Which SIPs a professional may read, and their stages, are decided for the whole inbox once; a
    filter or another page of the same data only loads the SIPs it shows."""
    auth.login("sara")
    client.get("/work/")  # logs today's reads of the SIPs it lists: a write
    client.get("/work/")
    statements.clear()
    client.get("/work/?show=plan_active")
    assert not any("UNION" in s.upper() for s in statements), statements  # the candidates' statement
    assert any("FROM sips" in s for s in statements)  # the SIPs shown, loaded whole
    before = text(client.get("/work/"))
    with app.app_context():  # a write: Anna's SIP closes, and the inbox is decided again
        from webapp.models import Sip, SipStatus

        db.begin_write()
        db.session.execute(sa.update(Sip).values(status=SipStatus.CLOSED))
        db.session.commit()
    statements.clear()
    after = text(client.get("/work/"))
    assert any("UNION" in s.upper() for s in statements)
    assert after != before and "No requests are waiting for your organisation." in after
