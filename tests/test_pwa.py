"""The manifest, the service worker and the offline page."""
from __future__ import annotations

import json
import re
from io import BytesIO

from PIL import Image

from tests.helpers import html_attr, text


def test_the_manifest_makes_the_app_installable(client):
    response = client.get("/manifest.webmanifest", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    manifest = json.loads(response.get_data(as_text=True))
    assert manifest["name"] == "Min SIP" and manifest["short_name"] == "Min SIP"
    assert manifest["start_url"] == "/" and manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["theme_color"])
    assert manifest["lang"] == "en" and manifest["dir"] == "ltr"
    by_purpose = {(icon["sizes"], icon["purpose"]): icon for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= set(by_purpose)
    for (sizes, _purpose), icon in by_purpose.items():
        with client.get(icon["src"]) as image:
            assert image.status_code == 200
            width, height = Image.open(BytesIO(image.data)).size
        assert f"{width}x{height}" == sizes


def test_the_manifest_follows_the_language(client):
    manifest = json.loads(client.get("/manifest.webmanifest", headers={"Accept-Language": "ar"}).data)
    assert manifest["lang"] == "ar" and manifest["dir"] == "rtl"


def test_the_service_worker_is_served_at_the_root_with_a_versioned_cache(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "application/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.headers["Cache-Control"] == "no-cache"
    body = response.get_data(as_text=True)
    version = re.search(r'const VERSION = "([0-9a-f]{12})";', body).group(1)
    precache = json.loads(re.search(r"const PRECACHE = (\[.*?\]);", body).group(1))
    assert any(url.startswith("/static/css/app.css?v=") for url in precache)
    assert any(url.startswith("/static/js/app.js?v=") for url in precache)
    offline = json.loads(re.search(r"const OFFLINE_PAGES = (\{.*?\});", body).group(1))
    assert set(offline) == {"sv", "en", "ar", "fa", "so", "ti", "fi", "pl", "uk", "bs"}
    for url in precache + list(offline.values()):
        with client.get(url) as asset:
            assert asset.status_code == 200, url
    assert version == re.search(r'const VERSION = "([0-9a-f]{12})";', client.get("/sw.js").get_data(as_text=True)).group(1)


def test_the_service_worker_never_stores_pages(client):
    """Pages are never stored by the worker: offline it shows only the copies the person saved on
    purpose (issue 6, ``static/js/saved.js``), or the offline page."""
    body = client.get("/sw.js").get_data(as_text=True)
    navigate = body[body.index("request.mode === 'navigate'"):]
    navigate = navigate[:navigate.index("return;")]
    assert "cache.put" not in navigate and "cache.add" not in navigate
    assert "fetch(request).catch(async () => (await savedCopy(request)) || offlinePage())" in navigate


def test_the_offline_page_is_translated(client):
    for code, direction, words in (("sv", "ltr", "Du är offline"), ("en", "ltr", "You are offline"),
                                   ("ar", "rtl", "أنت غير متصل")):
        response = client.get(f"/offline?lang={code}")
        html = response.get_data(as_text=True)
        assert html_attr(html, "html", "lang") == code and html_attr(html, "html", "dir") == direction
        assert words in text(html)
        assert "Set-Cookie" not in response.headers  # cacheable for everyone, no session
    assert client.get("/offline?lang=xx").status_code == 404


def test_static_urls_carry_their_content_hash(client):
    html = client.get("/").get_data(as_text=True)
    assert re.search(r'href="/static/css/app.css\?v=[0-9a-f]{12}"', html)
    assert re.search(r'src="/static/js/app.js\?v=[0-9a-f]{12}"', html)
