"""Security wiring: server-side sessions, the response headers, CSRF and the login manager.

Every response gets its headers from one ``after_request``; the Content-Security-Policy carries a
fresh nonce per request and no ``'unsafe-inline'``.
"""
from __future__ import annotations

import secrets

from flask import Flask, Response, current_app, g, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from webapp.extensions import login_manager
from webapp.services import clock, sessions

#: How often (seconds) the idle clock in the cookie is moved on; fewer Set-Cookie headers.
_SEEN_RESOLUTION = 60

PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), payment=(), usb=()"
)


def csp_nonce() -> str:
    """The nonce of this request, for the few ``<script>`` elements that need one."""
    nonce = g.get("csp_nonce")
    if nonce is None:
        nonce = g.csp_nonce = secrets.token_urlsafe(18)
    return nonce


def content_security_policy(nonce: str) -> str:
    return "; ".join([
        "default-src 'self'",
        f"script-src 'self' 'nonce-{nonce}'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "manifest-src 'self'",
        "worker-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
        "base-uri 'none'",
    ])


def set_security_headers(response: Response) -> Response:
    """Set every security header, on every response."""
    headers = response.headers
    headers["Content-Security-Policy"] = content_security_policy(csp_nonce())
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Referrer-Policy"] = "same-origin"
    headers["Permissions-Policy"] = PERMISSIONS_POLICY
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Cross-Origin-Resource-Policy"] = "same-origin"
    if request.is_secure:
        headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
    if request.endpoint != "static" and "Cache-Control" not in headers:
        # Pages carry personal data or a CSRF token: never stored by a browser or a proxy.
        headers["Cache-Control"] = "no-store"
    return response


def cookie_session_alive() -> bool:
    """What the cookie alone tells: it names a login session and has not been idle too long."""
    token = session.get("sid")
    idle = clock.now().timestamp() - session.get("seen", 0)
    return bool(token) and idle <= sessions.idle_timeout().total_seconds()


def move_idle_clock() -> None:
    now = clock.now().timestamp()
    if now - session.get("seen", 0) > _SEEN_RESOLUTION:
        session["seen"] = int(now)


def _load_user(user_id: str):
    """Flask-Login's loader: the session in the cookie must be live on the server."""
    if not cookie_session_alive():
        return None
    user = sessions.user_for_token(session["sid"])
    if user is None or str(user.id) != user_id:
        return None
    move_idle_clock()
    return user


def _unauthorized():
    if request.method != "GET":
        return Response(status=401)
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


#: What the browser fetches in the background, beside the pages: the service worker, its manifest, its
#: offline pages and the static files. Their answers never set the session cookie.
BACKGROUND_ENDPOINTS = frozenset({"static", "pwa.manifest", "pwa.service_worker", "pwa.offline"})


class _SessionInterface(SecureCookieSessionInterface):
    """The signed cookie session, not refreshed by background fetches: an answer to one, arriving after a
    page's answer, would otherwise put back the cookie as it was before that page changed it."""

    def should_set_cookie(self, app: Flask, session) -> bool:  # noqa: ANN001 - Flask's own signature
        return request.endpoint not in BACKGROUND_ENDPOINTS and super().should_set_cookie(app, session)


def init_security(app: Flask) -> None:
    """Register the login manager, the headers and the proxy settings."""
    if app.config["TRUSTED_PROXIES"]:
        count = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)  # type: ignore[method-assign]
    app.session_interface = _SessionInterface()
    login_manager.init_app(app)
    login_manager.session_protection = None  # our own server-side sessions do this job
    login_manager.user_loader(_load_user)
    login_manager.unauthorized_handler(_unauthorized)
    login_manager.login_message = _l("Please log in to see this page.")
    app.after_request(set_security_headers)
    app.jinja_env.globals["csp_nonce"] = csp_nonce


def start_session(user) -> None:
    """Log ``user`` in with a fresh server-side session (a new id defeats session fixation)."""
    from flask_login import login_user

    language = session.get("language")
    session.clear()
    if language:
        session["language"] = language
    session["sid"] = sessions.create(user, ip=client_ip(), user_agent=request.user_agent.string)
    session["seen"] = int(clock.now().timestamp())
    session.permanent = True
    _new_csrf_token()
    login_user(user)


def end_session() -> None:
    """Log out: the server-side session is revoked, so the old cookie is worthless."""
    from flask_login import logout_user

    token = session.get("sid")
    if token:
        sessions.revoke(token)
    logout_user()
    language = session.get("language")
    session.clear()
    if language:
        session["language"] = language
    _new_csrf_token()


def _new_csrf_token() -> None:
    """Put a fresh CSRF token in the session now, with the session's new start, rather than leaving it to
    the next page. Otherwise requests the browser sends side by side (the service worker fetching
    while the first page after login renders) would each make their own, and whichever answer's cookie
    the browser kept last would refuse the other page's forms."""
    from flask_wtf.csrf import generate_csrf

    g.pop(current_app.config["WTF_CSRF_FIELD_NAME"], None)
    session.pop(current_app.config["WTF_CSRF_FIELD_NAME"], None)
    generate_csrf()


def client_ip() -> str:
    return request.remote_addr or "unknown"


def is_logged_in() -> bool:
    return bool(current_user and current_user.is_authenticated)


def safe_next(target: str | None, default: str) -> str:
    """Where to go after a form: only a path on this site, never another host (open redirect)."""
    from urllib.parse import urlsplit

    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(ch) < 32 for ch in target):
        return default
    return target
