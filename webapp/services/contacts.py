"""The person's contact map (kontaktkarta): the rules for keeping it. Only its owner sees or changes it.

The patients' organisation advises keeping one to get an overview of every contact, their role in
one's care and the regular meetings with them (seed 000); its contacts are offered when asking for
a SIP ("who should be invited?").
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import sqlalchemy as sa
import vobject
from flask_babel import format_datetime
from flask_babel import gettext as _

from webapp.extensions import db
from webapp.models import Contact, Organisation, Sector, User
from webapp.services import clock, phones

#: The fields a contact form sets, as given (after validation) by the view.
_TEXT_FIELDS = ("name", "role_title", "phone", "email", "helps_with", "meeting_frequency", "meeting_place")


def contacts_of(owner: User) -> list[Contact]:
    """The owner's contacts, in the order of the sectors, then by name."""
    order = {sector: position for position, sector in enumerate(Sector)}
    contacts = db.session.scalars(sa.select(Contact).where(Contact.owner_id == owner.id))
    return sorted(contacts, key=lambda c: (order[c.sector], c.name.casefold(), c.id))


def contact_of(owner: User, contact_id: int) -> Contact | None:
    """One of the owner's contacts; ``None`` for anyone else's (the view answers 404)."""
    return db.session.scalars(
        sa.select(Contact).where(Contact.id == contact_id, Contact.owner_id == owner.id)
    ).first()


def grouped(contacts: list[Contact]) -> list[tuple[Sector, list[Contact]]]:
    """The contacts grouped by sector, sectors in their fixed order, empty sectors left out."""
    groups: dict[Sector, list[Contact]] = {}
    for contact in contacts:
        groups.setdefault(contact.sector, []).append(contact)
    return [(sector, groups[sector]) for sector in Sector if sector in groups]


def directory_match(name: str) -> Organisation | None:
    """The active organisation in the directory with exactly this name (case aside), if any."""
    if not name:
        return None
    return db.session.scalars(
        sa.select(Organisation).where(sa.func.lower(Organisation.name) == name.strip().lower(),
                                      Organisation.active.is_(True))
    ).first()


def save_contact(owner: User, contact: Contact | None, data: dict) -> Contact:
    """Add a contact to the owner's map, or change one of theirs, from validated form data.

    ``data["organisation"]`` is free text; a name from the directory links the contact to it.
    ``data["next_meeting_at"]`` is a naive Swedish local time, or ``None``.
    """
    db.begin_write()
    if contact is None:
        contact = Contact(owner_id=owner.id, created_at=clock.now())
        db.session.add(contact)
    elif contact.owner_id != owner.id:
        raise PermissionError("not the owner's contact")
    for field in _TEXT_FIELDS:
        setattr(contact, field, data.get(field) or "")
    contact.sector = Sector(data["sector"])
    organisation = directory_match(data.get("organisation") or "")
    contact.organisation_id = organisation.id if organisation else None
    contact.organisation_name = "" if organisation else (data.get("organisation") or "")
    contact.next_meeting_at = _instant(data.get("next_meeting_at"))
    contact.updated_at = clock.now()
    db.session.commit()
    return contact


def _instant(local: datetime | None) -> datetime | None:
    if local is None:
        return None
    if local.tzinfo is None:
        local = local.replace(tzinfo=clock.STOCKHOLM)
    return local.astimezone(clock.STOCKHOLM)


def remove_contact(owner: User, contact: Contact) -> None:
    """Remove one of the owner's contacts. A request that invited it keeps its own copy."""
    if contact.owner_id != owner.id:
        raise PermissionError("not the owner's contact")
    db.begin_write()
    db.session.delete(contact)
    db.session.commit()


def next_meeting_local(contact: Contact) -> datetime | None:
    """The next meeting in Swedish time, or ``None`` when none is set."""
    return clock.local(contact.next_meeting_at) if contact.next_meeting_at else None


def vcard(contacts: list[Contact], sector_label: Callable[[Sector], object]) -> str:
    """Every contact as one vCard 3.0 file (``text/vcard``), for a phone's address book, with the
    sector as its category and what they help with and the regular meetings as its note."""
    cards = []
    for contact in contacts:
        card = vobject.vCard()
        card.add("fn").value = contact.name
        given, _space, family = contact.name.rpartition(" ")
        card.add("n").value = vobject.vcard.Name(family=family, given=given)
        if contact.organisation_label:
            card.add("org").value = [contact.organisation_label]
        if contact.role_title:
            card.add("title").value = contact.role_title
        if contact.phone:
            tel = card.add("tel")
            tel.value = contact.phone
            tel.type_param = "VOICE"
        if contact.email:
            email = card.add("email")
            email.value = contact.email
            email.type_param = "INTERNET"
        card.add("categories").value = [str(sector_label(contact.sector))]
        note = _note(contact)
        if note:
            card.add("note").value = note
        card.add("uid").value = f"minsip-contact-{contact.id}"
        cards.append(card.serialize())
    return "".join(cards)


def _note(contact: Contact) -> str:
    lines = []
    if contact.helps_with:
        lines.append(_("Helps with: %(text)s", text=contact.helps_with))
    if contact.meeting_frequency:
        lines.append(_("Regular meetings: %(text)s", text=contact.meeting_frequency))
    if contact.meeting_place:
        lines.append(_("Where: %(text)s", text=contact.meeting_place))
    if contact.next_meeting_at:
        lines.append(_("Next meeting: %(when)s", when=format_datetime(contact.next_meeting_at, "medium")))
    return "\n".join(lines)


def call_link(contact: Contact) -> str:
    """Where tapping the contact goes: a call when there is a phone number, else an e-mail."""
    if contact.phone:
        return phones.tel_uri(contact.phone)
    if contact.email:
        return f"mailto:{contact.email}"
    return ""
