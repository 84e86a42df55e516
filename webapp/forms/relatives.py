"""Forms for relatives: the invitation and what a relative may do, chosen per SIP."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, StringField
from wtforms.fields.choices import SelectChoice

from webapp.forms.consent import DateInputField
from webapp.forms.fields import chosen, max_length, required, strip
from webapp.models import Sip
from webapp.services.relatives import Level

LEVEL_CHOICES = [
    SelectChoice(Level.NONE.value, _l("Nothing")),
    SelectChoice(Level.SEE.value, _l("See the plan and meetings")),
    SelectChoice(Level.ACT.value, _l("See, and act for me")),
]

#: The hints under the choices, keyed by value.
LEVEL_HINTS = {
    Level.ACT.value: _l("Answer meeting invitations, report a missed meeting and give feedback for you. "
                        "Never give or withdraw consent."),
}

SIP_FIELD_PREFIX = "sip_"


class RightsForm(FlaskForm):
    """What a relative may do: per SIP (fields added by ``rights_form``), asking for a SIP, until when."""

    can_request = BooleanField(_l("May ask for a new SIP for me"))
    ends_on = DateInputField(
        _l("Until when? (optional)"),
        description=_l("Leave it empty to keep it until you remove them. After this date they see nothing."))

    def sip_fields(self) -> list:
        """The per-SIP choices, in the order of the SIPs."""
        return [field for field in self if field.name.startswith(SIP_FIELD_PREFIX)]


class InvitationForm(RightsForm):
    """Inviting a relative: who it is for (only the person sees this) and what they may do."""

    label = StringField(
        _l("Who are you inviting?"),
        description=_l("Only you see this, for example \u201cErik, my son\u201d."),
        validators=[required(_l("Write who you are inviting.")), max_length(200)], filters=[strip])


def rights_form(form_class: type[RightsForm], sips: list[Sip], **kwargs) -> RightsForm:
    """A form with one question per SIP of the person: nothing, see, or see and act."""
    fields = {
        f"{SIP_FIELD_PREFIX}{sip.id}": RadioField(
            _l("What may they do in %(reference)s?", reference=sip.reference),
            choices=LEVEL_CHOICES, default=Level.NONE.value, validators=[chosen()],
            invalid_choice_message=_l("Choose one of the options."))
        for sip in sips
    }
    return type(form_class.__name__, (form_class,), fields)(**kwargs)
