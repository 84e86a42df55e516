"""The professional's forms on a case: decline, close, record a consent, answer a report, the figures' period."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from webapp.forms.consent import ConsentForm, DateInputField
from webapp.forms.fields import chosen, max_length, required, strip
from webapp.models import ConsentMethod

TEXT_MAX = 2000


class DeclineForm(FlaskForm):
    reason = TextAreaField(
        _l("Why does your organisation decline?"),
        description=_l("The person reads this, together with where to turn. Write it so that they understand it."),
        validators=[required(_l("Write the reason for declining.")), max_length(TEXT_MAX)], filters=[strip])


class CloseForm(FlaskForm):
    reason = TextAreaField(
        _l("Why is the SIP closed?"),
        description=_l("Everyone in the SIP is told, with this reason."),
        validators=[required(_l("Write why the SIP is closed.")), max_length(TEXT_MAX)], filters=[strip])


class RecordConsentForm(ConsentForm):
    """A consent the person gave orally or on paper, written down by a professional."""

    method = RadioField(
        _l("How did the person give their consent?"),
        choices=[SelectChoice(ConsentMethod.ORAL.value, _l("Orally")),
                 SelectChoice(ConsentMethod.PAPER.value, _l("On paper"))],
        validators=[chosen(_l("Choose how the consent was given."))])
    given_on = DateInputField(_l("When was it given?"), empty_message=_l("Enter the date the consent was given."))
    note = TextAreaField(
        _l("Note (optional)"),
        description=_l("For example: where the signed paper is kept, or who else was present."),
        validators=[max_length(TEXT_MAX)], filters=[strip])


def for_professional(form: RecordConsentForm) -> None:
    """The consent form's questions, asked of the professional about the person."""
    form.purpose.label.text = _l("What does the person agree to?")
    form.purpose.description = _l("The question the SIP is about. It comes from the request.")
    form.organisation_ids.label.text = _l("Which organisations may share information with each other?")
    form.organisation_ids.description = _l("Only those the person agreed to.")
    form.not_agreed.label.text = _l("Is there anything the person does not agree to? (optional)")
    form.not_agreed.description = _l("For example: information about finances is not to be shared.")
    form.relative_ids.label.text = _l("Which relatives may take part? (optional)")
    form.relative_ids.description = _l("Relatives who follow the person in the app.")
    form.valid_until.label.text = _l("Until when does the consent last?")


class AnswerReportForm(FlaskForm):
    answer = TextAreaField(
        _l("Your answer to the person"),
        description=_l("The person reads it in the app. Say what happened and what you will do."),
        validators=[required(_l("Write your answer to the person.")), max_length(TEXT_MAX)], filters=[strip])


class PeriodForm(FlaskForm):
    """The figures' period (a GET form: no CSRF, nothing changes)."""

    class Meta:
        csrf = False

    start = DateInputField(_l("From"), empty_message=_l("Enter the first day of the period."))
    end = DateInputField(_l("To"), empty_message=_l("Enter the last day of the period."))

    def validate_end(self, field) -> None:
        if self.start.data and field.data and field.data < self.start.data:
            raise ValidationError(_l("The last day cannot be before the first day."))
