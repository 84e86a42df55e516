"""A ready-to-send complaint about a missed meeting, and where to send it.

Invitations to SIP meetings are binding and yet people report meetings where nobody came; the
advice is to report it, e.g. through 1177, the patient advisory committee or the supervisory
authority (seed 000; DOMAIN.md, "What goes wrong"). The text states the facts the person would
otherwise have to dig up: the meeting, when, its purpose, who was invited, who did not come, and
the duty to attend ("När du blir kallad till en SIP är du skyldig att delta", seed 002).

The places to complain to differ between regions, so they are configured per installation: a JSON
file (``COMPLAINT_DESTINATIONS``, or ``instance/complaint_destinations.json``); without one, Region
Stockholm's patient advisory committee and IVO. The organisations' own channels come from the
directory.
"""
from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from webapp.extensions import db
from webapp.models import Meeting, MeetingParticipant, MissedKind, MissedMeetingReport, Organisation, Sip, User
from webapp.services import meeting_reading as reading
from webapp.services import missed_meetings

log = logging.getLogger(__name__)

CONFIG_NAME = "complaint_destinations.json"


class ComplaintConfigError(ValueError):
    """The installation's list of complaint places cannot be read."""


@dataclass(frozen=True)
class Destination:
    """A place to complain to. ``key`` is the same in every language."""

    key: str
    name: str
    description: str
    url: str = ""
    phone: str = ""
    email: str = ""


#: Region Stockholm's patient advisory committee and the Health and Social Care Inspectorate (IVO).
DEFAULTS = (
    {"key": "patient_advisory_committee", "name": "Patientnämnden, Region Stockholm",
     "description": _l("The region's patient advisory committee. It is independent, free of charge, and helps "
                       "you get an answer from health care and the municipality's health care."),
     "url": "https://www.regionstockholm.se/halsa-sjukvard/patientnamnden/lamna-synpunkter-och-klagomal-pa-varden",
     "phone": "+46812313200"},
    {"key": "ivo", "name": "Inspektionen för vård och omsorg (IVO)",
     "description": _l("The Health and Social Care Inspectorate, for serious cases: when someone was harmed, or "
                       "could have been, because the meeting did not take place."),
     "url": "https://www.ivo.se/", "phone": "+46107885000"},
)


def _config_path() -> Path:
    configured = current_app.config.get("COMPLAINT_DESTINATIONS") or os.environ.get("COMPLAINT_DESTINATIONS")
    return Path(configured) if configured else Path(current_app.instance_path) / CONFIG_NAME


def _text(value, language: str) -> str:
    """A string, or one per language ({"sv": ..., "en": ...}): the reader's, else Swedish, else any."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and value:
        chosen = value.get(language) or value.get("sv") or next(iter(value.values()))
        if isinstance(chosen, str):
            return chosen
    raise ComplaintConfigError("a name or description must be a text, or texts by language")


def _parse(entries, language: str) -> list[Destination]:
    if not isinstance(entries, list) or not entries:
        raise ComplaintConfigError("the file must hold a list of places")
    places, keys = [], set()
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("key"), str) or not entry["key"].strip():
            raise ComplaintConfigError("every place needs a key")
        key = entry["key"].strip()
        if key in keys:
            raise ComplaintConfigError(f"the key {key!r} is used twice")
        keys.add(key)
        url = entry.get("url", "")
        if url and not (isinstance(url, str) and url.startswith(("https://", "http://"))):
            raise ComplaintConfigError(f"the address of {key!r} must start with https://")
        places.append(Destination(
            key=key, name=_text(entry.get("name"), language), description=_text(entry.get("description", ""), language),
            url=url, phone=str(entry.get("phone", "")), email=str(entry.get("email", ""))))
    return places


def load(language: str | None = None) -> list[Destination]:
    """The installation's places, in ``language`` where the file gives texts by language. Raises
    ``ComplaintConfigError`` for a file that cannot be used."""
    language = language or str(get_locale() or "sv")
    path = _config_path()
    if not path.exists():
        return [Destination(**{**entry, "description": str(entry["description"])}) for entry in DEFAULTS]
    try:
        entries = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as error:
        raise ComplaintConfigError(f"{path} cannot be read: {error}") from None
    return _parse(entries, language)


def destinations() -> list[Destination]:
    """The places to show: the configured ones, or the defaults if the file is broken (and logged)."""
    try:
        return load()
    except ComplaintConfigError as error:
        log.error("complaint destinations: %s; showing the defaults", error)
        return [Destination(**{**entry, "description": str(entry["description"])}) for entry in DEFAULTS]


# -- The facts of the complaint --------------------------------------------------------------------

@dataclass(frozen=True)
class ComplaintFacts:
    """Everything the complaint text states, gathered once; the template writes it in any language
    (the place and the participants' names are worded there, in the language being written)."""

    report: MissedMeetingReport
    sip: Sip
    person_name: str
    reporter: User
    on_behalf: bool
    meeting: Meeting
    starts_at: datetime
    purpose: str
    invited: list[MeetingParticipant]
    absent: list[MeetingParticipant]
    kind: MissedKind
    description: str
    organisations: list[Organisation]


def facts(report: MissedMeetingReport) -> ComplaintFacts:
    """The facts of ``report`` (the caller has checked that the reader may see it)."""
    meeting = report.meeting
    sip = db.session.get(Sip, report.sip_id)
    absentees = report.absentees
    organisation_ids = missed_meetings.concerned_organisation_ids(report)
    organisations = sorted((db.session.get(Organisation, oid) for oid in organisation_ids),
                           key=lambda org: org.name)
    return ComplaintFacts(
        report=report, sip=sip, person_name=sip.display_name, reporter=report.reported_by,
        on_behalf=report.on_behalf, meeting=meeting, starts_at=meeting.starts_at, purpose=meeting.purpose,
        invited=reading.invited(meeting), absent=list(absentees), kind=report.kind, description=report.description,
        organisations=organisations,
    )
