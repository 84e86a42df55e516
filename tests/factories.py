"""Building blocks for tests: SIPs, consents and relatives made directly with the models.

Use inside an app context, with the ``demo`` fixture's people: ``make_sip(demo["anna"], ...)``.
"""
from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import (
    ConsentAction,
    ConsentMethod,
    ConsentRecord,
    Organisation,
    RelativeGrant,
    RelativeLink,
    Sip,
    SipRecipient,
    SipStatus,
    User,
)
from webapp.services import clock


def organisation(name: str) -> Organisation:
    return db.session.scalars(sa.select(Organisation).where(Organisation.name == name)).one()


def user(email_or_short: str) -> User:
    email = email_or_short if "@" in email_or_short else f"{email_or_short}@example.org"
    return db.session.scalars(sa.select(User).where(User.email == email)).one()


def make_sip(person: User | None, *, to: tuple[str, ...] = ("Haninge kommun", "Brandbergens vårdcentral"),
             requested_by: User | None = None, status: SipStatus = SipStatus.SENT,
             purpose: str = "Help at home after my fall", created_at: datetime | None = None,
             subject_name: str = "") -> Sip:
    """A SIP request sent to the named organisations."""
    now = created_at or clock.now()
    sip = Sip(
        reference=f"SIP-{secrets.token_hex(2).upper()}-{secrets.token_hex(1).upper()}",
        person_id=person.id if person else None, requested_by_id=(requested_by or person).id,
        on_behalf=requested_by is not None and requested_by != person, subject_name=subject_name,
        purpose=purpose, status=status, created_at=now, updated_at=now,
    )
    sip.recipients = [SipRecipient(organisation_id=organisation(name).id) for name in to]
    db.session.add(sip)
    db.session.commit()
    return sip


def give_consent(sip: Sip, *, by: User | None = None, to: tuple[str, ...] = ("Haninge kommun", "Brandbergens vårdcentral"),
                 relatives: tuple[User, ...] = (), valid_until: date | None = None,
                 action: ConsentAction = ConsentAction.GIVE) -> ConsentRecord:
    """A consent record straight into the history (the consent service is tested on its own)."""
    today = clock.today()
    record = ConsentRecord(
        sip_id=sip.id, action=action, method=ConsentMethod.APP, recorded_by_id=(by or sip.person).id,
        created_at=clock.now(), purpose=sip.purpose, valid_from=today,
        valid_until=valid_until or today + timedelta(days=365),
    )
    record.organisations = [organisation(name) for name in to]
    record.relatives = list(relatives)
    db.session.add(record)
    if sip.status in (SipStatus.SENT, SipStatus.RECEIVED):
        sip.status = SipStatus.CONSENT_CONFIRMED
    db.session.commit()
    return record


def withdraw_consent(sip: Sip, *, by: User | None = None) -> ConsentRecord:
    record = ConsentRecord(sip_id=sip.id, action=ConsentAction.WITHDRAW, method=ConsentMethod.APP,
                           recorded_by_id=(by or sip.person).id, created_at=clock.now())
    db.session.add(record)
    db.session.commit()
    return record


def link_relative(person: User, relative: User, *, sip: Sip | None = None, can_act: bool = False,
                  can_request: bool = False, ends_on: date | None = None) -> RelativeLink:
    """A live link person ← relative (the existing one if there is one), with a grant for ``sip`` if given."""
    link = db.session.scalars(sa.select(RelativeLink).where(
        RelativeLink.person_id == person.id, RelativeLink.relative_id == relative.id,
        RelativeLink.removed_at.is_(None))).first()
    if link is None:
        link = RelativeLink(person_id=person.id, relative_id=relative.id, created_at=clock.now())
        db.session.add(link)
    link.can_request = link.can_request or can_request
    link.ends_on = ends_on
    if sip is not None:
        link.grants.append(RelativeGrant(sip_id=sip.id, can_act=can_act, created_at=clock.now()))
    db.session.commit()
    return link
