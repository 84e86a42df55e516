"""Walking every route of the app: example URLs built from real objects, and database snapshots.

Used by the security suite to prove, for every rule in ``url_map`` and whatever features are added
later, that POSTs need the CSRF token and that GETs change nothing.
"""
from __future__ import annotations

import hashlib

import sqlalchemy as sa
from flask import url_for

from webapp.db import Base
from webapp.extensions import db
from webapp.models import (
    AccountInvitation,
    Contact,
    Intervention,
    Meeting,
    MeetingParticipant,
    MissedMeetingReport,
    Notification,
    Organisation,
    PlanGoal,
    PlanVersion,
    PushSubscription,
    RelativeInvitation,
    RelativeLink,
    Sip,
    User,
)

#: Tables a GET may legitimately write to: recording that something was read (the access log, a
#: report's or message's read receipt) and the login bookkeeping made before the snapshot; the data
#: generation moves on with each of those writes (the page cache's clock, models/generation.py).
READ_RECEIPTS = {"access_log", "notifications", "missed_meeting_reports", "user_sessions", "login_attempts",
                 "data_generation"}


def _first(model, *where):
    return db.session.scalars(sa.select(model.id).where(*where).order_by(model.id).limit(1)).first() or 1


def argument_values() -> dict[str, object]:
    """A real value for every URL argument name used in the app (unknown names get a placeholder)."""
    anna = db.session.scalars(sa.select(User.id).where(User.email == "anna@example.org")).first()
    return {
        "reference": "SIP-7KQ4-M2",
        "contact_id": _first(Contact, Contact.owner_id == anna),
        "meeting_id": _first(Meeting),
        "participant_id": _first(MeetingParticipant),
        "report_id": _first(MissedMeetingReport),
        "number": db.session.scalars(sa.select(PlanVersion.number).order_by(PlanVersion.id).limit(1)).first() or 1,
        "version_id": _first(PlanVersion),
        "intervention_id": _first(Intervention),
        "goal_id": _first(PlanGoal),
        "link_id": _first(RelativeLink),
        "invitation_id": _first(RelativeInvitation),
        "organisation_id": _first(Organisation),
        "user_id": _first(User, User.email == "sara@example.org"),
        "notification_id": _first(Notification),
        "subscription_id": _first(PushSubscription),
        "device_id": _first(PushSubscription),
        "id": _first(Notification),
        "sip_id": _first(Sip),
        "token": "not-a-real-token",
        "filename": "css/app.css",
        "step": "purpose",
        "kind": "plan",
        "staff_invitation": _first(AccountInvitation),
    }


def example_url(rule, values: dict[str, object]) -> str:
    arguments = {}
    for name in rule.arguments:
        converter = type(rule._converters[name]).__name__
        value = values.get(name, "x")
        arguments[name] = value if converter != "IntegerConverter" or isinstance(value, int) else 1
    return url_for(rule.endpoint, **arguments)


def snapshot() -> dict[str, str]:
    """A digest of every row of every table, to see whether anything changed."""
    digests = {}
    for table in Base.metadata.sorted_tables:
        rows = db.session.execute(sa.select(table).order_by(*table.primary_key.columns)).all()
        digests[table.name] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return digests


def get_urls(app) -> list[str]:
    """An example URL for every GET rule of the app (static files aside)."""
    with app.test_request_context():
        values = argument_values()
        return sorted({example_url(rule, values) for rule in app.url_map.iter_rules()
                       if "GET" in rule.methods and rule.endpoint != "static"})
