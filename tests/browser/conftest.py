"""Browser tests: the real app served by a real server thread, driven in Debian's Chromium.

Never ``playwright install``: the browser is ``/usr/bin/chromium`` (``CHROMIUM_PATH``), launched
with the flags that keep it off a network it cannot reach (see ``shared/TOOLS.md``).
"""
from __future__ import annotations

import importlib.resources
import os
import threading

from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.conftest import TEST_SETTINGS, _fresh_database_url
from webapp import create_app

CHROMIUM_ARGS = ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def pytest_collection_modifyitems(items):
    # The hook sees every collected test: mark only the ones in this folder.
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args,
            "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
            "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A phone: 390 × 844, touch; the tests that need 320 px set it themselves."""
    return {**browser_context_args, "viewport": {"width": 390, "height": 844},
            "is_mobile": True, "has_touch": True, "locale": "sv-SE"}


class LiveServer:
    def __init__(self, app):
        self.app = app
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._server.shutdown()
        self._thread.join(timeout=5)


@pytest.fixture(scope="session")
def live_server(database_template, tmp_path_factory):
    """The app with CSRF on and the demo data, as ``make run`` serves it."""
    url = _fresh_database_url(database_template, tmp_path_factory.mktemp("live"))
    settings = {**TEST_SETTINGS, "DATABASE_URL": url, "WTF_CSRF_ENABLED": True, "TESTING": False}
    settings.pop("SERVER_NAME")
    app = create_app(settings)
    with app.app_context():
        from webapp.services import demo

        demo.seed()
    server = LiveServer(app).start()
    yield server
    server.stop()
    app.extensions["minsip_db"]["engine"].dispose()


@pytest.fixture(scope="session")
def base_url(live_server):
    return live_server.url


_AXE_SOURCE = None


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core on the page as it is now; return the violations with the given impacts."""
    global _AXE_SOURCE
    if _AXE_SOURCE is None:
        _AXE_SOURCE = (importlib.resources.files("axe_playwright_python") / "axe.min.js").read_text("utf-8")
    page.evaluate(_AXE_SOURCE)
    result = page.evaluate("opts => axe.run(document, opts)", {"resultTypes": ["violations"]})
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [" ".join(n["target"]) if isinstance(n["target"], list) else n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"] if v.get("impact") in impacts
    ]


def assert_accessible(page):
    violations = axe_violations(page)
    assert violations == [], f"axe found on {page.url}: {violations}"


def login(page, base_url, who="anna", password="sip-demo-password", english=True):
    """Log in through the form. With ``english`` the account then switches to English (the tests read
    the source texts); pass ``english=False`` to keep the account's own language."""
    page.goto(f"{base_url}/login")
    page.fill("#email", who if "@" in who else f"{who}@example.org")
    page.fill("#password", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    if english:
        page.select_option("#lang-language", "en")
        page.click(".language-switcher button")
        page.wait_for_load_state()
