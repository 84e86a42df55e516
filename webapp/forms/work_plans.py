"""The plan editor's small forms (one per section, so a save never loses what another section holds),
and the follow-up's attendance, outcome and skip forms."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from webapp.forms.choices import InChoices
from webapp.forms.consent import DateInputField
from webapp.forms.fields import ValidEmail, ValidPhone, chosen, max_length, required, strip
from webapp.models import FollowUpOutcome, GoalHorizon, InterventionPrincipal, Principal

TEXT_MAX = 4000
LINE_MAX = 200

#: Who provides an intervention, as staff read it; the person's and relatives' parts are interventions too.
PRINCIPALS = {
    InterventionPrincipal.MUNICIPALITY: _l("The municipality"),
    InterventionPrincipal.REGION: _l("The region"),
    InterventionPrincipal.OTHER: _l("Others (school, Försäkringskassan, providers...)"),
    InterventionPrincipal.PERSON: _l("The person's own part"),
    InterventionPrincipal.RELATIVE: _l("Relatives' part"),
}
HORIZONS = {GoalHorizon.LONG: _l("Long term"), GoalHorizon.SHORT: _l("Short term")}
OVERALL = {Principal.MUNICIPALITY: _l("The municipality"), Principal.REGION: _l("The region")}
OUTCOMES = {
    FollowUpOutcome.CONTINUE: _l("Continue unchanged"),
    FollowUpOutcome.REVISE: _l("Revise the plan (starts a new draft)"),
    FollowUpOutcome.CLOSE: _l("Close the SIP"),
}


def _choices(table: dict) -> list[SelectChoice]:
    return [SelectChoice(str(key), label) for key, label in table.items()]


class SituationForm(FlaskForm):
    current_situation = TextAreaField(
        _l("The current situation, in the person's words"), filters=[strip], validators=[max_length(TEXT_MAX)])


class GoalForm(FlaskForm):
    horizon = RadioField(_l("Long or short term"), choices=_choices(HORIZONS),
                         validators=[chosen(_l("Choose long or short term.")), InChoices()], validate_choice=False)
    text = TextAreaField(_l("The goal, in the person's words"), filters=[strip],
                         validators=[required(_l("Write the goal, in the person's words.")), max_length(1000)])


class InterventionForm(FlaskForm):
    """What, by whom, when, how often, where, for which goal, how evaluated. ``organisation_id`` and
    ``goal_key`` get their choices from the view (the directory, the draft's goals)."""

    what = TextAreaField(_l("What is done"), filters=[strip],
                         validators=[required(_l("Write what the intervention is.")), max_length(1000)])
    principal = RadioField(_l("Who provides it"), choices=_choices(PRINCIPALS),
                           validators=[chosen(_l("Choose who provides it.")), InChoices()], validate_choice=False)
    organisation_id = SelectField(_l("Organisation, from the directory"), validators=[InChoices()],
                                  validate_choice=False)
    organisation_name = StringField(_l("Or the organisation's name, if it is not in the directory"),
                                    filters=[strip], validators=[max_length(LINE_MAX)])
    responsible_name = StringField(_l("Responsible person"), filters=[strip], validators=[max_length(LINE_MAX)])
    responsible_phone = StringField(_l("Their phone"), filters=[strip], validators=[max_length(40), ValidPhone()])
    responsible_email = StringField(_l("Their e-mail"), filters=[strip], validators=[max_length(254), ValidEmail()])
    when = StringField(_l("When"), filters=[strip], validators=[max_length(LINE_MAX)])
    frequency = StringField(_l("How often"), filters=[strip], validators=[max_length(LINE_MAX)])
    place = StringField(_l("Where"), filters=[strip], validators=[max_length(LINE_MAX)])
    goal_key = SelectField(_l("The goal it serves"), validators=[InChoices()], validate_choice=False)
    evaluation = TextAreaField(_l("How it is evaluated"), filters=[strip], validators=[max_length(2000)])

    def validate_organisation_name(self, field) -> None:
        if field.data and self.organisation_id.data:
            raise ValidationError(_l("Choose an organisation from the directory or write its name, not both."))


class NoneForm(FlaskForm):
    """The explicit "none" the legal minimum accepts instead of interventions."""

    no_municipality_interventions = BooleanField(_l("The municipality has no interventions in this plan"))
    no_region_interventions = BooleanField(_l("The region has no interventions in this plan"))
    no_other_interventions = BooleanField(_l("Nobody else has interventions in this plan"))


class ResponsibilityForm(FlaskForm):
    coordinator_id = SelectField(_l("Coordinator, agreed with the person"), validators=[InChoices()],
                                 validate_choice=False)
    overall_responsibility = RadioField(
        _l("Who holds the overall responsibility"), choices=_choices(OVERALL), validators=[InChoices()],
        validate_choice=False)


class NextFollowUpForm(FlaskForm):
    next_follow_up_on = DateInputField(_l("Date of the next follow-up"),
                                       description=_l("For example 2026-04-15."))
    no_follow_up_reason = TextAreaField(_l("Or the reason there is no follow-up"), filters=[strip],
                                        validators=[max_length(1000)])

    def validate_no_follow_up_reason(self, field) -> None:
        if field.data and self.next_follow_up_on.data:
            raise ValidationError(_l("Give a date or a reason there is none, not both."))


def attendance_form(participants, **kwargs) -> FlaskForm:
    """Per invited participant: came or did not come."""

    class AttendanceForm(FlaskForm):
        pass

    for participant in participants:
        label = ", ".join(part for part in (participant.name, participant.organisation_name) if part)
        default = None if participant.attended is None else ("yes" if participant.attended else "no")
        setattr(AttendanceForm, f"p{participant.id}", RadioField(
            label, choices=[SelectChoice("yes", _l("Came")), SelectChoice("no", _l("Did not come"))], default=default,
            validators=[chosen(_l("Say whether they came.")), InChoices()], validate_choice=False))
    return AttendanceForm(**kwargs)


def attended(form, participants) -> dict[int, bool]:
    return {p.id: form[f"p{p.id}"].data == "yes" for p in participants}


class OutcomeForm(FlaskForm):
    outcome = RadioField(_l("The outcome of the follow-up"), choices=_choices(OUTCOMES),
                         validators=[chosen(_l("Choose the outcome.")), InChoices()], validate_choice=False)
    note = TextAreaField(_l("Note, or why the SIP is closed"),
                         description=_l("Closing needs a reason; everyone taking part is told."),
                         filters=[strip], validators=[max_length(2000)])


class SkipForm(FlaskForm):
    reason = TextAreaField(_l("Why did the follow-up not take place?"), filters=[strip],
                           validators=[required(_l("Write why the follow-up did not take place.")), max_length(2000)])
