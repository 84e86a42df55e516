"""The notification settings: for each kind, in the inbox and on the person's devices."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField


def inbox_field(code: str) -> str:
    """The name of a kind's inbox checkbox."""
    return f"inbox_{code}"


def push_field(code: str) -> str:
    """The name of a kind's push checkbox."""
    return f"push_{code}"


def preferences_form(preferences, push_available: bool) -> FlaskForm:
    """A form with two checkboxes per kind (one when push is not available). Kinds that cannot be
    turned off get checked, disabled boxes: a disabled box is never submitted, and never saved."""

    class PreferencesForm(FlaskForm):
        """Built per user: the kinds of their side of the app."""

    for preference in preferences:
        code, locked = preference.kind.code, preference.kind.mandatory
        render = {"disabled": True} if locked else {}
        setattr(PreferencesForm, inbox_field(code),
                BooleanField(_l("In the inbox"), default=preference.inbox, render_kw=render))
        if push_available:
            setattr(PreferencesForm, push_field(code),
                    BooleanField(_l("On my devices"), default=preference.push, render_kw=render))
    return PreferencesForm(prefix="prefs")
