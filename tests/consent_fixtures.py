"""Helpers for the consent, relatives and privacy tests: people, SIPs and links made with the models.

Each helper runs inside the app context it is given and commits, so that the HTTP client sees it.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import (
    AccessLogEntry,
    Meeting,
    MeetingStatus,
    Organisation,
    RelativeGrant,
    RelativeLink,
    Role,
    Sip,
    SipRecipient,
    SipStatus,
    User,
)
from webapp.services import clock, passwords

PASSWORD = "sip-demo-password"
EN = {"Accept-Language": "en"}


def organisation(name: str) -> Organisation:
    return db.session.scalars(sa.select(Organisation).where(Organisation.name == name)).one()


def user(short: str) -> User:
    email = short if "@" in short else f"{short}@example.org"
    return db.session.scalars(sa.select(User).where(User.email == email)).one()


def make_citizen(app, name: str, email: str) -> int:
    """A citizen account with the demo password; returns its id."""
    with app.app_context():
        db.begin_write()
        person = User(name=name, email=email, role=Role.CITIZEN, language="en",
                      password_hash=passwords.hash_password(PASSWORD), created_at=clock.now(),
                      password_changed_at=clock.now())
        db.session.add(person)
        db.session.commit()
        return person.id


def make_sip(app, person_id: int | None, reference: str, organisations=("Haninge kommun", "Brandbergens vårdcentral"),
             status: SipStatus = SipStatus.RECEIVED, requested_by_id: int | None = None,
             purpose: str = "Help at home after my fall") -> int:
    """A SIP sent to ``organisations``; returns its id."""
    with app.app_context():
        db.begin_write()
        sip = Sip(reference=reference, person_id=person_id, requested_by_id=requested_by_id or person_id,
                  purpose=purpose, status=status, created_at=clock.now(), updated_at=clock.now(),
                  subject_name="" if person_id else "Someone without an account",
                  acknowledged_at=None if status == SipStatus.SENT else clock.now())
        for name in organisations:
            sip.recipients.append(SipRecipient(organisation_id=organisation(name).id))
        db.session.add(sip)
        db.session.commit()
        return sip.id


def link_relative(app, person_id: int, relative_id: int, grants: dict[int, bool] | None = None,
                  ends_on=None, can_request: bool = False) -> int:
    """A live link person ← relative with ``grants`` {sip_id: can_act}; returns the link id."""
    with app.app_context():
        db.begin_write()
        link = RelativeLink(person_id=person_id, relative_id=relative_id, created_at=clock.now(),
                            ends_on=ends_on, can_request=can_request)
        for sip_id, can_act in (grants or {}).items():
            link.grants.append(RelativeGrant(sip_id=sip_id, can_act=can_act, created_at=clock.now()))
        db.session.add(link)
        db.session.commit()
        return link.id


def add_meeting(app, sip_id: int, starts_in: timedelta, status: MeetingStatus = MeetingStatus.PLANNED) -> int:
    """A meeting of the SIP ``starts_in`` from now (negative: in the past); returns its id."""
    with app.app_context():
        db.begin_write()
        creator = user("sara")
        meeting = Meeting(sip_id=sip_id, starts_at=clock.now() + starts_in, status=status,
                          created_by_id=creator.id, created_at=clock.now(), updated_at=clock.now())
        db.session.add(meeting)
        db.session.commit()
        return meeting.id


def log_count(app, **filters) -> int:
    """How many access-log entries match, e.g. ``log_count(app, actor_id=3)``."""
    with app.app_context():
        query = sa.select(sa.func.count(AccessLogEntry.id))
        for name, value in filters.items():
            query = query.where(getattr(AccessLogEntry, name) == value)
        return db.session.scalar(query)


def anna_sip_id(app) -> int:
    with app.app_context():
        return db.session.scalars(sa.select(Sip.id).where(Sip.reference == "SIP-7KQ4-M2")).one()


def at(year: int, month: int, day: int, hour: int = 9) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)
