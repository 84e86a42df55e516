"""Who may reach which part of the app. Deny by default.

Every endpoint is either on the short public allow-list or belongs to a blueprint listed in
``BLUEPRINT_ROLES``; anything else is refused, so a new blueprint must be declared here before it
answers anyone. Object-level rules (whose data may be read) live in ``services/access.py``.
"""
from __future__ import annotations

from flask import abort, request
from flask_login import current_user

from webapp.models import Role

#: Endpoints anyone may reach without logging in.
PUBLIC_ENDPOINTS = frozenset({
    "static",
    "main.index",
    "main.about",
    "main.accessibility",
    "main.healthz",
    "main.ping",
    "main.set_language",
    "pwa.manifest",
    "pwa.service_worker",
    "pwa.offline",
    "auth.login",
    "auth.register",
    "auth.accept_invitation",
    "relatives.join",  # a relative's invitation link: it explains, then asks them to log in or register
    # A service worker renews a push subscription after the session may have ended; the old
    # subscription's secret proves it (views/notifications.py).
    "notifications.renew",
    # A calendar app fetches the person's meetings without a login; the secret address is the key
    # (views/calendar.py). It can be renewed or turned off by the person.
    "calendar.feed",
})

ANY_ROLE = frozenset(Role)

#: Which roles may use each blueprint once logged in.
BLUEPRINT_ROLES: dict[str, frozenset[Role]] = {
    "auth": ANY_ROLE,
    "account": ANY_ROLE,
    "main": ANY_ROLE,
    "admin": frozenset({Role.ADMIN}),
    "pwa": ANY_ROLE,
    "contacts": frozenset({Role.CITIZEN}),
    "requests": frozenset({Role.CITIZEN}),
    "work": frozenset({Role.PROFESSIONAL}),
    # Consent pages: the access service decides per SIP (the person, relatives, professionals in scope).
    "consent": frozenset({Role.CITIZEN, Role.PROFESSIONAL}),
    "relatives": frozenset({Role.CITIZEN}),
    "privacy": frozenset({Role.CITIZEN}),
    "notifications": frozenset({Role.CITIZEN, Role.PROFESSIONAL}),
    # The person's side of a SIP (issue 6): the person, and relatives as far as the access service allows.
    "sips": frozenset({Role.CITIZEN}),
    "plans": frozenset({Role.CITIZEN}),
    "meetings": frozenset({Role.CITIZEN}),
    "missed": frozenset({Role.CITIZEN}),
    "feedback": frozenset({Role.CITIZEN}),
    "calendar": frozenset({Role.CITIZEN}),
    "saved_copies": frozenset({Role.CITIZEN}),
    # A SIP's documents: the person and relatives in their language, staff also side by side in two.
    "documents": frozenset({Role.CITIZEN, Role.PROFESSIONAL}),
}


def is_public(endpoint: str | None) -> bool:
    return endpoint in PUBLIC_ENDPOINTS


def roles_for(endpoint: str) -> frozenset[Role]:
    """The roles allowed on ``endpoint``; empty (nobody) for an undeclared blueprint."""
    blueprint = endpoint.rsplit(".", 1)[0] if "." in endpoint else ""
    return BLUEPRINT_ROLES.get(blueprint, frozenset())


def enforce() -> None:
    """``before_request``: require a login outside the allow-list, and the blueprint's role."""
    endpoint = request.endpoint
    if endpoint is None or is_public(endpoint):
        return None
    if not current_user.is_authenticated:
        from webapp.extensions import login_manager

        return login_manager.unauthorized()
    if current_user.role not in roles_for(endpoint):
        abort(403)
    return None
