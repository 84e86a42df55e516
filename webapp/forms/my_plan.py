"""The person's answer to a plan version waiting for approval: approve it, or ask for a change."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField

from webapp.forms.fields import max_length, required, strip

COMMENT_MAX = 2000


class ApproveForm(FlaskForm):
    """One confirmation. The version number guards against approving another version than the one read."""

    version = HiddenField()


class ChangeRequestForm(FlaskForm):
    """A comment to the coordinator: what the person would like changed. Required."""

    version = HiddenField()
    comment = TextAreaField(
        _l("What would you like changed?"),
        description=_l("Your coordinator reads this and gets back to you. The plan you have now stays in force."),
        filters=[strip], validators=[required(_l("Write what you would like changed.")), max_length(COMMENT_MAX)])
