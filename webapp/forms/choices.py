"""Choice fields for the feature forms: translated messages for answers that were not offered."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField
from wtforms.validators import StopValidation
from wtforms.widgets import CheckboxInput, ListWidget


class InChoices:
    """The answer is one of the options offered (a tampered form gets a translated message)."""

    def __init__(self, message=None):
        self.message = message

    def __call__(self, form, field) -> None:
        offered = {str(value) for value, _label, *_rest in field.iter_choices()}
        given = field.data if isinstance(field.data, list) else [field.data]
        if any(str(value) not in offered for value in given if value not in (None, "")):
            raise StopValidation(self.message or _l("Choose one of the options."))


class CheckboxesField(SelectMultipleField):
    """Several checkboxes in a fieldset (the ``choices`` macro draws them)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validate_choice", False)
        kwargs.setdefault("default", list)  # nothing ticked is an empty list, not None
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = []
            raise ValueError(_l("Choose one of the options.")) from None


