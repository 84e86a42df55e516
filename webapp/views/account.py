"""The account page: name, language and password."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp import i18n
from webapp.forms.account import PasswordChangeForm, ProfileForm
from webapp.security import start_session
from webapp.services import accounts

bp = Blueprint("account", __name__, url_prefix="/account")


def _forms():
    profile = ProfileForm(prefix="profile", obj=current_user if request.method == "GET" else None)
    profile.language.choices = i18n.language_choices()
    return profile, PasswordChangeForm(prefix="password")


@bp.get("")
def settings():
    profile, password = _forms()
    return render_template("account/settings.html", profile=profile, password=password)


@bp.post("/profile")
def update_profile():
    profile, password = _forms()
    if profile.validate_on_submit():
        accounts.update_profile(current_user, profile.name.data, profile.language.data)
        session[i18n.SESSION_KEY] = profile.language.data
        flash(_("Your details are saved."), "success")
        return redirect(url_for("account.settings"), code=303)
    return render_template("account/settings.html", profile=profile, password=password), 422


@bp.post("/password")
def change_password():
    profile, password = _forms()
    if password.validate_on_submit():
        try:
            accounts.change_password(current_user, password.current_password.data, password.new_password.data)
        except accounts.AccountError as error:
            getattr(password, error.field).errors.append(error.message)
        else:
            # Every earlier session, this one included, has ended; this browser gets a new one.
            start_session(current_user._get_current_object())
            flash(_("Your password is changed. You are logged out everywhere else."), "success")
            return redirect(url_for("account.settings"), code=303)
    return render_template("account/settings.html", profile=profile, password=password), 422
