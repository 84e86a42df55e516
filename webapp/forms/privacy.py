"""Forms on the privacy pages: the access log's filter and deleting the account."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField

from webapp.forms.fields import max_length, required, strip


class DeleteAccountForm(FlaskForm):
    """One explicit confirmation: the person types their own e-mail address."""

    confirm_email = EmailField(
        _l("Type your e-mail address to confirm"),
        validators=[required(_l("Type your e-mail address to confirm.")), max_length(254)],
        filters=[strip], render_kw={"autocomplete": "off", "spellcheck": "false"})
