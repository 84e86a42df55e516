"""The page a notification is about, for the reader's side of the app.

The pages belong to the features (requests, consent, relatives, meetings, plans, reports). For each
subject and side the table lists the page, then the pages to fall back on (the case, a list) when the
notification lacks the page's id or the page is not installed. Without any, the home page.
"""
from __future__ import annotations

from flask import current_app
from werkzeug.routing import BuildError

from webapp.models import Role, User
from webapp.services.paths import path_for

# (endpoint, name of its URL argument, which param supplies it); None: no argument. The first one
# that builds wins; the list pages last, for a notification without the id.
_CITIZEN_REQUEST = [("requests.show", "reference", "reference"), ("requests.index", None, None)]
_CITIZEN_SIP = [("sips.show", "reference", "reference")] + _CITIZEN_REQUEST
_STAFF_SIP = [("work.case", "reference", "reference"), ("work.index", None, None)]

TARGETS: dict[tuple[str, str], list[tuple[str, str | None, str | None]]] = {
    ("request", Role.CITIZEN): _CITIZEN_REQUEST,
    ("request", Role.PROFESSIONAL): _STAFF_SIP,
    ("sip", Role.CITIZEN): _CITIZEN_SIP,
    ("sip", Role.PROFESSIONAL): _STAFF_SIP,
    ("consent", Role.CITIZEN): [("consent.overview", "reference", "reference")] + _CITIZEN_REQUEST,
    ("consent", Role.PROFESSIONAL): _STAFF_SIP,
    ("relatives", Role.CITIZEN): [("relatives.index", None, None)],
    ("meeting", Role.CITIZEN): [("meetings.show", "meeting_id", "meeting_id"), ("meetings.index", None, None)],
    ("meeting", Role.PROFESSIONAL): [("work.meeting", "meeting_id", "meeting_id")] + _STAFF_SIP,
    ("plan", Role.CITIZEN): [("plans.show", "reference", "reference")] + _CITIZEN_SIP,
    ("plan", Role.PROFESSIONAL): [("work.plan", "reference", "reference")] + _STAFF_SIP,
    ("report", Role.CITIZEN): [("missed.show", "report_id", "report_id"), ("meetings.index", None, None)],
    ("report", Role.PROFESSIONAL): [("work.report", "report_id", "report_id"), ("work.reports", None, None)],
}


def target(subject: str, reader: User, params: dict) -> str:
    """The path of the page ``params`` are about, for ``reader``'s side of the app."""
    views = current_app.view_functions
    for endpoint, argument, source in TARGETS.get((subject, reader.role), []):
        if endpoint not in views:
            continue
        if argument is None:
            return path_for(endpoint)
        value = params.get(source)
        if value is None:
            continue
        try:
            return path_for(endpoint, **{argument: value})
        except BuildError:
            continue
    return path_for("main.index")
