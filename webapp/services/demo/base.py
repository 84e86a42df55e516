"""The demo people and organisations every feature's demo builds on."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import Organisation, OrganisationKind, Role, User
from webapp.services import clock, passwords

DEMO_PASSWORD = "sip-demo-password"  # nosec B105 - the documented password of the demo accounts only

ORGANISATIONS = [
    # name, kind, part of, phone, e-mail, address
    ("Haninge kommun", OrganisationKind.MUNICIPALITY, "", "+4686067000", "kontakt@haninge.example.se",
     "Rudsjöterrassen 2, 136 81 Haninge"),
    ("Nynäshamns kommun", OrganisationKind.MUNICIPALITY, "", "+46852068000", "kontakt@nynashamn.example.se",
     "Stadshusplatsen 1, 149 81 Nynäshamn"),
    ("Brandbergens vårdcentral", OrganisationKind.REGION, "Region Stockholm", "+4687778100",
     "brandbergen.vc@regionstockholm.example.se", "Brandbergens centrum, 136 63 Haninge"),
    ("Vendelsö vårdcentral", OrganisationKind.REGION, "Region Stockholm", "+4687411360",
     "vendelso.vc@regionstockholm.example.se", "Vendelsövägen 1, 136 70 Vendelsö"),
    ("Försäkringskassan", OrganisationKind.SOCIAL_INSURANCE, "", "+46771524524", "",
     "Box 1164, 621 22 Visby"),
    ("Arbetsförmedlingen", OrganisationKind.EMPLOYMENT_SERVICE, "", "+46771416416", "", ""),
    ("Rudans Rehab", OrganisationKind.PRIVATE_PROVIDER, "Region Stockholm", "+4687770020",
     "info@rudansrehab.example.se", "Rudsjöterrassen 5, 136 40 Haninge"),
]

PEOPLE = [
    # e-mail, name, role, language, organisation, title, phone
    ("anna@example.org", "Anna Andersson", Role.CITIZEN, "sv", None, "", "+46701234501"),
    ("erik@example.org", "Erik Andersson", Role.CITIZEN, "sv", None, "", "+46701234502"),
    ("omar@example.org", "Omar Haddad", Role.CITIZEN, "ar", None, "", "+46701234503"),
    ("sara@example.org", "Sara Lind", Role.PROFESSIONAL, "sv", "Haninge kommun", "Biståndshandläggare",
     "+4686067120"),
    ("lena@example.org", "Lena Berg", Role.PROFESSIONAL, "sv", "Brandbergens vårdcentral", "Distriktssköterska",
     "+4687778120"),
    ("nils@example.org", "Nils Ek", Role.PROFESSIONAL, "sv", "Nynäshamns kommun", "Socialsekreterare",
     "+46852068120"),
    ("admin@example.org", "Min SIP Admin", Role.ADMIN, "sv", None, "", ""),
]


def database_is_empty() -> bool:
    return db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def _organisations() -> dict[str, Organisation]:
    existing = {org.name: org for org in db.session.scalars(sa.select(Organisation))}
    for name, kind, part_of, phone, email, address in ORGANISATIONS:
        if name not in existing:
            org = Organisation(name=name, kind=kind, part_of=part_of, phone=phone, email=email, address=address)
            db.session.add(org)
            existing[name] = org
    db.session.flush()
    return existing


def _people(organisations: dict[str, Organisation]) -> dict[str, User]:
    existing = {user.email: user for user in db.session.scalars(sa.select(User))}
    password_hash = passwords.hash_password(DEMO_PASSWORD)
    for email, name, role, language, org_name, title, phone in PEOPLE:
        if email in existing:
            continue
        user = User(email=email, name=name, role=role, language=language, title=title, phone=phone,
                    organisation_id=organisations[org_name].id if org_name else None,
                    password_hash=password_hash, created_at=clock.now(), password_changed_at=clock.now())
        db.session.add(user)
        existing[email] = user
    db.session.flush()
    return existing


@dataclass
class DemoWorld:
    """What the feature steps build on: accounts by e-mail address, organisations by name."""

    people: dict[str, User]
    organisations: dict[str, Organisation]

    def user(self, short: str) -> User:
        """``world.user("anna")`` → Anna's account."""
        return self.people[f"{short}@example.org"]


def seed_people() -> DemoWorld:
    """Create (or complete) the demo organisations and accounts, inside the caller's transaction."""
    organisations = _organisations()
    return DemoWorld(people=_people(organisations), organisations=organisations)
