"""Friendly, translated error pages. Never a stack trace."""
from __future__ import annotations

import logging

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger(__name__)

_PAGES = {400, 403, 404, 405, 413, 429, 500, 503}


def _render(status: int, **extra):
    template = f"errors/{status if status in _PAGES else 'generic'}.html"
    return render_template(template, status=status, **extra), status


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(_error: CSRFError):
        return _render(400, csrf=True)

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        response = _render(error.code or 500)
        if error.code == 405 and error.valid_methods:
            return response[0], response[1], {"Allow": ", ".join(error.valid_methods)}
        return response

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        log.exception("unhandled error", exc_info=error)
        try:
            from webapp.extensions import db

            db.session.rollback()
        except Exception:  # pragma: no cover - the database itself may be what failed  # nosec B110
            pass
        return _render(InternalServerError.code)
