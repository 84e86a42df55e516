"""Security headers, CSRF, and the walk over every route proving deny-by-default."""
from __future__ import annotations

import re

import pytest

from webapp.services import policy



def _csp_parts(header: str) -> dict[str, str]:
    return {part.split(" ", 1)[0]: part.split(" ", 1)[1] if " " in part else "" for part in header.split("; ")}


@pytest.mark.parametrize("path", ["/", "/login", "/about", "/missing", "/manifest.webmanifest", "/sw.js", "/healthz"])
def test_every_response_has_the_security_headers(client, path):
    from webapp.security import PERMISSIONS_POLICY

    response = client.get(path)
    headers = response.headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Permissions-Policy"] == PERMISSIONS_POLICY
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    csp = _csp_parts(headers["Content-Security-Policy"])
    assert csp["default-src"] == "'self'"
    assert re.fullmatch(r"'self' 'nonce-[A-Za-z0-9_-]{24}'", csp["script-src"])
    assert csp["frame-ancestors"] == "'none'"
    assert csp["object-src"] == "'none'"
    assert csp["base-uri"] == "'none'"
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert "Strict-Transport-Security" not in headers  # plain HTTP in tests


def test_the_nonce_changes_on_every_request(client):
    first = client.get("/").headers["Content-Security-Policy"]
    second = client.get("/").headers["Content-Security-Policy"]
    assert first != second


def test_hsts_when_served_over_https(client):
    response = client.get("/", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains"


def test_pages_are_no_store_and_static_files_are_cacheable(client):
    assert client.get("/login").headers["Cache-Control"] == "no-store"
    with client.get("/static/css/app.css") as static:
        assert static.status_code == 200
        assert "no-store" not in static.headers.get("Cache-Control", "")
        assert "max-age=31536000" in static.headers["Cache-Control"]


def test_a_post_without_the_csrf_token_is_refused(make_app, demo):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    response = client.post("/login", data={"email": "anna@example.org", "password": "sip-demo-password"},
                           headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert "The form had expired" in response.get_data(as_text=True)


def test_a_post_with_the_csrf_token_is_accepted(make_app, demo):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"email": "anna@example.org", "password": "sip-demo-password",
                                           "csrf_token": token})
    assert response.status_code == 303


def _example_url(app, rule) -> str:
    values = {}
    for name in rule.arguments:
        converter = rule._converters[name]
        values[name] = 1 if converter.__class__.__name__ in ("IntegerConverter",) else "x"
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values)


def test_every_route_requires_login_unless_it_is_on_the_public_allow_list(app, client):
    """Walk ``url_map``: every rule and every method, anonymously."""
    checked = 0
    for rule in app.url_map.iter_rules():
        url = _example_url(app, rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method)
            checked += 1
            if policy.is_public(rule.endpoint):
                assert response.status_code not in (401, 403), (method, url)
                continue
            if method == "GET":
                assert response.status_code == 302, (method, url, response.status_code)
                assert response.headers["Location"].startswith("/login?next="), (method, url)
            else:
                assert response.status_code == 401, (method, url, response.status_code)
    assert checked > 20


def test_the_public_allow_list_is_short_and_names_real_endpoints(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert policy.PUBLIC_ENDPOINTS <= endpoints
    assert len(policy.PUBLIC_ENDPOINTS) <= 20  # each one justified where it is listed


def test_every_blueprint_is_declared_in_the_policy(app):
    for name in app.blueprints:
        assert name in policy.BLUEPRINT_ROLES, f"blueprint {name} has no roles in services/policy.py"


def test_an_undeclared_blueprint_answers_nobody(app, client, auth, demo):
    assert policy.roles_for("mystery.page") == frozenset()
    assert policy.roles_for("nodot") == frozenset()


def test_roles_are_enforced_per_blueprint(client, auth, demo):
    auth.login("anna")
    assert client.get("/admin").status_code == 403
    auth.logout()
    auth.login("sara")
    assert client.get("/admin").status_code == 403
    auth.logout()
    auth.login("admin")
    assert client.get("/admin").status_code == 200


def _form_token(response) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', response.get_data(as_text=True)).group(1)


def test_the_first_pages_forms_post_whichever_side_by_side_answer_set_the_cookie_last(make_app, demo):
    """The browser fetches pages side by side (the service worker precaching while the first page after
    login renders). The CSRF token is made at login, so a concurrent answer that puts back the cookie as
    login left it cannot refuse the page's forms."""
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    name = app.config["SESSION_COOKIE_NAME"]
    client.post("/login", data={"email": "sara@example.org", "password": "sip-demo-password",
                                "csrf_token": _form_token(client.get("/login"))})
    as_login_left_it = client.get_cookie(name).value
    home = client.get("/", headers={"Accept-Language": "en"})
    client.set_cookie(name, as_login_left_it)  # another answer, sent with the login's cookie, arrives last
    response = client.post("/language", data={"lang-language": "en", "csrf_token": _form_token(home),
                                              "next": "/work/"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/work/"
    with app.app_context():
        import sqlalchemy as sa

        from webapp.extensions import db
        from webapp.models import User

        assert db.session.scalar(sa.select(User.language).where(User.email == "sara@example.org")) == "en"


def test_logging_out_leaves_a_token_the_next_login_form_posts_with(make_app, demo):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    client.post("/login", data={"email": "anna@example.org", "password": "sip-demo-password",
                                "csrf_token": _form_token(client.get("/login"))})
    out = client.post("/logout", data={"csrf_token": _form_token(client.get("/"))})
    assert out.status_code in (302, 303)
    name = app.config["SESSION_COOKIE_NAME"]
    as_logout_left_it = client.get_cookie(name).value
    login_page = client.get("/login")
    client.set_cookie(name, as_logout_left_it)
    again = client.post("/login", data={"email": "anna@example.org", "password": "sip-demo-password",
                                        "csrf_token": _form_token(login_page)})
    assert again.status_code == 303


@pytest.mark.parametrize("path", ["/offline?lang=sv", "/sw.js", "/manifest.webmanifest", "/static/css/app.css"])
def test_the_service_workers_background_fetches_never_set_the_cookie(client, auth, demo, path):
    auth.login("anna")
    with client.get(path) as response:
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers
    assert "Set-Cookie" in client.get("/").headers  # a page refreshes the login's cookie
