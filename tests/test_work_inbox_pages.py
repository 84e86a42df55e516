"""The inbox a page at a time (``work.index?page=N``): an organisation's inbox holds thousands of SIPs.

Fifty a page, oldest first; the filter is kept from page to page; the filters count the whole inbox; a
page that does not exist shows the nearest one; only the SIPs a page shows are logged as read.
"""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from tests.factories import give_consent, make_sip, user, withdraw_consent
from tests.helpers import text
from tests.request_fixtures import user_id
from webapp.extensions import db
from webapp.models import AccessLogEntry, Resource, Sip
from webapp.services import clock as app_clock
from webapp.services.work import PAGE_SIZE

ANNA, ERIK, OMAR = "SIP-7KQ4-M2", "SIP-E4RK-2B", "SIP-H3RA-9P"
#: Sara's open requests in the demo, oldest first (tests/test_work_queue.py).
DEMO_OPEN = [ANNA, OMAR, ERIK]
MORE = 55
TEST_START = datetime(2026, 3, 2, 9, tzinfo=UTC)  # the frozen clock's start


def _more_requests(app, count: int = MORE, unreadable_every: int = 0) -> tuple[list[str], list[str]]:
    """``count`` new requests to Haninge kommun, each a minute younger than the one before, after the demo's.
    With ``unreadable_every``, every n-th one's consent is given and withdrawn: Sara may no longer read it.
    Returns the references Sara may read, oldest first, and those she may not."""
    readable, unreadable = [], []
    with app.app_context():
        people = [user(name) for name in ("anna", "omar", "erik")]
        start = app_clock.now() - timedelta(hours=2)
        for number in range(count):
            sip = make_sip(people[number % 3], purpose=f"Request number {number}",
                           created_at=start + timedelta(minutes=number))
            if unreadable_every and number % unreadable_every == unreadable_every - 1:
                give_consent(sip)
                withdraw_consent(sip)
                unreadable.append(sip.reference)
            else:
                readable.append(sip.reference)
        db.session.commit()
    return readable, unreadable


def _page(client, query: str = "") -> str:
    response = client.get("/work/" + query)
    assert response.status_code == 200, query
    return response.get_data(as_text=True)


def _listed(page: str) -> list[str]:
    """The references the page's table lists, in order."""
    body = page[page.find("<tbody>"):page.find("</tbody>")] if "<tbody>" in page else ""
    return re.findall(r">(SIP-[0-9A-Z]{4}-[0-9A-Z]{2})</a>", body)


def _pager(page: str) -> str:
    start = page.find('<nav class="pager"')
    return page[start:page.find("</nav>", start)] if start >= 0 else ""


def _count(page: str, stage: str) -> int:
    """The count the filter link of ``stage`` shows."""
    match = re.search(rf'href="/work/\?show={stage}"[^>]*>[^<]*<span class="filters__count">\((\d+)\)</span>', page)
    assert match, stage
    return int(match.group(1))


def test_a_long_inbox_shows_fifty_oldest_first_and_the_rest_on_the_next_page(app, client, auth, clock, demo):
    auth.login("sara")
    assert _pager(_page(client)) == "", "a short inbox has one page and no pager"
    readable, unreadable = _more_requests(app, count=70, unreadable_every=5)
    everything = DEMO_OPEN + readable
    assert len(everything) > PAGE_SIZE == 50

    first = _page(client)
    assert _listed(first) == everything[:PAGE_SIZE]  # fifty, oldest first
    pager = _pager(first)
    assert 'aria-label="Pages of requests"' in pager
    assert "Page 1 of 2" in text(pager)
    assert '<a href="/work/?page=2" rel="next">Later requests</a>' in pager
    assert 'rel="prev"' not in pager
    assert "Page 1 of 2" in first[first.find("<title>"):first.find("</title>")]

    second = _page(client, "?page=2")
    assert _listed(second) == everything[PAGE_SIZE:]  # the rest, still oldest first
    pager = _pager(second)
    assert "Page 2 of 2" in text(pager)
    assert '<a href="/work/" rel="prev">Earlier requests</a>' in pager
    assert 'rel="next"' not in pager
    # The SIPs whose consent was withdrawn are on no page: Sara may not read them.
    assert not set(unreadable) & set(_listed(first) + _listed(second))


def test_the_filter_is_kept_from_page_to_page_and_counts_the_whole_inbox(app, client, auth, clock, demo):
    auth.login("sara")
    before = _page(client)
    new_before, acknowledged_before = _count(before, "new"), _count(before, "acknowledged")
    readable, unreadable = _more_requests(app, count=70, unreadable_every=5)
    first = _page(client, "?show=new")
    # Every new request is counted, not only the fifty of the page; the unreadable ones are not.
    assert _count(first, "new") == new_before + len(readable)
    assert _count(first, "acknowledged") == acknowledged_before
    assert _count(_page(client, "?page=2"), "new") == new_before + len(readable)
    new = _listed(first)
    assert len(new) == PAGE_SIZE and ANNA not in new  # Anna's request is acknowledged, not new
    assert 'href="/work/?show=new" aria-current="page"' in first
    assert '<a href="/work/?show=new&amp;page=2" rel="next">' in _pager(first)
    second = _page(client, "?show=new&page=2")
    assert 'href="/work/?show=new" aria-current="page"' in second
    assert '<a href="/work/?show=new" rel="prev">' in _pager(second)
    rest = _listed(second)
    assert rest and not set(rest) & set(new)
    assert len(new) + len(rest) == new_before + len(readable)
    assert set(readable) <= set(new + rest)


def test_a_page_that_does_not_exist_shows_the_nearest_one(app, client, auth, clock, demo):
    auth.login("sara")
    readable, _unreadable = _more_requests(app)
    everything = DEMO_OPEN + readable
    for query in ("?page=abc", "?page=0", "?page=-3", "?page=1.5", "?page=", "?page=%00"):
        page = _page(client, query)
        assert _listed(page) == everything[:PAGE_SIZE], query
        assert "Page 1 of 2" in text(_pager(page)), query
    for query in ("?page=9999", "?page=99999999999999999999999"):
        page = _page(client, query)
        assert _listed(page) == everything[PAGE_SIZE:], query
        assert "Page 2 of 2" in text(_pager(page)), query
    # A filter with one page: any page number shows it.
    closed = _page(client, "?show=closed&page=7")
    assert "No requests in this stage." in text(closed) and _pager(closed) == ""
    one_page = _page(client, "?show=acknowledged&page=3")
    assert _listed(one_page) == [ANNA] and _pager(one_page) == ""


def _logged(app) -> set[str]:
    """The SIPs Sara's reads of the request were logged for during the test (the demo logged before)."""
    with app.app_context():
        return set(db.session.scalars(
            sa.select(Sip.reference).join(AccessLogEntry, AccessLogEntry.sip_id == Sip.id)
            .where(AccessLogEntry.actor_id == user_id(app, "sara"), AccessLogEntry.resource == Resource.REQUEST,
                   AccessLogEntry.at >= TEST_START)))


def test_only_the_requests_a_page_shows_are_logged_as_read(app, client, auth, clock, demo):
    readable, _unreadable = _more_requests(app)
    everything = DEMO_OPEN + readable
    auth.login("sara")
    _page(client)
    assert _logged(app) == set(everything[:PAGE_SIZE])  # not the SIPs of page 2
    _page(client, "?page=2")
    assert _logged(app) == set(everything)
