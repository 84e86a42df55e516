"""The page a notification is about, for the reader's side of the app.

The pages belong to the features (requests, consent, relatives, meetings, plans, reports). For each
subject and side the table lists the endpoints to use, best first; the first one that this
installation has, and that builds with the notification's ids, wins. Without any, the home page.
"""
from __future__ import annotations

from flask import current_app
from werkzeug.routing import BuildError

from webapp.models import Role, User
from webapp.services.paths import path_for

# (endpoint, name of its URL argument, which param supplies it); None: no argument.
_CITIZEN_SIP = [("requests.show", "reference", "reference"), ("requests.detail", "reference", "reference"),
                ("requests.index", None, None)]
_STAFF_SIP = [("work.case", "reference", "reference"), ("work.request", "reference", "reference"),
              ("work.show", "reference", "reference"), ("work.inbox", None, None), ("work.index", None, None)]

TARGETS: dict[tuple[str, str], list[tuple[str, str | None, str | None]]] = {
    ("request", Role.CITIZEN): _CITIZEN_SIP,
    ("request", Role.PROFESSIONAL): _STAFF_SIP,
    ("sip", Role.CITIZEN): _CITIZEN_SIP,
    ("sip", Role.PROFESSIONAL): _STAFF_SIP,
    ("consent", Role.CITIZEN): [("consent.show", "reference", "reference"),
                                ("consent.history", "reference", "reference"), ("consent.index", None, None)]
    + _CITIZEN_SIP,
    ("consent", Role.PROFESSIONAL): _STAFF_SIP,
    ("relatives", Role.CITIZEN): [("relatives.index", None, None), ("relatives.overview", None, None)],
    ("meeting", Role.CITIZEN): [("meetings.show", "meeting_id", "meeting_id"),
                                ("meetings.detail", "meeting_id", "meeting_id"), ("meetings.index", None, None)]
    + _CITIZEN_SIP,
    ("meeting", Role.PROFESSIONAL): [("work.meeting", "meeting_id", "meeting_id"),
                                     ("meetings.show", "meeting_id", "meeting_id")] + _STAFF_SIP,
    ("plan", Role.CITIZEN): [("plans.show", "reference", "reference"), ("plan.show", "reference", "reference"),
                             ("plans.index", None, None)] + _CITIZEN_SIP,
    ("plan", Role.PROFESSIONAL): [("work.plan", "reference", "reference"),
                                  ("plans.edit", "reference", "reference")] + _STAFF_SIP,
    ("report", Role.CITIZEN): [("missed.show", "report_id", "report_id"), ("reports.show", "report_id", "report_id")]
    + [("meetings.index", None, None)] + _CITIZEN_SIP,
    ("report", Role.PROFESSIONAL): [("work.report", "report_id", "report_id"),
                                    ("reports.show", "report_id", "report_id"), ("work.reports", None, None)]
    + _STAFF_SIP,
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
