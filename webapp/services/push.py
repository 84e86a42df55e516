"""Web push (RFC 8030, 8291, 8292): the VAPID keys, the allow-list of push services, and the
browsers' subscriptions. Sending lives in ``services/push_delivery.py``.

A subscription's endpoint is a URL the server will later POST to. Only the push services of the
browsers people use are accepted (``PUSH_ALLOWED_HOSTS``), checked when subscribing and again before
each send, so that nobody can make the server call an arbitrary host; loopback is accepted only when
``PUSH_ALLOW_LOOPBACK`` is on (the tests' local push service).
"""
from __future__ import annotations

import base64
import binascii
import hmac
import ipaddress
import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

import sqlalchemy as sa
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from flask import current_app
from flask_babel import lazy_gettext as _l
from py_vapid import Vapid

from webapp.extensions import db
from webapp.models import PushSubscription, User
from webapp.services import clock

log = logging.getLogger(__name__)

MAX_ENDPOINT_LENGTH = 1000


def b64url(data: bytes) -> str:
    """URL-safe base64 without padding, as the Push API and VAPID spell keys."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """The inverse of ``b64url``; raises ``ValueError`` on anything else."""
    if not isinstance(text, str) or not text or len(text) > 200:
        raise ValueError("not base64url")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise ValueError("not base64url") from None


# --- VAPID keys -----------------------------------------------------------------------------------

def generate_keys() -> tuple[str, str]:
    """A new VAPID key pair: (private key as the raw 32-byte scalar, public key as the uncompressed
    point), both base64url: the forms ``VAPID_PRIVATE_KEY`` and the browser's ``applicationServerKey`` use."""
    key = ec.generate_private_key(ec.SECP256R1())
    private = key.private_numbers().private_value.to_bytes(32, "big")
    public = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return b64url(private), b64url(public)


@dataclass(frozen=True)
class VapidKeys:
    """The application server's VAPID signer, public key and subject."""
    signer: Vapid
    public_key: str
    subject: str


def _load_keys(config) -> VapidKeys | None:
    private, subject = config.get("VAPID_PRIVATE_KEY", ""), config.get("VAPID_SUBJECT", "")
    if not private or not subject:
        return None
    try:
        signer = Vapid.from_string(private)
    except Exception:  # py_vapid raises several kinds for a malformed key
        log.error("VAPID_PRIVATE_KEY cannot be read: web push is off")
        return None
    public = b64url(signer.public_key.public_bytes(serialization.Encoding.X962,
                                                   serialization.PublicFormat.UncompressedPoint))
    given = config.get("VAPID_PUBLIC_KEY", "")
    if given and given != public:
        log.error("VAPID_PUBLIC_KEY does not belong to VAPID_PRIVATE_KEY: web push is off")
        return None
    if not (subject.startswith("mailto:") and "@" in subject) and not subject.startswith("https://"):
        log.error("VAPID_SUBJECT must be a mailto: address or an https:// URL: web push is off")
        return None
    return VapidKeys(signer, public, subject)


def keys() -> VapidKeys | None:
    """The configured VAPID keys, read once per app; None when push is not set up."""
    cache = current_app.extensions.setdefault("minsip_push", {})
    if "keys" not in cache:
        cache["keys"] = _load_keys(current_app.config)
    return cache["keys"]


def is_configured() -> bool:
    """Push is offered only when the VAPID keys and subject are configured (``flask push-keys``)."""
    return keys() is not None


def public_key() -> str:
    """The VAPID public key for ``PushManager.subscribe`` (not secret); empty when push is off."""
    configured = keys()
    return configured.public_key if configured else ""


# --- The allow-list -----------------------------------------------------------------------------

def _host_allowed(host: str, patterns) -> bool:
    for pattern in patterns:
        if pattern.startswith("*."):
            if host.endswith(pattern[1:]) and len(host) > len(pattern) - 1:
                return True
        elif host == pattern:
            return True
    return False


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def endpoint_allowed(endpoint: str) -> bool:
    """Whether the server may POST to this endpoint: HTTPS on an allow-listed push service, or
    loopback when the setting allows it. No user name, password, or unusual port is accepted."""
    if not isinstance(endpoint, str) or len(endpoint) > MAX_ENDPOINT_LENGTH:
        return False
    try:
        parts = urlsplit(endpoint)
        port = parts.port
    except ValueError:
        return False
    host = (parts.hostname or "").lower()
    if not host or parts.username or parts.password or any(ord(ch) < 33 for ch in endpoint):
        return False
    if _is_loopback(host):
        return bool(current_app.config.get("PUSH_ALLOW_LOOPBACK")) and parts.scheme in ("http", "https")
    return (parts.scheme == "https" and port in (None, 443)
            and _host_allowed(host, current_app.config.get("PUSH_ALLOWED_HOSTS", ())))


# --- Subscriptions ------------------------------------------------------------------------------

class SubscriptionError(Exception):
    """A subscription that cannot be accepted, with a message for the person."""

    def __init__(self, message, status: int = 422):
        super().__init__(str(message))
        self.message = message
        self.status = status


@dataclass(frozen=True)
class SubscriptionInfo:
    """A checked subscription: endpoint, the browser's public key and auth secret."""
    endpoint: str
    p256dh: str
    auth: str


def parse_subscription(data) -> SubscriptionInfo:
    """Check a ``PushSubscription.toJSON()`` object: an allowed endpoint, a P-256 public key and a
    16-byte authentication secret. Raises ``SubscriptionError``."""
    if not isinstance(data, dict) or not isinstance(data.get("keys"), dict):
        raise SubscriptionError(_l("This browser sent a subscription we cannot read."), 400)
    endpoint, p256dh, auth = data.get("endpoint"), data["keys"].get("p256dh"), data["keys"].get("auth")
    if not isinstance(endpoint, str) or not endpoint_allowed(endpoint):
        raise SubscriptionError(_l("This browser's push service is not one we can send to, so notifications "
                                   "cannot be turned on here. Try another browser."))
    try:
        point = b64url_decode(p256dh)
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
        secret = b64url_decode(auth)
    except (ValueError, TypeError):
        raise SubscriptionError(_l("This browser sent a subscription we cannot read."), 400) from None
    if len(point) != 65 or len(secret) != 16:
        raise SubscriptionError(_l("This browser sent a subscription we cannot read."), 400)
    return SubscriptionInfo(endpoint, b64url(point), b64url(secret))


def device_label(user_agent: str) -> str:
    """"Browser/system" from a user agent, e.g. "Firefox/Android", shown translated on the settings page."""
    ua = user_agent or ""
    browser = next((name for token, name in (
        ("Edg/", "Edge"), ("OPR/", "Opera"), ("SamsungBrowser/", "Samsung Internet"), ("Firefox/", "Firefox"),
        ("FxiOS/", "Firefox"), ("CriOS/", "Chrome"), ("Chrome/", "Chrome"), ("Chromium/", "Chromium"),
        ("Safari/", "Safari")) if token in ua), "")
    system = next((name for token, name in (
        ("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Windows", "Windows"),
        ("Mac OS X", "Mac"), ("CrOS", "ChromeOS"), ("Linux", "Linux")) if token in ua), "")
    return f"{browser}/{system}"


def subscribe(user: User, data, user_agent: str = "") -> PushSubscription:
    """Save the browser's subscription for ``user`` (the person chose to turn notifications on).

    The same browser subscribing again keeps one row; if another account had it (a shared phone),
    it now belongs to whoever turned it on last, so the earlier account's messages stop arriving there.
    """
    if not is_configured():
        raise SubscriptionError(_l("Notifications on your phone are not available on this service."), 409)
    info = parse_subscription(data)
    db.begin_write()
    row = db.session.scalars(sa.select(PushSubscription).where(PushSubscription.endpoint == info.endpoint)).first()
    if row is None:
        row = PushSubscription(endpoint=info.endpoint, created_at=clock.now())
        db.session.add(row)
    row.user_id, row.p256dh, row.auth = user.id, info.p256dh, info.auth
    row.label = device_label(user_agent)[:200]
    db.session.commit()
    return row


def unsubscribe(user: User, endpoint) -> bool:
    """The browser unsubscribed: forget its subscription (only the user's own)."""
    if not isinstance(endpoint, str):
        return False
    db.begin_write()
    deleted = db.session.execute(
        sa.delete(PushSubscription).where(PushSubscription.user_id == user.id,
                                          PushSubscription.endpoint == endpoint)
    ).rowcount
    db.session.commit()
    return bool(deleted)


def remove_device(user: User, subscription_id: int) -> bool:
    """Remove one of the user's devices from the settings page."""
    db.begin_write()
    deleted = db.session.execute(
        sa.delete(PushSubscription).where(PushSubscription.user_id == user.id,
                                          PushSubscription.id == subscription_id)
    ).rowcount
    db.session.commit()
    return bool(deleted)


def renew(data, user: User | None) -> PushSubscription:
    """The service worker's ``pushsubscriptionchange``: replace an old subscription by the new one.

    The worker may run long after the session ended, so the change is proven by the old
    subscription's authentication secret (shared only by that browser and this server); without an
    old subscription the request must come from a logged-in user.
    """
    if not isinstance(data, dict):
        raise SubscriptionError(_l("This browser sent a subscription we cannot read."), 400)
    old = data.get("old") if isinstance(data.get("old"), dict) else {}
    owner = None
    if isinstance(old.get("endpoint"), str) and isinstance(old.get("auth"), str):
        row = db.session.scalars(sa.select(PushSubscription).where(PushSubscription.endpoint == old["endpoint"])).first()
        if row is not None and hmac.compare_digest(row.auth.encode(), old["auth"].encode()):
            owner = db.session.get(User, row.user_id)
    if owner is None:
        owner = user
    if owner is None or not owner.active:
        # Neither proven nor logged in: as far as the caller can tell, there is no such subscription.
        raise SubscriptionError(_l("This device was not subscribed."), 404)
    info = parse_subscription(data.get("subscription"))
    label = ""
    if old.get("endpoint") and old.get("endpoint") != info.endpoint:
        previous = db.session.scalars(sa.select(PushSubscription).where(
            PushSubscription.endpoint == old["endpoint"], PushSubscription.user_id == owner.id)).first()
        label = previous.label if previous is not None else ""
    db.begin_write()
    if label:
        db.session.execute(sa.delete(PushSubscription).where(PushSubscription.endpoint == old["endpoint"],
                                                             PushSubscription.user_id == owner.id))
    row = db.session.scalars(sa.select(PushSubscription).where(PushSubscription.endpoint == info.endpoint)).first()
    if row is None:
        row = PushSubscription(endpoint=info.endpoint, created_at=clock.now(), label=label)
        db.session.add(row)
    row.user_id, row.p256dh, row.auth = owner.id, info.p256dh, info.auth
    db.session.commit()
    return row


def devices(user: User) -> list[PushSubscription]:
    """The user's devices, newest first."""
    return list(db.session.scalars(
        sa.select(PushSubscription).where(PushSubscription.user_id == user.id)
        .order_by(PushSubscription.created_at.desc(), PushSubscription.id.desc())))
