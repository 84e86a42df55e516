"""Demo: Anna's contact map, full enough to show every part of the page (issue 3)."""
from __future__ import annotations

from datetime import datetime, time, timedelta

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import Contact, Sector
from webapp.services import clock
from webapp.services.demo.base import DemoWorld

# name, role, organisation in the directory (or None), free-text organisation, sector, phone, e-mail,
# helps with, how often, where, next meeting (days ahead, hour) or None
ANNA = [
    ("Lena Berg", "Distriktssköterska", "Brandbergens vårdcentral", "", Sector.REGION_HEALTH, "+4687778120",
     "lena@example.org", "Såren på benen, blodtrycket och mina mediciner", "Varannan tisdag", "Hemma hos mig",
     (8, 10)),
    ("Johan Holm", "Husläkare", "Brandbergens vårdcentral", "", Sector.REGION_HEALTH, "+4687778100", "",
     "Hjärtat och diabetesen, förnyar recept", "Två gånger om året", "På vårdcentralen", (40, 9)),
    ("Sara Lind", "Biståndshandläggare", "Haninge kommun", "", Sector.MUNICIPAL_SOCIAL, "+4686067120",
     "sara@example.org", "Beslut om hemtjänst och trygghetslarm", "När något ändras", "Hemma hos mig eller i telefon",
     None),
    ("Dagverksamheten Solrosen", "Kontaktperson Maria Ek", "", "Haninge kommun, dagverksamhet", Sector.MUNICIPAL_SOCIAL,
     "+4686067340", "", "Gemenskap, lunch och gympa", "Måndagar och torsdagar", "Solrosens lokaler i Brandbergen",
     (3, 9)),
    ("Hemtjänsten Brandbergen", "Kontaktperson Ali Rahimi", "", "Haninge kommun, hemtjänst", Sector.HOME_CARE,
     "+4686067450", "", "Dusch, städning och inköp", "Varje morgon och kväll", "Hemma hos mig", (1, 8)),
    ("Karin Dahl", "Sjuksköterska i hemsjukvården", "", "Hemsjukvården Haninge", Sector.HOME_CARE, "+4686067460",
     "", "Insulinet och dosetten", "En gång i veckan", "Hemma hos mig", (2, 13)),
    ("Jonas Ström", "Fysioterapeut", "Rudans Rehab", "", Sector.PRIVATE_PROVIDER, "+4687770020",
     "info@rudansrehab.example.se", "Balansträning så att jag inte ramlar", "Varje fredag", "Rudans Rehab", (4, 11)),
    ("Erik Andersson", "Son", "", "", Sector.RELATIVE, "+46701234502", "erik@example.org",
     "Handlar, följer med till läkaren och håller koll på posten", "Varje söndag", "Hemma hos mig", (6, 15)),
    ("Apoteket Brandbergen", "Farmaceut", "", "Apoteket Brandbergen", Sector.OTHER, "+46771450450", "",
     "Dosförpackade mediciner och frågor om biverkningar", "Var fjärde vecka", "Apoteket i centrum", None),
]


def _next_meeting(days_hours: tuple[int, int] | None) -> datetime | None:
    if days_hours is None:
        return None
    days, hour = days_hours
    day = clock.today() + timedelta(days=days)
    return datetime.combine(day, time(hour, 0), tzinfo=clock.STOCKHOLM)


def seed(world: DemoWorld) -> None:
    """Anna's contacts, added once (looked up by name)."""
    anna = world.user("anna")
    existing = set(db.session.scalars(sa.select(Contact.name).where(Contact.owner_id == anna.id)))
    for (name, role, org_name, free_text, sector, phone, email, helps_with, how_often, where,
         next_meeting) in ANNA:
        if name in existing:
            continue
        organisation = world.organisations.get(org_name) if org_name else None
        db.session.add(Contact(
            owner_id=anna.id, name=name, role_title=role,
            organisation_id=organisation.id if organisation else None, organisation_name=free_text,
            sector=sector, phone=phone, email=email, helps_with=helps_with, meeting_frequency=how_often,
            meeting_place=where, next_meeting_at=_next_meeting(next_meeting),
            created_at=clock.now(), updated_at=clock.now(),
        ))
    db.session.flush()
