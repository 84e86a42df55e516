"""Min SIP: the coordinated individual plan (samordnad individuell plan) in the person's hand."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask, Request, request
from werkzeug.datastructures import ImmutableMultiDict, iter_multi_items

from webapp import config as settings
from webapp import extensions

_UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class WithoutNulls(ImmutableMultiDict):
    """Query and form values without NUL characters: nobody types them, and PostgreSQL text refuses them."""

    def __init__(self, mapping=None):
        if mapping is not None:
            mapping = [(key, value.replace("\x00", "") if isinstance(value, str) else value)
                       for key, value in iter_multi_items(mapping)]
        super().__init__(mapping)


class MinSipRequest(Request):
    parameter_storage_class = WithoutNulls


class MinSipFlask(Flask):
    """Flask, with static files read into memory (they are small) so that they can be compressed."""

    request_class = MinSipRequest

    def send_static_file(self, filename: str):
        response = super().send_static_file(filename)
        body = response.response
        try:
            data = b"" if response.status_code == 304 else b"".join(body)
        finally:
            getattr(body, "close", lambda: None)()  # closed now, even if the client goes away
        response.direct_passthrough = False
        if response.status_code == 304:
            response.response = []
        else:
            response.set_data(data)
        return response


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create the application. It only wires things together; the rules live in ``services``."""
    instance_path = os.environ.get("INSTANCE_PATH") or str(Path(__file__).resolve().parent.parent / "instance")
    app = MinSipFlask(__name__, instance_path=instance_path, instance_relative_config=True)
    register_config(app, test_config)
    register_extensions(app)
    register_request_hooks(app)
    register_blueprints(app)
    register_templates(app)
    register_errors(app)
    register_commands(app)
    return app


def register_config(app: Flask, test_config: dict[str, Any] | None) -> None:
    if test_config and "SECRET_KEY" in test_config and "DATABASE_URL" in test_config:
        # Tests bring everything they need and must not touch the instance folder.
        app.config.update(settings.load_settings_without_instance(test_config))
    else:
        app.config.update(settings.load_settings(app.instance_path))
    if test_config:
        app.config.update(test_config)


def register_extensions(app: Flask) -> None:
    from webapp.i18n import check_catalogues, install_gettext, select_locale
    from webapp.security import init_security

    extensions.db.init_app(app)
    extensions.csrf.init_app(app)
    extensions.babel.init_app(app, locale_selector=select_locale)
    install_gettext(app)
    extensions.compress.init_app(app)
    init_security(app)
    if not app.config.get("SKIP_CATALOGUE_CHECK"):
        check_catalogues(app)


def register_request_hooks(app: Flask) -> None:
    from webapp.services import audit, policy, response_cache

    response_cache.init_app(app)
    app.before_request(response_cache.answer_early)  # before anything reads the database

    @app.before_request
    def _declare_writes() -> None:
        # A request that may change data writes in one IMMEDIATE transaction on SQLite.
        if request.method in _UNSAFE_METHODS:
            extensions.db.begin_write()

    app.before_request(policy.enforce)
    app.before_request(response_cache.serve)
    app.after_request(response_cache.keep)  # after_request runs last-registered first: after the commit
    app.after_request(audit.commit_request)


def register_blueprints(app: Flask) -> None:
    from webapp.views import (
        account, admin, auth, calendar, consent, contacts, documents, feedback, main, meetings, missed,
        notifications, plans, privacy, pwa, relatives, requests, saved_copies, sips, work,
    )

    for module in (main, auth, account, admin, pwa, contacts, requests, work, consent, relatives, privacy,
                   notifications, sips, plans, meetings, missed, feedback, calendar, saved_copies, documents):
        app.register_blueprint(module.bp)


def register_templates(app: Flask) -> None:
    from webapp.views import labels, template_context

    template_context.init_app(app)
    labels.init_app(app)


def register_errors(app: Flask) -> None:
    from webapp.views import errors

    errors.init_app(app)


def register_commands(app: Flask) -> None:
    from webapp import cli

    cli.init_app(app)
