"""The contact form: one contact on the person's contact map."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, EmailField, RadioField, StringField, TelField, TextAreaField
from wtforms.validators import Optional

from webapp.forms.choices import InChoices
from webapp.forms.fields import ValidEmail, ValidPhone, chosen, max_length, required, strip


class LocalDateTimeField(DateTimeLocalField):
    """A date and time in Swedish local time, with a translated message for anything else typed."""

    def process_formdata(self, valuelist) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(_l("Enter the date and time like 2026-03-18 14:30.")) from None


class ContactForm(FlaskForm):
    name = StringField(_l("Name"), validators=[required(_l("Enter the contact's name.")), max_length(200)],
                       filters=[strip])
    role_title = StringField(_l("Role or profession"),
                             description=_l("For example district nurse, needs assessor or son."),
                             validators=[max_length(200)], filters=[strip])
    organisation = StringField(_l("Organisation"),
                               description=_l("Pick one from the list as you type, or write the name."),
                               validators=[max_length(200)], filters=[strip],
                               render_kw={"list": "organisation-directory"})
    sector = RadioField(_l("Where do they work?"), validate_choice=False,
                        validators=[chosen(_l("Choose where the contact works.")), InChoices()])
    phone = TelField(_l("Phone"), validators=[max_length(40), ValidPhone()], filters=[strip])
    email = EmailField(_l("E-mail address"), validators=[max_length(254), ValidEmail()], filters=[strip])
    helps_with = TextAreaField(_l("What do they help you with?"), validators=[max_length(1000)], filters=[strip])
    meeting_frequency = StringField(_l("How often do you meet?"),
                                    description=_l("For example every other Tuesday, or once a month."),
                                    validators=[max_length(200)], filters=[strip])
    meeting_place = StringField(_l("Where do you meet?"), description=_l("For example at home, or at the health centre."),
                                validators=[max_length(200)], filters=[strip])
    next_meeting_at = LocalDateTimeField(
        _l("Next meeting"), format=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        description=_l("Date and time, for example 2026-03-18 14:30."),
        validators=[Optional()],
    )
