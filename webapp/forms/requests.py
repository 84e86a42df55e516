"""The pages of the SIP request form, one question each. Choices are set by the view."""
from __future__ import annotations

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField, StringField, TelField, TextAreaField
from wtforms.validators import ValidationError

from webapp.forms.choices import CheckboxesField, InChoices
from webapp.forms.fields import ValidPhone, chosen, max_length, required, strip
from webapp.services import clock, interpreter_languages


class LocalDateField(DateField):
    """A date as ``YYYY-MM-DD`` (the browser's date picker), with a translated message otherwise."""

    def process_formdata(self, valuelist) -> None:
        if not "".join(valuelist or []).strip():
            self.data = None
            return
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(_l("Enter the date like 2026-03-18.")) from None


def _radio(label, message, **kwargs) -> RadioField:
    return RadioField(label, validators=[chosen(message), InChoices()], validate_choice=False, **kwargs)


class ForWhomForm(FlaskForm):
    choice = _radio(_l("Who is the SIP for?"), _l("Choose who the SIP is for."))


class AboutThemForm(FlaskForm):
    name = StringField(_l("Their name"), validators=[required(_l("Enter their name.")), max_length(200)],
                       filters=[strip])
    phone = TelField(_l("Their phone number (optional)"),
                     description=_l("Staff call them to ask for their consent. If they have no phone, staff call you."),
                     validators=[max_length(40), ValidPhone()], filters=[strip])
    awareness = _radio(_l("Do they know that you are asking, and do they agree?"),
                       _l("Choose whether they know about the request and agree to it."))


class PurposeForm(FlaskForm):
    purpose = TextAreaField(
        _l("In your own words"),
        description=_l("For example: who should talk to whom, what is not working, what you want to be "
                       "able to do. The invitation to the meeting will say this."),
        validators=[required(_l("Write what you want help with.")), max_length(2000)], filters=[strip],
    )


class StartForm(FlaskForm):
    path = _radio(_l("How did the need start?"), _l("Choose how the need started."))
    discharge_date = LocalDateField(_l("When are you leaving hospital?"),
                                    description=_l("Only if you are leaving hospital. An approximate date is fine."))

    def validate(self, extra_validators=None) -> bool:
        """A date typed before choosing "at home" does not stop the person: it is not used."""
        valid = super().validate(extra_validators)
        if self.path.data != "discharge" and self.discharge_date.errors:
            self.discharge_date.errors = []
            self._errors = None
            valid = not any(field.errors for field in self)
        return valid

    def validate_discharge_date(self, field) -> None:
        """The date is needed on the hospital path, from today and within a year."""
        if self.path.data != "discharge" or field.errors:
            return
        if field.data is None:
            raise ValidationError(_l("Enter the date you are leaving hospital."))
        today = clock.today()
        if field.data < today:
            raise ValidationError(_l("Enter today's date or a later one."))
        if field.data > today + timedelta(days=365):
            raise ValidationError(_l("Enter a date within the next year."))


class OrganisationsForm(FlaskForm):
    ids = CheckboxesField(
        _l("Which organisations should receive your request?"),
        description=_l("Choose at least one municipality or region, for example your municipality and "
                       "your health centre."),
        coerce=int, validators=[InChoices()],
    )

    def validate_ids(self, field) -> None:
        if not field.data:
            raise ValidationError(_l("Choose at least one municipality or region."))


class ContactsForm(FlaskForm):
    ids = CheckboxesField(_l("Who from your contact map should be invited?"),
                          description=_l("Choose any that you want at the meeting. You can also choose none."),
                          coerce=int, validators=[InChoices()])


class PlaceForm(FlaskForm):
    place = _radio(_l("Where would you like to meet?"), _l("Choose where you would like to meet."))


class InterpreterForm(FlaskForm):
    needed = _radio(_l("Do you need an interpreter at the meeting?"), _l("Choose yes or no."))


class InterpreterDetailsForm(FlaskForm):
    language = SelectField(_l("Which language?"), validate_choice=False,
                           validators=[required(_l("Choose a language."))])
    language_name = StringField(_l("Which sign language?"),
                                description=_l("Only if you chose another sign language."),
                                validators=[max_length(100)], filters=[strip])
    mode = _radio(_l("How should the interpreter take part?"), _l("Choose how the interpreter takes part."))
    notes = TextAreaField(_l("Anything the booking should know (optional)"),
                          description=_l("For example a dialect."), validators=[max_length(500)], filters=[strip])

    def validate_language(self, field) -> None:
        if not interpreter_languages.is_known(field.data or ""):
            raise ValidationError(_l("Choose a language from the list."))

    def validate_language_name(self, field) -> None:
        if self.language.data == interpreter_languages.OTHER_SIGN_LANGUAGE and not field.data:
            raise ValidationError(_l("Write which sign language."))


class AccessibilityForm(FlaskForm):
    needs = CheckboxesField(_l("Does the meeting need any of these?"),
                            description=_l("Choose all that help you. You can also choose none."),
                            validators=[InChoices()])
    other = TextAreaField(_l("Other needs"), validators=[max_length(500)], filters=[strip])

    def validate_other(self, field) -> None:
        if "other" in (self.needs.data or []) and not field.data:
            raise ValidationError(_l("Describe the other need, or untick it."))
