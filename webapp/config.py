"""Settings, read from the environment and the instance folder only.

Secrets never live in the repository: ``SECRET_KEY`` comes from the environment or from
``instance/secret_key``, which is generated once with a cryptographically strong random value.
"""
from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

#: The interface languages, in the order the language switcher lists them. Swedish is the default;
#: Finnish is a national minority language; the others are the languages many people who need a SIP
#: read best. Arabic and Persian are written right to left.
LANGUAGES = ("sv", "en", "ar", "fa", "so", "ti", "fi", "pl", "uk", "bs")
DEFAULT_LANGUAGE = "sv"
TIMEZONE = "Europe/Stockholm"


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def instance_secret(instance_path: str, filename: str, nbytes: int = 48) -> str:
    """Return the secret kept in ``instance/<filename>``, creating it atomically on first use.

    Several gunicorn workers may start at once: ``O_EXCL`` makes exactly one of them write it.
    """
    path = Path(instance_path) / filename
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        value = path.read_text(encoding="ascii").strip()
        if value:
            return value
        raise RuntimeError(f"{path} is empty: delete it to generate a new secret") from None
    value = secrets.token_urlsafe(nbytes)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(value + "\n")
    return value


def load_settings(instance_path: str) -> dict:
    """Build the configuration mapping from the environment and the instance folder."""
    database_url = os.environ.get("DATABASE_URL") or (
        "sqlite:///" + str(Path(instance_path) / "minsip.sqlite3")
    )
    secret_key = os.environ.get("SECRET_KEY") or instance_secret(instance_path, "secret_key")
    return {**_common_settings(), **push_settings(instance_path), "SECRET_KEY": secret_key,
            "DATABASE_URL": database_url}


def load_settings_without_instance(given: dict) -> dict:
    """Settings for a caller (the tests) that supplies the secret and the database itself."""
    return {**_common_settings(), **push_settings(None), "SECRET_KEY": given["SECRET_KEY"],
            "DATABASE_URL": given["DATABASE_URL"]}


#: The push services of the browsers people use; an endpoint on any other host is refused, so that the
#: server cannot be made to send requests to arbitrary hosts. ``*.`` matches any subdomain.
DEFAULT_PUSH_HOSTS = ("fcm.googleapis.com", "updates.push.services.mozilla.com", "*.push.apple.com",
                      "*.notify.windows.com")

#: The files ``flask push-keys`` writes into the instance folder (the private key with mode 600).
VAPID_FILES = {"VAPID_PRIVATE_KEY": "vapid_private_key", "VAPID_PUBLIC_KEY": "vapid_public_key",
               "VAPID_SUBJECT": "vapid_subject"}


def push_settings(instance_path: str | None) -> dict:
    """Web push: the VAPID keys and subject (environment first, then the instance folder), the
    allow-list of push services, and whether loopback endpoints are allowed (tests only)."""
    values = {}
    for name, filename in VAPID_FILES.items():
        value = os.environ.get(name, "").strip()
        if not value and instance_path is not None:
            path = Path(instance_path) / filename
            value = path.read_text(encoding="ascii").strip() if path.is_file() else ""
        values[name] = value
    hosts = os.environ.get("PUSH_ALLOWED_HOSTS", "")
    values["PUSH_ALLOWED_HOSTS"] = tuple(h.strip().lower() for h in hosts.split(",") if h.strip()) or DEFAULT_PUSH_HOSTS
    values["PUSH_ALLOW_LOOPBACK"] = _flag("PUSH_ALLOW_LOOPBACK", False)
    return values


def _common_settings() -> dict:
    env = os.environ.get("MINSIP_ENV", "production")
    production = env == "production"
    return {
        "ENV_NAME": env,
        "SQL_ECHO": _flag("SQL_ECHO", False),
        # Sessions: the cookie only carries a random session id; the server keeps its state.
        "SESSION_COOKIE_NAME": "minsip",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _flag("COOKIE_SECURE", production),
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
        "SESSION_IDLE_TIMEOUT": timedelta(minutes=30),
        # Rendered pages kept per process until the next write (services/response_cache.py).
        "RESPONSE_CACHE": _flag("RESPONSE_CACHE", True),
        "RESPONSE_CACHE_BYTES": int(os.environ.get("RESPONSE_CACHE_BYTES", str(32 * 1024 * 1024))),
        # Seconds a process answers from memory before asking the database whether anyone else wrote.
        "RESPONSE_CACHE_RECHECK": float(os.environ.get("RESPONSE_CACHE_RECHECK", "0.1")),
        "SESSION_ABSOLUTE_TIMEOUT": timedelta(hours=12),
        "REMEMBER_COOKIE_DURATION": timedelta(seconds=0),
        # Login throttling: per account and client address.
        "LOGIN_MAX_FAILURES": 10,
        "LOGIN_FAILURE_WINDOW": timedelta(minutes=15),
        # Password hashing: argon2id. RFC 9106's second recommended option is the library default.
        "ARGON2_TIME_COST": int(os.environ.get("ARGON2_TIME_COST", "3")),
        "ARGON2_MEMORY_COST": int(os.environ.get("ARGON2_MEMORY_COST", str(64 * 1024))),
        "ARGON2_PARALLELISM": int(os.environ.get("ARGON2_PARALLELISM", "4")),
        "WTF_CSRF_ENABLED": True,
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
        "LANGUAGES": LANGUAGES,
        "BABEL_DEFAULT_LOCALE": DEFAULT_LANGUAGE,
        "BABEL_DEFAULT_TIMEZONE": TIMEZONE,
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).resolve().parent.parent / "translations"),
        # Number of reverse proxies in front of the app whose X-Forwarded-* headers are trusted.
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
        "ACCESSIBILITY_CONTACT_EMAIL": os.environ.get("ACCESSIBILITY_CONTACT_EMAIL", "tillganglighet@example.org"),
        "SUPPORT_PHONE": os.environ.get("SUPPORT_PHONE", "+46 8 123 456 00"),
        "SEND_FILE_MAX_AGE_DEFAULT": timedelta(days=365),
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        "COMPRESS_MIMETYPES": [
            "text/html", "text/css", "application/javascript", "text/javascript",
            "application/json", "application/manifest+json", "image/svg+xml", "text/calendar",
        ],
        "COMPRESS_ALGORITHM": ["br", "gzip"],
        "COMPRESS_MIN_SIZE": 500,
        "COMPRESS_STREAMS": False,
    }
