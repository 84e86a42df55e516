"""A realistic population for benchmarks: ``flask --app webapp seed-load --persons N``.

Each person has a contact map, a SIP sent to a municipality and a health centre, a live consent (some
withdrawn), an approved plan of 5 to 15 interventions (some with a second version waiting), a held
first meeting and a planned follow-up, sometimes a relative, and a history of reads in the access log.
Rows are written with bulk Core inserts and ids assigned here, so 100,000 persons take minutes.
Everyone's password is ``LOAD_PASSWORD``.
"""
from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import (
    AccessLogEntry,
    ConsentRecord,
    Contact,
    Intervention,
    Meeting,
    MeetingParticipant,
    Organisation,
    PlanGoal,
    PlanVersion,
    RelativeGrant,
    RelativeLink,
    Sip,
    SipRecipient,
    User,
)
from webapp.models.consent import consent_organisations
from webapp.services import clock, passwords

LOAD_PASSWORD = "load-test-password"  # nosec B105 - generated benchmark data only
BATCH = 5000

FIRST = ["Anna", "Erik", "Maria", "Karl", "Eva", "Lars", "Karin", "Anders", "Omar", "Fatima", "Ali", "Sara",
         "Lena", "Nils", "Ingrid", "Per", "Amina", "Yonas", "Helmi", "Olena", "Marek", "Amra"]
LAST = ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Haddad",
        "Ahmadi", "Mohamed", "Tesfay", "Virtanen", "Kowalski", "Kovalenko", "Hadžić", "Lind", "Berg", "Ek"]
LANGUAGES = ["sv"] * 14 + ["en", "ar", "ar", "fa", "so", "ti", "fi", "pl", "uk", "bs"]
SECTORS = ["region_health", "municipal_social", "home_care", "school", "employment", "social_insurance",
           "housing_support", "private_provider", "relative", "other"]
INTERVENTIONS = ["Home help in the morning", "Meals delivered", "Wound care", "Medication review",
                 "Physiotherapy at home", "Day activity", "Safety alarm", "Short-term stay", "Occupational therapy",
                 "Support for relatives", "Housing support visits", "Psychiatric nurse visits", "Walking practice",
                 "Help with shopping", "Check-up at the health centre"]
PRINCIPALS = ["municipality", "region", "other", "person", "relative"]


def _max_id(model) -> int:
    return db.session.scalar(sa.select(sa.func.coalesce(sa.func.max(model.id), 0))) or 0


class _Ids:
    """Hands out primary keys after the highest one in each table."""

    def __init__(self, *models):
        self._next = {model: _max_id(model) + 1 for model in models}

    def __call__(self, model) -> int:
        value = self._next[model]
        self._next[model] = value + 1
        return value


def _insert(table: sa.Table, rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH):
        db.session.execute(sa.insert(table), rows[start:start + BATCH])


def _existing_organisations() -> tuple[list[int], list[int], dict] | None:
    """The load organisations of an earlier run, with their staff, if there was one."""
    rows = db.session.execute(sa.select(Organisation.id, Organisation.kind)
                              .where(Organisation.name.like("Load %")).order_by(Organisation.id)).all()
    if not rows:
        return None
    staff: dict[int, list[int]] = {org_id: [] for org_id, _kind in rows}
    for user_id, org_id in db.session.execute(sa.select(User.id, User.organisation_id)
                                              .where(User.organisation_id.in_(staff)).order_by(User.id)):
        staff[org_id].append(user_id)
    return ([org for org, kind in rows if kind == "municipality"], [org for org, kind in rows if kind == "region"],
            {"users": [], "staff": staff})


def _organisations(ids: _Ids, now: datetime) -> tuple[list[int], list[int], dict]:
    """40 municipalities and 80 health centres, each with 5 professionals (made once)."""
    existing = _existing_organisations()
    if existing is not None:
        return existing
    orgs, users = [], []
    municipalities, centres, staff = [], [], {}
    for index in range(120):
        org_id = ids(Organisation)
        is_municipality = index < 40
        orgs.append(dict(id=org_id, name=f"Load {'kommun' if is_municipality else 'vårdcentral'} {index:03d}",
                         kind="municipality" if is_municipality else "region",
                         part_of="" if is_municipality else "Load Region", phone="+4686067000", email="",
                         address="", website="", active=True, created_at=now))
        (municipalities if is_municipality else centres).append(org_id)
        staff[org_id] = []
        for number in range(5):
            user_id = ids(User)
            staff[org_id].append(user_id)
            users.append(dict(id=user_id, email=f"staff{org_id}-{number}@load.example", name=f"Staff {org_id}-{number}",
                              password_hash="", role="professional", language="sv", organisation_id=org_id,
                              title="Handläggare", phone="", active=True, created_at=now, password_changed_at=now))
    _insert(Organisation.__table__, orgs)
    return municipalities, centres, {"users": users, "staff": staff}


def seed(persons: int, seed_value: int = 1, progress: Callable[[str], None] | None = None) -> dict[str, int]:
    """Add ``persons`` persons (and everything around them); returns row counts."""
    rng = random.Random(seed_value)
    now = clock.now()
    db.begin_write()
    ids = _Ids(Organisation, User, Contact, Sip, SipRecipient, ConsentRecord, PlanVersion, PlanGoal, Intervention,
               Meeting, MeetingParticipant, RelativeLink, RelativeGrant, AccessLogEntry)
    password_hash = passwords.hash_password(LOAD_PASSWORD)
    municipalities, centres, staff_info = _organisations(ids, now)
    staff = staff_info["staff"]
    for row in staff_info["users"]:
        row["password_hash"] = password_hash
    _insert(User.__table__, staff_info["users"])
    counts: dict[str, int] = {"organisations": 120, "professionals": len(staff_info["users"])}
    first = db.session.scalar(sa.select(sa.func.count(User.id)).where(User.email.like("person%@load.example"))) or 0
    chunk = 2000
    for start in range(first, first + persons, chunk):
        size = min(chunk, first + persons - start)
        for name, number in _persons_chunk(rng, ids, now, start, size, municipalities, centres, staff,
                                           password_hash):
            counts[name] = counts.get(name, 0) + number
        if progress:
            progress(f"{start + size - first} / {persons} persons")
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        _reset_sequences()
    return counts


def _persons_chunk(rng, ids, now, start, size, municipalities, centres, staff, password_hash) -> Iterator[tuple[str, int]]:
    rows: dict[str, list[dict]] = {name: [] for name in (
        "users", "contacts", "sips", "recipients", "consents", "consent_orgs", "versions", "goals",
        "interventions", "meetings", "participants", "links", "grants", "log")}
    for offset in range(size):
        number = start + offset
        person_id = ids(User)
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        rows["users"].append(dict(id=person_id, email=f"person{number}@load.example", name=name,
                                  password_hash=password_hash, role="citizen", language=rng.choice(LANGUAGES),
                                  organisation_id=None, title="", phone="+46701234567", active=True,
                                  created_at=now, password_changed_at=now))
        for _ in range(rng.randint(6, 10)):
            rows["contacts"].append(dict(id=ids(Contact), owner_id=person_id, name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                                         role_title="Sjuksköterska", organisation_id=None, organisation_name="Vårdcentralen",
                                         sector=rng.choice(SECTORS), phone="+4687778100", email="", helps_with="Medicines",
                                         meeting_frequency="Every month", meeting_place="At home",
                                         next_meeting_at=now + timedelta(days=rng.randint(1, 60)),
                                         created_at=now, updated_at=now))
        municipality, centre = rng.choice(municipalities), rng.choice(centres)
        sara, lena = staff[municipality][0], staff[centre][0]
        sip_id = ids(Sip)
        created = now - timedelta(days=rng.randint(30, 300))
        withdrawn = rng.random() < 0.05
        rows["sips"].append(dict(id=sip_id, reference=f"SIP-L{number:07d}"[:16], person_id=person_id,
                                 requested_by_id=person_id, on_behalf=False, subject_name="", subject_phone="",
                                 subject_informed=True, subject_agrees=True, purpose="Help at home after a hospital stay",
                                 start_path="home", discharge_date=None, place_preference="home",
                                 needs_hearing_loop=False, needs_step_free=False, needs_easy_read=False, needs_other="",
                                 status="follow_up", created_at=created, updated_at=now, acknowledged_at=created,
                                 acknowledged_by_id=sara, owner_id=sara, coordinator_id=sara, withdrawn_at=None,
                                 withdrawn_by_id=None, declined_at=None, declined_by_id=None, decline_reason="",
                                 closed_at=None, closed_by_id=None, closed_reason=""))
        for org in (municipality, centre):
            rows["recipients"].append(dict(id=ids(SipRecipient), sip_id=sip_id, organisation_id=org,
                                           acknowledged_at=created, acknowledged_by_id=staff[org][0], declined_at=None,
                                           declined_by_id=None, decline_reason=""))
        consent_id = ids(ConsentRecord)
        rows["consents"].append(dict(id=consent_id, sip_id=sip_id, action="give", method="app",
                                     recorded_by_id=person_id, created_at=created, purpose="Help at home",
                                     not_agreed="", valid_from=created.date(),
                                     valid_until=(created + timedelta(days=365)).date(), note=""))
        rows["consent_orgs"] += [dict(record_id=consent_id, organisation_id=org) for org in (municipality, centre)]
        if withdrawn:
            rows["consents"].append(dict(id=ids(ConsentRecord), sip_id=sip_id, action="withdraw", method="app",
                                         recorded_by_id=person_id, created_at=now - timedelta(days=1), purpose="",
                                         not_agreed="", valid_from=None, valid_until=None, note=""))
        first_meeting = ids(Meeting)
        follow_up = ids(Meeting)
        for meeting_id, kind, when, status in ((first_meeting, "first", created + timedelta(days=20), "held"),
                                               (follow_up, "follow_up", now + timedelta(days=rng.randint(2, 40)),
                                                "cancelled" if withdrawn else "planned")):
            rows["meetings"].append(dict(id=meeting_id, sip_id=sip_id, kind=kind, starts_at=when, duration_minutes=45,
                                         place_kind="home", address="", remote_link="", purpose="Help at home",
                                         status=status, created_by_id=sara, created_at=created, updated_at=created,
                                         cancelled_at=None, cancelled_by_id=None, cancel_reason="",
                                         cancelled_for_consent=withdrawn and kind == "follow_up", outcome=None,
                                         outcome_note="", outcome_recorded_at=None))
            for participant_user, kind_name in ((person_id, "person"), (sara, "professional"), (lena, "professional")):
                rows["participants"].append(dict(
                    id=ids(MeetingParticipant), meeting_id=meeting_id, kind=kind_name, user_id=participant_user,
                    contact_id=None, organisation_id=None, name="Participant", role_title="", organisation_name="",
                    phone="", email="", language="sv", response="accepted", substitute_name="", response_note="",
                    responded_at=created, responded_by_id=participant_user,
                    attended=True if kind == "first" else None))
        versions = 2 if rng.random() < 0.2 else 1
        for version_number in range(1, versions + 1):
            version_id = ids(PlanVersion)
            status = "approved" if version_number == 1 else "pending_approval"
            rows["versions"].append(dict(
                id=version_id, sip_id=sip_id, number=version_number, status=status, meeting_id=first_meeting,
                documented_by_id=sara, created_at=created, updated_at=created, sent_at=created,
                decided_at=created if status == "approved" else None,
                decided_by_id=person_id if status == "approved" else None, change_comment="",
                current_situation="Lives alone at home; fell in the winter.", overall_responsibility="municipality",
                coordinator_id=sara, no_municipality_interventions=False, no_region_interventions=False,
                no_other_interventions=False, next_follow_up_on=(now + timedelta(days=30)).date(),
                no_follow_up_reason=""))
            goal_keys = []
            for position in range(rng.randint(2, 4)):
                key = str(uuid.UUID(int=rng.getrandbits(128)))
                goal_keys.append(key)
                rows["goals"].append(dict(id=ids(PlanGoal), version_id=version_id, key=key,
                                          horizon="long" if position == 0 else "short",
                                          text="Keep living at home", position=position))
            for position in range(rng.randint(5, 15)):
                principal = PRINCIPALS[position % len(PRINCIPALS)]
                rows["interventions"].append(dict(
                    id=ids(Intervention), version_id=version_id, key=str(uuid.UUID(int=rng.getrandbits(128))),
                    position=position, what=rng.choice(INTERVENTIONS), principal=principal,
                    organisation_id=municipality if principal == "municipality" else centre if principal == "region" else None,
                    organisation_name="", responsible_name="Staff", responsible_user_id=None,
                    responsible_phone="+4686067000", responsible_email="", when="From March",
                    frequency="Every week", place="At home", goal_key=rng.choice(goal_keys), evaluation="At the follow-up"))
        if number > 0 and rng.random() < 0.3:
            link_id = ids(RelativeLink)
            rows["links"].append(dict(id=link_id, person_id=person_id, relative_id=person_id - 1, created_at=created,
                                      ends_on=None, can_request=True, removed_at=None, removed_by_id=None))
            rows["grants"].append(dict(id=ids(RelativeGrant), link_id=link_id, sip_id=sip_id, can_act=True,
                                       created_at=created))
        for reads in range(rng.randint(5, 15)):
            reader = rng.choice((sara, lena))
            rows["log"].append(dict(id=ids(AccessLogEntry), person_id=person_id, sip_id=sip_id, actor_id=reader,
                                    actor_name="Staff", actor_role="professional", actor_organisation="Load",
                                    resource=rng.choice(("plan", "meetings", "sip", "consent")),
                                    at=created + timedelta(hours=reads * 7)))
    tables = (("users", User.__table__), ("contacts", Contact.__table__), ("sips", Sip.__table__),
              ("recipients", SipRecipient.__table__), ("consents", ConsentRecord.__table__),
              ("consent_orgs", consent_organisations), ("meetings", Meeting.__table__),
              ("participants", MeetingParticipant.__table__), ("versions", PlanVersion.__table__),
              ("goals", PlanGoal.__table__), ("interventions", Intervention.__table__),
              ("links", RelativeLink.__table__), ("grants", RelativeGrant.__table__), ("log", AccessLogEntry.__table__))
    for name, table in tables:
        _insert(table, rows[name])
        yield name, len(rows[name])


def _reset_sequences() -> None:
    """Explicit ids bypass PostgreSQL's sequences: move each past the highest id."""
    from webapp.db import Base

    with db.engine.begin() as conn:
        for table in Base.metadata.sorted_tables:
            if "id" in table.c and table.c.id.primary_key:
                name = table.name  # our own metadata's table names, no input
                statement = f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), COALESCE((SELECT MAX(id) FROM {name}), 0) + 1, false)"  # nosec B608  # noqa: E501
                conn.exec_driver_sql(statement)
