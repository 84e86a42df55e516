"""Forms for administrators: organisations and staff accounts."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField

from webapp.forms.fields import ValidEmail, ValidPhone, chosen, max_length, required, strip


class OrganisationForm(FlaskForm):
    name = StringField(_l("Name"), validators=[required(_l("Enter the organisation's name.")), max_length(200)],
                       filters=[strip])
    kind = SelectField(_l("Kind of organisation"), validators=[chosen()])
    part_of = StringField(_l("Part of (principal)"), description=_l("For example Region Stockholm, for a health centre."),
                          validators=[max_length(200)], filters=[strip])
    phone = StringField(_l("Phone"), validators=[max_length(40), ValidPhone()], filters=[strip])
    email = EmailField(_l("E-mail address"), validators=[max_length(254), ValidEmail()], filters=[strip])
    address = StringField(_l("Address"), validators=[max_length(300)], filters=[strip])
    website = StringField(_l("Website"), validators=[max_length(300)], filters=[strip])


class StaffForm(FlaskForm):
    name = StringField(_l("Name"), validators=[required(_l("Enter the name.")), max_length(200)], filters=[strip])
    email = EmailField(_l("E-mail address"),
                       validators=[required(_l("Enter the e-mail address.")), max_length(254), ValidEmail()],
                       filters=[strip])
    role = SelectField(_l("Role"), validators=[chosen()])
    organisation_id = SelectField(_l("Organisation"), coerce=int,
                                  description=_l("Professionals belong to one organisation."))
    title = StringField(_l("Title"), description=_l("For example needs assessor or district nurse."),
                        validators=[max_length(200)], filters=[strip])
    phone = StringField(_l("Phone"), validators=[max_length(40), ValidPhone()], filters=[strip])
    language = SelectField(_l("Language"), validators=[chosen()])
