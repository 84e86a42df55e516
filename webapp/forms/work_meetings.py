"""The professional's forms about meetings: book, move, cancel, the interpreter, and answers."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from webapp.forms.choices import InChoices
from webapp.forms.consent import CheckboxesField
from webapp.forms.contacts import LocalDateTimeField
from webapp.forms.fields import chosen, max_length, required, strip
from webapp.models import DEFAULT_DURATION, PlaceKind, Response
from webapp.services import interpreter_languages

TEXT_MAX = 2000
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


class MinutesField(IntegerField):
    """Whole minutes, with a translated message for anything else typed."""

    def process_formdata(self, valuelist) -> None:
        text = valuelist[0].strip() if valuelist and isinstance(valuelist[0], str) else ""
        try:
            self.data = int(text)
        except ValueError:
            self.data = None
            raise ValueError(_l("Enter the length in whole minutes, for example 45.")) from None


class MeetingStartField(LocalDateTimeField):
    """The meeting's start: required, with its own message when left empty (a required validator would
    hide the message about what was typed)."""

    def process_formdata(self, valuelist) -> None:
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            raise ValueError(_l("Enter the date and time of the meeting."))
        super().process_formdata(valuelist)


class MeetingTimeForm(FlaskForm):
    """When and where: shared by booking and moving a meeting."""

    starts_at = MeetingStartField(
        _l("Date and time"), format=DATETIME_FORMATS,
        description=_l("Swedish time, for example 2026-03-18 10:00."))
    duration_minutes = MinutesField(
        _l("Length in minutes"), default=DEFAULT_DURATION,
        description=_l("A SIP meeting takes 45 minutes, one hour at most."))
    place_kind = RadioField(
        _l("Where is the meeting?"), validate_choice=False, default=PlaceKind.HOME.value,
        validators=[chosen(_l("Choose where the meeting is.")), InChoices()])
    address = StringField(
        _l("Address"), description=_l("Needed for an address or a clinic; optional for the person's home."),
        validators=[max_length(300)], filters=[strip])
    remote_link = StringField(
        _l("Link to the remote meeting"), description=_l("Only for a remote meeting; it starts with https://."),
        validators=[max_length(500)], filters=[strip])
    purpose = TextAreaField(
        _l("Purpose of the meeting"), description=_l("From the request. The invitation states it."),
        validators=[max_length(TEXT_MAX)], filters=[strip])


class BookMeetingForm(MeetingTimeForm):
    """Book a meeting and choose who is invited (the person always is)."""

    relative_ids = CheckboxesField(_l("Relatives the consent names"), coerce=int)
    contact_ids = CheckboxesField(_l("From the person's contact map"), coerce=int,
                                  description=_l("You record their answers."))
    professional_ids = CheckboxesField(_l("Professionals"), coerce=int,
                                       description=_l("They answer in the app."))
    organisation_ids = CheckboxesField(_l("Organisations (the person is not named yet)"), coerce=int,
                                       description=_l("You record their answers."))


class MoveMeetingForm(MeetingTimeForm):
    reason = TextAreaField(
        _l("Why is the meeting moved?"), description=_l("Everyone invited reads it."),
        validators=[required(_l("Write why the meeting is moved.")), max_length(TEXT_MAX)], filters=[strip])


class CancelMeetingForm(FlaskForm):
    reason = TextAreaField(
        _l("Why is the meeting cancelled?"), description=_l("Everyone invited reads it."),
        validators=[required(_l("Write why the meeting is cancelled.")), max_length(TEXT_MAX)], filters=[strip])


class InterpreterBookingForm(FlaskForm):
    language = SelectField(_l("Language"), validate_choice=False,
                           validators=[required(_l("Choose the language."))])
    language_name = StringField(_l("Which sign language?"),
                                description=_l("Only if you chose another sign language."),
                                validators=[max_length(100)], filters=[strip])
    mode = RadioField(_l("How does the interpreter take part?"), validate_choice=False,
                      validators=[chosen(_l("Choose how the interpreter takes part.")), InChoices()])
    agency = StringField(_l("Interpreter agency"),
                         validators=[required(_l("Write which interpreter agency is booked.")), max_length(200)],
                         filters=[strip])
    booking_reference = StringField(_l("Booking reference (optional)"), validators=[max_length(100)],
                                    filters=[strip])
    confirmed = BooleanField(_l("The agency has confirmed the booking"))
    notes = TextAreaField(_l("Notes (optional)"), validators=[max_length(500)], filters=[strip])

    def validate_language(self, field) -> None:
        if not interpreter_languages.is_known(field.data or ""):
            raise ValidationError(_l("Choose a language from the list."))

    def validate_language_name(self, field) -> None:
        if self.language.data == interpreter_languages.OTHER_SIGN_LANGUAGE and not field.data:
            raise ValidationError(_l("Write which sign language."))


class InvitationAnswerForm(FlaskForm):
    """Accept, decline or send a substitute: a professional's own answer, or one recorded for a contact."""

    response = RadioField(
        _l("The answer"),
        choices=[SelectChoice(Response.ACCEPTED.value, _l("Comes")),
                 SelectChoice(Response.DECLINED.value, _l("Cannot come")),
                 SelectChoice(Response.SUBSTITUTE.value, _l("Sends someone else"))],
        validators=[chosen(_l("Choose an answer."))])
    substitute_name = StringField(_l("Who comes instead?"), description=_l("Only when someone else comes."),
                                  validators=[max_length(200)], filters=[strip])
    note = TextAreaField(_l("Note (optional)"), validators=[max_length(TEXT_MAX)], filters=[strip])

    def validate_substitute_name(self, field) -> None:
        if self.response.data == Response.SUBSTITUTE.value and not field.data:
            raise ValidationError(_l("Write the name of the person who comes instead."))
