"""Forms on the account page."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField

from webapp.forms.fields import chosen, max_length, required, strip


class ProfileForm(FlaskForm):
    name = StringField(_l("Your name"), validators=[required(_l("Enter your name.")), max_length(200)],
                       filters=[strip], render_kw={"autocomplete": "name"})
    language = SelectField(_l("Language"), validators=[chosen()])


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(_l("Current password"),
                                     validators=[required(_l("Enter your current password."))],
                                     render_kw={"autocomplete": "current-password"})
    new_password = PasswordField(
        _l("New password"),
        description=_l("At least 12 characters. A few unusual words together are easy to remember and hard to guess."),
        validators=[required(_l("Choose a new password."))],
        render_kw={"autocomplete": "new-password"},
    )


class LanguageForm(FlaskForm):
    """The language switcher in every page's footer."""

    language = SelectField(_l("Language"), validators=[chosen()])
