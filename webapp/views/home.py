"""The citizen's home page (``main.index`` for a logged-in citizen)."""
from __future__ import annotations

from flask import render_template
from flask_login import current_user

from webapp.services import overview


def citizen_home():
    """Each SIP: where it stands, the next meeting, who to call, and what is waiting first."""
    return render_template("main/citizen_home.html", home=overview.for_user(current_user))
