"""Logging in and out, registering, and accepting a staff invitation."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from email_validator import EmailNotValidError

from webapp import i18n
from webapp.forms.auth import LoginForm, RegisterForm, SetPasswordForm
from webapp.security import client_ip, end_session, safe_next, start_session
from webapp.services import accounts

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    target = safe_next(request.values.get("next"), url_for("main.index"))
    if form.validate_on_submit():
        result = accounts.authenticate(form.email.data, form.password.data, client_ip())
        if result.throttled:
            return render_template("auth/login.html", form=form, next=target, throttled=True), 429
        if result.user is not None:
            start_session(result.user)
            return redirect(target, code=303)
        form.password.errors.append(_("The e-mail address or the password is not right."))
        return render_template("auth/login.html", form=form, next=target), 422
    status = 422 if form.errors else 200
    return render_template("auth/login.html", form=form, next=target), status


@bp.post("/logout")
def logout():
    end_session()
    flash(_("You have logged out."), "success")
    # "#signed-out" tells the page (static/js/saved.js) to remove the copies saved on this device.
    return redirect(url_for("main.index") + "#signed-out", code=303)


@bp.route("/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = RegisterForm()
    form.language.choices = i18n.language_choices()
    if request.method == "GET":
        form.language.data = str(get_locale())
    if form.validate_on_submit():
        try:
            user = accounts.register_citizen(form.name.data, form.email.data, form.password.data,
                                             form.language.data)
        except accounts.AccountError as error:
            getattr(form, error.field).errors.append(error.message)
        except EmailNotValidError:  # pragma: no cover - the form's validator catches it first
            form.email.errors.append(_("Enter an e-mail address in the form name@example.se."))
        else:
            start_session(user)
            flash(_("Welcome to Min SIP. Your account is ready."), "success")
            return redirect(url_for("main.index"), code=303)
    status = 422 if form.errors else 200
    return render_template("auth/register.html", form=form), status


@bp.route("/welcome/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    invitation = accounts.invitation_for_token(token)
    if invitation is None:
        abort(404)
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            user = accounts.accept_invitation(invitation, form.password.data)
        except accounts.AccountError as error:
            form.password.errors.append(error.message)
        else:
            start_session(user)
            flash(_("Your password is set. Welcome to Min SIP."), "success")
            return redirect(url_for("main.index"), code=303)
    status = 422 if form.errors else 200
    return render_template("auth/accept_invitation.html", form=form, invited=invitation.user), status
