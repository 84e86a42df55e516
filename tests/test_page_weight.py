"""Every page the demo users can open sends under 50 KB on a first load (issue 9): the HTML and the CSS
and JavaScript it links, each compressed with gzip as the app serves them to a browser that accepts it."""
from __future__ import annotations

import re

import pytest

from tests.bench.common import first_load_bytes
from tests.my_sip_fixtures import anna_world  # noqa: F401 - fixture
from tests.security_walk import get_urls

LIMIT = 50 * 1024
#: Who opens the pages: nobody, the person, her son, a professional in the consent, an administrator.
WALKERS = [None, "anna", "erik", "sara", "admin"]
#: Not pages: files, feeds and documents (PDF, calendar, vCard, JSON), and the assets themselves.
NOT_PAGES = re.compile(r"\.(ics|vcf|json|js|webmanifest|css|png|svg|woff2|pdf)$|^/(healthz|ping|static/)")


@pytest.mark.slow
def test_every_page_weighs_under_50_kb_compressed_on_first_load(app, client, auth, anna_world):
    weights: dict[tuple[str | None, str], int] = {}
    for who in WALKERS:
        client.post("/logout")
        if who:
            assert auth.login(who).status_code == 303
        for url in get_urls(app):
            if NOT_PAGES.search(url.split("?")[0]):
                continue
            status, size = first_load_bytes(client, url)
            if status == 200:
                weights[who, url] = size
    assert len({url for _who, url in weights}) >= 40  # the walk really reached the app's pages
    heavy = {key: size for key, size in weights.items() if size >= LIMIT}
    assert not heavy, heavy


def test_the_weight_counts_the_compressed_page_and_its_assets(app, client, auth, anna_world):
    import gzip

    auth.login("anna")
    page = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert page.headers["Content-Encoding"] == "gzip"
    html = gzip.decompress(page.get_data()).decode()
    assets = sorted(set(re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js)[^"]*)"', html)))
    assert any(".css" in asset for asset in assets) and any(".js" in asset for asset in assets)
    expected, plain = len(page.get_data()), len(html.encode())
    for asset in assets:
        with client.get(asset, headers={"Accept-Encoding": "gzip"}) as reply:
            assert reply.headers["Content-Encoding"] == "gzip", asset  # CSS and JavaScript are served compressed
            expected += len(reply.get_data())
        with client.get(asset) as reply:
            plain += len(reply.get_data())
    status, size = first_load_bytes(client, "/")
    assert status == 200 and abs(size - expected) < 64  # a fresh nonce and CSRF token compress a little differently
    assert expected < plain / 2
