"""Paths of pages, also where there is no web request (the reminder job builds links too)."""
from __future__ import annotations

from flask import current_app, has_request_context, url_for


def path_for(endpoint: str, **values) -> str:
    """The path of ``endpoint`` (e.g. ``/notifications/3``), with or without a request.

    ``url_for`` outside a request needs ``SERVER_NAME``, which an installation behind a proxy need not
    set; a path is all a notification or a push needs, so build it from the URL map directly.
    """
    if has_request_context():
        return url_for(endpoint, **values)
    adapter = current_app.url_map.bind("localhost", script_name=current_app.config.get("APPLICATION_ROOT") or "/")
    return adapter.build(endpoint, values)
