"""What a consent can name, and the consents a person has: the read side of ``services.consent``.

The organisations come from the request and the person's contact map, the relatives from the
person's live relative links (issue 4: "chosen from those in the request and the contact map").
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import ConsentRecord, Contact, Organisation, RelativeLink, Sip, SipRecipient, User
from webapp.services import clock
from webapp.services.consent_state import ConsentState, state_of


@dataclass(frozen=True)
class OrganisationOption:
    """An organisation the person can let share information, and why it is offered."""

    organisation: Organisation
    in_request: bool
    on_contact_map: bool


def find_sip(reference: str) -> Sip | None:
    """The SIP with this reference (as read aloud on the phone: case does not matter)."""
    return db.session.scalars(sa.select(Sip).where(Sip.reference == reference.strip().upper())).first()


def organisation_options(sip: Sip) -> list[OrganisationOption]:
    """The organisations the consent can name: those the request went to, those on the person's
    contact map, and those in the latest consent (so a change or a new consent can keep them)."""
    in_request = set(db.session.scalars(
        sa.select(SipRecipient.organisation_id).where(SipRecipient.sip_id == sip.id)))
    on_map: set[int] = set()
    if sip.person_id is not None:
        on_map = set(db.session.scalars(sa.select(Contact.organisation_id).where(
            Contact.owner_id == sip.person_id, Contact.organisation_id.is_not(None))))
    record = state_of(sip).record
    in_consent = {org.id for org in record.organisations} if record else set()
    ids = in_request | on_map | in_consent
    if not ids:
        return []
    organisations = db.session.scalars(
        sa.select(Organisation).where(Organisation.id.in_(ids)).order_by(Organisation.name))
    return [OrganisationOption(org, org.id in in_request, org.id in on_map) for org in organisations]


def relative_options(sip: Sip) -> list[User]:
    """The relatives who can take part: those the person has a live relative link with."""
    if sip.person_id is None:
        return []
    today = clock.today()
    links = db.session.scalars(sa.select(RelativeLink).where(
        RelativeLink.person_id == sip.person_id, RelativeLink.removed_at.is_(None)))
    relatives = {link.relative.id: link.relative for link in links
                 if link.ends_on is None or link.ends_on >= today}
    return sorted(relatives.values(), key=lambda user: (user.name, user.id))


def timeline(sip: Sip) -> list[ConsentRecord]:
    """The consent history, newest first: each give, change, renewal and withdrawal."""
    return list(db.session.scalars(
        sa.select(ConsentRecord).where(ConsentRecord.sip_id == sip.id).order_by(ConsentRecord.id.desc())))


def consents_of(person: User) -> list[tuple[Sip, ConsentState]]:
    """Each of the person's SIPs with the state of its consent, newest SIP first."""
    sips = db.session.scalars(
        sa.select(Sip).where(Sip.person_id == person.id).order_by(Sip.created_at.desc(), Sip.id.desc()))
    return [(sip, state_of(sip)) for sip in sips]
