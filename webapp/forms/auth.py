"""Forms for logging in, registering and accepting a staff invitation."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField

from webapp.forms.fields import ValidEmail, chosen, max_length, required, strip


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[required(_l("Enter your e-mail address.")), max_length(254)],
                       filters=[strip], render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Password"), validators=[required(_l("Enter your password.")), max_length(1024)],
                             render_kw={"autocomplete": "current-password"})


class RegisterForm(FlaskForm):
    name = StringField(_l("Your name"), validators=[required(_l("Enter your name.")), max_length(200)],
                       filters=[strip], render_kw={"autocomplete": "name"})
    email = EmailField(_l("E-mail address"),
                       validators=[required(_l("Enter your e-mail address.")), max_length(254), ValidEmail()],
                       filters=[strip], render_kw={"autocomplete": "email"})
    password = PasswordField(
        _l("Choose a password"),
        description=_l("At least 12 characters. A few unusual words together are easy to remember and hard to guess."),
        validators=[required(_l("Choose a password."))],
        render_kw={"autocomplete": "new-password"},
    )
    language = SelectField(_l("Language"), validators=[chosen()])


class SetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("Choose a password"),
        description=_l("At least 12 characters. A few unusual words together are easy to remember and hard to guess."),
        validators=[required(_l("Choose a password."))],
        render_kw={"autocomplete": "new-password"},
    )
