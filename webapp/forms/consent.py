"""The consent form: the question agreed, who may share, what is not agreed, who takes part, until when."""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectMultipleField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from webapp.forms.fields import max_length, required, strip


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes, carrying integer ids, with our own translated messages."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def process_formdata(self, valuelist):
        try:
            self.data = [int(value) for value in valuelist]
        except ValueError:
            self.data = []
            raise ValueError(_l("Choose from the list.")) from None

    def pre_validate(self, form):
        allowed = {choice.value if isinstance(choice, SelectChoice) else choice[0] for choice in self.choices or []}
        if any(value not in allowed for value in self.data or []):
            raise ValidationError(_l("Choose from the list."))


class DateInputField(DateField):
    """A date (``<input type="date">``, ISO 8601), with a message that shows what to type."""

    def __init__(self, *args, empty_message=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.empty_message = empty_message

    def process_formdata(self, valuelist):
        text = " ".join(valuelist).strip() if valuelist else ""
        if not text:
            self.data = None
            if self.empty_message:
                raise ValueError(self.empty_message)
            return
        try:
            self.data = date.fromisoformat(text)
        except ValueError:
            self.data = None
            raise ValueError(_l("Enter a date like 2027-03-01 (year, month, day).")) from None


class ConsentForm(FlaskForm):
    """Giving, changing or renewing consent; the summary follows before anything is recorded."""

    purpose = TextAreaField(
        _l("What do you agree to?"),
        description=_l("The question the SIP is about, in your own words. It comes from your request."),
        validators=[required(_l("Write what the consent is for.")), max_length(2000)], filters=[strip])
    organisation_ids = CheckboxesField(
        _l("Who may share information about you with each other?"),
        description=_l("Only the organisations you tick. They come from your request and your contact map."),
        coerce=int)
    not_agreed = TextAreaField(
        _l("Is there anything you do not agree to? (optional)"),
        description=_l("For example: information about my finances is not to be shared."),
        validators=[max_length(2000)], filters=[strip])
    relative_ids = CheckboxesField(
        _l("Which relatives may take part? (optional)"),
        description=_l("They may take part in the SIP and see its plan and meetings in the app."),
        coerce=int)
    valid_until = DateInputField(
        _l("Until when does your consent last?"),
        empty_message=_l("Enter the date the consent ends."))

    def validate_organisation_ids(self, field):
        if not field.data:
            raise ValidationError(_l("Choose at least one organisation."))


class ConfirmForm(FlaskForm):
    """A confirmation with nothing to fill in: only the CSRF token."""
