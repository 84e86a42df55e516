"""The progressive web app shell: the manifest, the service worker and the offline page."""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _

from webapp import i18n

bp = Blueprint("pwa", __name__)

#: Fonts are not precached: the Ethiopic font is fetched (and then cached) only by pages that need it.
_PRECACHED_DIRS = ("css", "js", "icons")


@lru_cache(maxsize=4)
def _static_files(static_folder: str) -> tuple[tuple[str, str], ...]:
    """(relative path, content hash) of every static file the service worker precaches."""
    root = Path(static_folder)
    files = []
    for sub in _PRECACHED_DIRS:
        for path in sorted((root / sub).rglob("*")):
            if path.is_file():
                digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
                files.append((path.relative_to(root).as_posix(), digest))
    return tuple(files)


def asset_version() -> str:
    """One hash over every precached asset: a new release gets a new service-worker cache."""
    files = _static_files(current_app.static_folder)
    joined = "|".join(f"{name}:{digest}" for name, digest in files)
    return hashlib.sha256(joined.encode()).hexdigest()[:12]


def static_url(filename: str) -> str:
    """The URL of a static file with its content hash, so that it can be cached for a year."""
    return _static_url(current_app.static_folder, request.script_root, filename)


@lru_cache(maxsize=256)
def _static_url(static_folder: str, script_root: str, filename: str) -> str:
    digests = dict(_static_files(static_folder))
    return url_for("static", filename=filename, v=digests.get(filename, "0"))


@bp.get("/manifest.webmanifest")
def manifest():
    code = str(get_locale())
    body = {
        "name": "Min SIP",
        "short_name": "Min SIP",
        "description": _("Your coordinated individual plan (SIP): who does what, your meetings and your contacts."),
        "lang": code,
        "dir": i18n.text_direction(code),
        "id": "/",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "orientation": "any",
        "background_color": "#ffffff",
        "theme_color": "#1d5c4d",
        "icons": [
            {"src": static_url("icons/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": static_url("icons/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {"src": static_url("icons/maskable-512.png"), "sizes": "512x512", "type": "image/png",
             "purpose": "maskable"},
        ],
    }
    response = Response(json.dumps(body, ensure_ascii=False), mimetype="application/manifest+json")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/sw.js")
def service_worker():
    precache = [static_url(name) for name, _digest in _static_files(current_app.static_folder)]
    offline = {code: url_for("pwa.offline", lang=code) for code in i18n.supported_languages()}
    body = render_template("pwa/sw.js", version=asset_version(), precache=precache, offline=offline,
                           default_language=current_app.config["BABEL_DEFAULT_LOCALE"])
    response = Response(body, mimetype="application/javascript")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.get("/offline")
def offline():
    code = request.args.get("lang") or str(get_locale())
    if code not in i18n.supported_languages():
        abort(404)
    with force_locale(code):
        body = render_template("pwa/offline.html")
    response = Response(body, mimetype="text/html")
    response.headers["Cache-Control"] = "no-cache"
    return response
