"""Field helpers shared by the feature forms."""
from __future__ import annotations

from email_validator import EmailNotValidError
from flask_babel import lazy_gettext as _l
from wtforms import ValidationError
from wtforms.validators import DataRequired, InputRequired, Length

from webapp.services.accounts import normalise_email


def required(message=None):
    """A field that must be filled in, with a translated message."""
    return DataRequired(message=message or _l("Fill in this field."))


def chosen(message=None):
    """A choice that must be made (radio buttons, selects)."""
    return InputRequired(message=message or _l("Choose one of the options."))


def max_length(limit: int):
    return Length(max=limit, message=_l("Use at most %(max)d characters.", max=limit))


def strip(value):
    """Filter: trim surrounding white space from text input; a missing value becomes empty text."""
    if value is None:
        return ""
    return value.strip() if isinstance(value, str) else value


class ValidEmail:
    """An e-mail address that email-validator accepts (no DNS lookup)."""

    def __call__(self, form, field) -> None:
        if not field.data:
            return
        try:
            normalise_email(field.data)
        except EmailNotValidError:
            raise ValidationError(_l("Enter an e-mail address in the form name@example.se.")) from None


class ValidPhone:
    """A phone number that ``phonenumbers`` accepts (Swedish by default); stored in E.164 form."""

    def __call__(self, form, field) -> None:
        from webapp.services import phones

        if not field.data:
            return
        try:
            field.data = phones.normalise(field.data)
        except ValueError:
            raise ValidationError(_l("Enter a phone number, for example 070-123 45 67 or +46 70 123 45 67.")) from None
