"""The public pages, the home page of each role, the language switcher and the health check."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Response, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from webapp import i18n
from webapp.extensions import db
from webapp.forms.account import LanguageForm
from webapp.models import Role
from webapp.security import safe_next
from webapp.services import accounts
from webapp.views import home
from webapp.services.response_cache import cacheable

bp = Blueprint("main", __name__)


@bp.get("/")
@cacheable
def index():
    if not current_user.is_authenticated:
        return render_template("main/landing.html")
    if current_user.role == Role.ADMIN:
        return redirect(url_for("admin.dashboard"))
    if current_user.role == Role.PROFESSIONAL:
        return render_template("main/workspace_home.html")
    return home.citizen_home()


@bp.get("/about")
def about():
    if i18n.easy_read():
        return render_template("main/about_easy.html")
    return render_template("main/about.html")


@bp.get("/accessibility")
def accessibility():
    return render_template("main/accessibility.html")


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(sa.text("SELECT 1"))
    except SQLAlchemyError:
        return jsonify(status="unavailable", database="unreachable"), 503
    return jsonify(status="ok", database="ok")


@bp.get("/ping")
def ping():
    """Touches nothing: the floor of what a request through this app costs (the benchmark's baseline)."""
    return Response("ok\n", mimetype="text/plain")


@bp.post("/language")
def set_language():
    form = LanguageForm(prefix="lang")
    form.language.choices = i18n.switcher_choices()
    target = safe_next(request.form.get("next"), url_for("main.index"))
    if form.validate():
        easy = form.language.data == i18n.EASY_SWEDISH
        language = "sv" if easy else form.language.data
        session[i18n.SESSION_KEY] = language
        session[i18n.EASY_READ_KEY] = easy
        if current_user.is_authenticated:
            accounts.set_language(current_user, language)
    return redirect(target, code=303)
