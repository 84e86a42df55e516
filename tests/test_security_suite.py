"""The security suite: CSRF on every POST, no GET changes state, open redirects, exact headers.

Each walks ``url_map``: a route added later is covered without anyone remembering to add it here.
"""
from __future__ import annotations

import re

import pytest

from tests.security_walk import READ_RECEIPTS, argument_values, example_url, snapshot
from webapp.models import Role
from webapp.security import PERMISSIONS_POLICY
from webapp.services import policy

#: A service worker renews its push subscription without a session; the old subscription's secret
#: proves who it is instead (views/notifications.py), so that endpoint cannot carry a CSRF token.
CSRF_EXEMPT = {"notifications.renew"}

ROLE_USERS = {Role.CITIZEN: "anna", Role.PROFESSIONAL: "sara", Role.ADMIN: "admin"}


def _login(client, short):
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"email": f"{short}@example.org", "password": "sip-demo-password",
                                           "csrf_token": token})
    assert response.status_code == 303


def test_every_post_without_the_csrf_token_is_refused(make_app, demo):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.test_request_context():
        values = argument_values()
        rules = [(rule, example_url(rule, values)) for rule in app.url_map.iter_rules() if "POST" in rule.methods]
    checked = 0
    for role, short in ROLE_USERS.items():
        client = app.test_client()
        _login(client, short)
        for rule, url in rules:
            if rule.endpoint in CSRF_EXEMPT:
                continue
            if not policy.is_public(rule.endpoint) and role not in policy.roles_for(rule.endpoint):
                continue
            response = client.post(url, data={"anything": "x"})
            assert response.status_code == 400, (role, rule.endpoint, url, response.status_code)
            checked += 1
    anonymous = app.test_client()
    for rule, url in rules:
        if rule.endpoint not in CSRF_EXEMPT:
            assert anonymous.post(url).status_code == 400, rule.endpoint
    assert checked > 30


def test_no_get_changes_anything(app, demo, auth, client):
    """Every GET route, as every kind of user: the database is the same afterwards (reads may be recorded)."""
    with app.test_request_context():
        values = argument_values()
        rules = [(rule, example_url(rule, values)) for rule in app.url_map.iter_rules()
                 if "GET" in rule.methods and rule.endpoint not in ("static",)]
    for short in ("anna", "erik", "sara", "lena", "nils", "admin", None):
        client = app.test_client()
        if short:
            type(auth)(client).login(short, english=False)
        with app.app_context():
            before = snapshot()
        for rule, url in rules:
            response = client.get(url)
            assert response.status_code < 500, (short, url, response.status_code)
            response.close()
        with app.app_context():
            after = snapshot()
        changed = {name for name in before if before[name] != after[name]} - READ_RECEIPTS
        assert changed == set(), (short, changed)


@pytest.mark.parametrize("path", ["/login?next=https://evil.example/", "/login?next=//evil.example",
                                  "/login?next=/\\evil.example", "/login?next=https:evil.example"])
def test_open_redirects_are_refused_after_login(client, demo, path):
    response = client.post(path, data={"email": "anna@example.org", "password": "sip-demo-password"})
    assert response.status_code == 303 and response.headers["Location"] == "/"


def test_the_language_switcher_refuses_other_sites(client):
    for target in ("https://evil.example", "//evil.example", "javascript:alert(1)", "/\\evil"):
        response = client.post("/language", data={"lang-language": "en", "next": target})
        assert response.headers["Location"] == "/", target


COMMON = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": PERMISSIONS_POLICY,
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def _assert_headers(response, cache_control):
    for name, value in COMMON.items():
        assert response.headers.get(name) == value, name
    csp = response.headers["Content-Security-Policy"]
    assert re.fullmatch(r"default-src 'self'; script-src 'self' 'nonce-[A-Za-z0-9_-]{24}'; style-src 'self'; "
                        r"img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; manifest-src 'self'; "
                        r"worker-src 'self'; form-action 'self'; frame-ancestors 'none'; object-src 'none'; "
                        r"base-uri 'none'", csp), csp
    if cache_control is None:
        assert "no-store" not in response.headers.get("Cache-Control", "")
    else:
        assert response.headers.get("Cache-Control") == cache_control


@pytest.mark.parametrize("who, path, status, mimetype, cache", [
    (None, "/", 200, "text/html", "no-store"),                              # a public page
    (None, "/login", 200, "text/html", "no-store"),                         # a form
    ("anna", "/account", 200, "text/html", "no-store"),                     # a page behind the login
    (None, "/account", 302, None, "no-store"),                              # a redirect to the login
    (None, "/no-such-page", 404, "text/html", "no-store"),                  # an error page
    (None, "/healthz", 200, "application/json", "no-store"),                # JSON
    (None, "/manifest.webmanifest", 200, "application/manifest+json", "no-cache"),
    (None, "/sw.js", 200, "application/javascript", "no-cache"),            # the service worker
    (None, "/offline?lang=sv", 200, "text/html", "no-cache"),               # the offline page
    (None, "/static/css/app.css", 200, "text/css", None),                   # a static file (cached a year)
    ("anna", "/contacts/contacts.vcf", 200, "text/vcard", "no-store"),      # a download
    ("anna", "/privacy/my-data.json", 200, "application/json", "no-store"),
    ("anna", "/privacy/my-data.pdf", 200, "application/pdf", "no-store"),   # a document
])
def test_headers_are_exact_on_every_kind_of_response(client, auth, demo, who, path, status, mimetype, cache):
    if who:
        auth.login(who)
    response = client.get(path)
    assert response.status_code == status
    if mimetype:
        assert response.mimetype == mimetype
    _assert_headers(response, cache)
    response.close()
