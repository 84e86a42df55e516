"""The person's forms about a meeting: answering the invitation, reporting that it was missed,
and the feedback afterwards."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from webapp.forms.consent import CheckboxesField
from webapp.forms.fields import chosen, max_length, strip
from webapp.models import MissedKind
from webapp.services.feedback import QUESTIONS

TEXT_MAX = 2000

#: The person's answers. "I cannot come" is a "no" that asks for another time, with a note.
ACCEPT, DECLINE, CANNOT_COME = "accept", "decline", "cannot_come"


class AnswerForm(FlaskForm):
    """Accept, decline, or "I cannot come" (with a note) for the person's own invitation."""

    answer = RadioField(
        _l("Will you come to the meeting?"),
        choices=[SelectChoice(ACCEPT, _l("Yes, I will come")),
                 SelectChoice(CANNOT_COME, _l("I cannot come at this time")),
                 SelectChoice(DECLINE, _l("No, I do not want this meeting"))],
        validators=[chosen(_l("Choose your answer."))])
    note = TextAreaField(
        _l("A note to the one who invited (optional)"),
        description=_l("If you cannot come, say when you could. Do not write anything you do not want everyone invited to read."),
        filters=[strip], validators=[max_length(TEXT_MAX)])

    def validate_note(self, field) -> None:
        if self.answer.data == CANNOT_COME and not field.data:
            raise ValidationError(_l("Write when you could come instead, so that a new time can be found."))


class MissedForm(FlaskForm):
    """What happened at a meeting that failed the person."""

    kind = RadioField(
        _l("What happened?"),
        choices=[SelectChoice(kind.value, label) for kind, label in (
            (MissedKind.NOBODY_CAME, _l("Nobody came")),
            (MissedKind.SOME_ABSENT, _l("Some of those invited did not come")),
            (MissedKind.CANCELLED_SHORT_NOTICE, _l("It was cancelled at short notice")),
            (MissedKind.MOVED_WITHOUT_ASKING, _l("It was moved without asking me")),
            (MissedKind.OTHER, _l("Something else")),
        )],
        validators=[chosen(_l("Choose what happened."))])
    absent = CheckboxesField(
        _l("Who did not come?"),
        description=_l("Tick everyone who was invited but did not come."))
    description = TextAreaField(
        _l("Tell in your own words what happened"),
        description=_l("Optional, unless you chose \"Something else\". The coordinator and the organisations concerned read it."),
        filters=[strip], validators=[max_length(TEXT_MAX)])

    def validate_absent(self, field) -> None:
        if self.kind.data == MissedKind.SOME_ABSENT.value and not field.data:
            raise ValidationError(_l("Choose who did not come."))

    def validate_description(self, field) -> None:
        if self.kind.data == MissedKind.OTHER.value and not field.data:
            raise ValidationError(_l("Tell in your own words what happened."))


SCALE = [SelectChoice(str(n), str(n)) for n in range(1, 6)]


def _scale():
    return chosen(_l("Choose a number from 1 to 5."))


class FeedbackForm(FlaskForm):
    """Five questions on a 1 to 5 scale (``services.feedback.QUESTIONS``, after SKR's SIP-kollen)."""

    listened_to = RadioField(QUESTIONS["listened_to"], choices=SCALE, validators=[_scale()])
    knows_who_is_responsible = RadioField(QUESTIONS["knows_who_is_responsible"], choices=SCALE, validators=[_scale()])
    knows_what_happens_next = RadioField(QUESTIONS["knows_what_happens_next"], choices=SCALE, validators=[_scale()])
    understood_everything = RadioField(QUESTIONS["understood_everything"], choices=SCALE, validators=[_scale()])
    overall = RadioField(QUESTIONS["overall"], choices=SCALE, validators=[_scale()])
    comment = TextAreaField(
        _l("Anything else you want to say about the meeting? (optional)"),
        description=_l("Your answers are counted without your name in the organisations' figures."),
        filters=[strip], validators=[max_length(TEXT_MAX)])

    def answers(self) -> dict[str, int]:
        """The five answers as numbers."""
        return {name: int(getattr(self, name).data) for name in QUESTIONS}
