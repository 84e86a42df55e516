"""A local push service for the tests: a real HTTP server on 127.0.0.1 that speaks RFC 8030.

It checks each request as a browser vendor's push service would: the VAPID JWT (RFC 8292: ES256
signature against the key in ``k``, ``aud`` = this service's origin, ``exp`` at most 12 hours ahead,
a ``sub``), the ``TTL``, ``Urgency`` and ``Topic`` headers, and decrypts the body (RFC 8291,
``aes128gcm``) with the private key and authentication secret of the subscription it was sent to,
each generated here per subscription like a browser does. It answers 201, or what a test told it to
(404, 410, 429, 5xx...), and records everything for the test to assert.
"""
from __future__ import annotations

import base64
import json
import os
import re
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

MAX_VAPID_LIFETIME = 12 * 3600
_TOPIC = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class BrowserSubscription:
    """A browser's side of one subscription: its endpoint, its key pair and its auth secret."""

    token: str
    endpoint: str
    private_key: ec.EllipticCurvePrivateKey
    auth_secret: bytes

    @property
    def info(self) -> dict:
        """What ``PushSubscription.toJSON()`` gives the page."""
        public = self.private_key.public_key().public_bytes(serialization.Encoding.X962,
                                                            serialization.PublicFormat.UncompressedPoint)
        return {"endpoint": self.endpoint, "expirationTime": None,
                "keys": {"p256dh": b64url(public), "auth": b64url(self.auth_secret)}}


@dataclass
class Received:
    """One request the service accepted for checking, and what it answered."""

    token: str
    headers: dict
    payload: dict | None
    status: int
    errors: list[str] = field(default_factory=list)
    claims: dict = field(default_factory=dict)


class PushService:
    """Start with ``PushService().start()``; ``stop()`` when done (or use it as a context manager)."""

    def __init__(self, vapid_public_key: str | None = None, verify: bool = True):
        self.vapid_public_key = vapid_public_key
        self.verify = verify
        self.subscriptions: dict[str, BrowserSubscription] = {}
        self.received: list[Received] = []
        self._answers: dict[str, deque] = defaultdict(deque)
        self._lock = threading.Lock()
        service = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args):  # quiet
                pass

            def do_POST(self):  # noqa: N802 - the name http.server calls
                service._handle(self)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.origin = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    def start(self) -> PushService:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *_exc):
        self.stop()

    # --- what tests use -------------------------------------------------------------------------

    def subscription(self) -> BrowserSubscription:
        """A new subscription, as a browser makes one: a P-256 key pair and a 16-byte auth secret."""
        token = b64url(os.urandom(12))
        sub = BrowserSubscription(token, f"{self.origin}/push/{token}", ec.generate_private_key(ec.SECP256R1()),
                               os.urandom(16))
        with self._lock:
            self.subscriptions[token] = sub
        return sub

    def answer(self, sub: BrowserSubscription, *statuses: int, retry_after: str | None = None) -> None:
        """Answer the next requests for ``sub`` with these statuses (then 201 again)."""
        with self._lock:
            for status in statuses:
                self._answers[sub.token].append((status, retry_after))

    def for_subscription(self, sub: BrowserSubscription) -> list[Received]:
        with self._lock:
            return [r for r in self.received if r.token == sub.token]

    def payloads(self, sub: BrowserSubscription | None = None) -> list[dict]:
        with self._lock:
            return [r.payload for r in self.received if r.status == 201 and (sub is None or r.token == sub.token)]

    @property
    def errors(self) -> list[str]:
        with self._lock:
            return [error for r in self.received for error in r.errors]

    # --- the protocol ---------------------------------------------------------------------------

    def _check_vapid(self, authorization: str, errors: list[str]) -> dict:
        match = re.fullmatch(r"vapid t=([A-Za-z0-9_\-.]+), ?k=([A-Za-z0-9_-]+)", authorization or "")
        if not match:
            errors.append(f"no VAPID authorization: {authorization!r}")
            return {}
        token, key = match.groups()
        if self.vapid_public_key and key != self.vapid_public_key:
            errors.append("VAPID key is not the application server's")
        try:
            header_b64, claims_b64, signature_b64 = token.split(".")
            header = json.loads(b64url_decode(header_b64))
            claims = json.loads(b64url_decode(claims_b64))
            signature = b64url_decode(signature_b64)
            public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64url_decode(key))
            der = encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big"))
            public.verify(der, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
        except (ValueError, InvalidSignature) as error:
            errors.append(f"VAPID JWT does not verify: {error!r}")
            return {}
        if header.get("alg") != "ES256":
            errors.append(f"JWT alg {header.get('alg')}")
        if claims.get("aud") != self.origin:
            errors.append(f"aud {claims.get('aud')!r} is not {self.origin!r}")
        now = time.time()
        if not isinstance(claims.get("exp"), int) or not now < claims["exp"] <= now + MAX_VAPID_LIFETIME + 1:
            errors.append(f"exp {claims.get('exp')!r} is not within 12 hours")
        sub = str(claims.get("sub", ""))
        if not (sub.startswith("mailto:") or sub.startswith("https://")):
            errors.append(f"sub {sub!r}")
        return claims

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length)
        token = handler.path.rsplit("/", 1)[-1]
        headers = {name.lower(): value for name, value in handler.headers.items()}
        errors: list[str] = []
        payload, claims = None, {}
        sub = self.subscriptions.get(token)
        if sub is None:
            errors.append(f"unknown subscription {token}")
        elif self.verify:
            claims = self._check_vapid(headers.get("authorization", ""), errors)
            if not headers.get("ttl", "").isdigit():
                errors.append(f"TTL {headers.get('ttl')!r}")
            if headers.get("urgency", "normal") not in ("very-low", "low", "normal", "high"):
                errors.append(f"Urgency {headers.get('urgency')!r}")
            if "topic" in headers and not _TOPIC.match(headers["topic"]):
                errors.append(f"Topic {headers['topic']!r}")
            if headers.get("content-encoding") != "aes128gcm":
                errors.append(f"Content-Encoding {headers.get('content-encoding')!r}")
            try:
                plain = http_ece.decrypt(body, private_key=sub.private_key, auth_secret=sub.auth_secret,
                                         version="aes128gcm")
                payload = json.loads(plain)
            except Exception as error:  # any failure to decrypt is what the test must see
                errors.append(f"cannot decrypt: {error!r}")
        with self._lock:
            queued = self._answers[token]
            status, retry_after = queued.popleft() if queued else (201, None)
            if errors and status == 201:
                status = 400
            self.received.append(Received(token, headers, payload, status, errors, claims))
        handler.send_response(status)
        if status == 201:
            handler.send_header("Location", f"{self.origin}/message/{b64url(os.urandom(9))}")
        if retry_after is not None:
            handler.send_header("Retry-After", retry_after)
        handler.send_header("Content-Length", "0")
        handler.end_headers()
