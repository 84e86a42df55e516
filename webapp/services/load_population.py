"""A realistic population for benchmarks: ``flask --app webapp seed-load --persons N``.

Each person has a contact map, a SIP sent to a municipality and a health centre, a live consent (some
withdrawn), an approved plan of 5 to 15 interventions (some with a second version waiting), a held
first meeting and a planned follow-up, sometimes a relative, and a history of reads in the access log.
Ids are assigned here and rows are built as tuples, 2,000 persons at a time. On PostgreSQL they are
written with ``COPY`` in the seed's one transaction (100,000 persons in under two minutes); on SQLite
with bulk Core inserts. Everyone's password is ``LOAD_PASSWORD``.
"""
from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from psycopg import sql

from webapp.db import UTCDateTime, note_write
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
CHUNK = 2000  # persons built (and held in memory) at a time

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
RESOURCES = ("plan", "meetings", "sip", "consent")

# The columns each generated row fills, in the order of its tuple. Columns left out take their defaults.
ORGANISATION_COLUMNS = ("id", "name", "kind", "part_of", "phone", "email", "address", "website", "active",
                        "created_at")
USER_COLUMNS = ("id", "email", "name", "password_hash", "role", "language", "organisation_id", "title", "phone",
                "active", "created_at", "password_changed_at")
CONTACT_COLUMNS = ("id", "owner_id", "name", "role_title", "organisation_id", "organisation_name", "sector", "phone",
                   "email", "helps_with", "meeting_frequency", "meeting_place", "next_meeting_at", "created_at",
                   "updated_at")
SIP_COLUMNS = ("id", "reference", "person_id", "requested_by_id", "on_behalf", "subject_name", "subject_phone",
               "subject_informed", "subject_agrees", "purpose", "start_path", "discharge_date", "place_preference",
               "needs_hearing_loop", "needs_step_free", "needs_easy_read", "needs_other", "status", "created_at",
               "updated_at", "acknowledged_at", "acknowledged_by_id", "owner_id", "coordinator_id", "withdrawn_at",
               "withdrawn_by_id", "declined_at", "declined_by_id", "decline_reason", "closed_at", "closed_by_id",
               "closed_reason")
RECIPIENT_COLUMNS = ("id", "sip_id", "organisation_id", "acknowledged_at", "acknowledged_by_id", "declined_at",
                     "declined_by_id", "decline_reason")
CONSENT_COLUMNS = ("id", "sip_id", "action", "method", "recorded_by_id", "created_at", "purpose", "not_agreed",
                   "valid_from", "valid_until", "note")
CONSENT_ORG_COLUMNS = ("record_id", "organisation_id")
MEETING_COLUMNS = ("id", "sip_id", "kind", "starts_at", "duration_minutes", "place_kind", "address", "remote_link",
                   "purpose", "status", "created_by_id", "created_at", "updated_at", "cancelled_at",
                   "cancelled_by_id", "cancel_reason", "cancelled_for_consent", "outcome", "outcome_note",
                   "outcome_recorded_at")
PARTICIPANT_COLUMNS = ("id", "meeting_id", "kind", "user_id", "contact_id", "organisation_id", "name", "role_title",
                       "organisation_name", "phone", "email", "language", "response", "substitute_name",
                       "response_note", "responded_at", "responded_by_id", "attended")
VERSION_COLUMNS = ("id", "sip_id", "number", "status", "meeting_id", "documented_by_id", "created_at", "updated_at",
                   "sent_at", "decided_at", "decided_by_id", "change_comment", "current_situation",
                   "overall_responsibility", "coordinator_id", "no_municipality_interventions",
                   "no_region_interventions", "no_other_interventions", "next_follow_up_on", "no_follow_up_reason")
GOAL_COLUMNS = ("id", "version_id", "key", "horizon", "text", "position")
INTERVENTION_COLUMNS = ("id", "version_id", "key", "position", "what", "principal", "organisation_id",
                        "organisation_name", "responsible_name", "responsible_user_id", "responsible_phone",
                        "responsible_email", "when", "frequency", "place", "goal_key", "evaluation")
LINK_COLUMNS = ("id", "person_id", "relative_id", "created_at", "ends_on", "can_request", "removed_at",
                "removed_by_id")
GRANT_COLUMNS = ("id", "link_id", "sip_id", "can_act", "created_at")
LOG_COLUMNS = ("id", "person_id", "sip_id", "actor_id", "actor_name", "actor_role", "actor_organisation",
               "resource", "at")

# name in the counts: (table, columns), in the order the tables are written (parents first).
TABLES: dict[str, tuple[sa.Table, tuple[str, ...]]] = {
    "users": (User.__table__, USER_COLUMNS),
    "contacts": (Contact.__table__, CONTACT_COLUMNS),
    "sips": (Sip.__table__, SIP_COLUMNS),
    "recipients": (SipRecipient.__table__, RECIPIENT_COLUMNS),
    "consents": (ConsentRecord.__table__, CONSENT_COLUMNS),
    "consent_orgs": (consent_organisations, CONSENT_ORG_COLUMNS),
    "meetings": (Meeting.__table__, MEETING_COLUMNS),
    "participants": (MeetingParticipant.__table__, PARTICIPANT_COLUMNS),
    "versions": (PlanVersion.__table__, VERSION_COLUMNS),
    "goals": (PlanGoal.__table__, GOAL_COLUMNS),
    "interventions": (Intervention.__table__, INTERVENTION_COLUMNS),
    "links": (RelativeLink.__table__, LINK_COLUMNS),
    "grants": (RelativeGrant.__table__, GRANT_COLUMNS),
    "log": (AccessLogEntry.__table__, LOG_COLUMNS),
}


def _max_id(model) -> int:
    return db.session.scalar(sa.select(sa.func.coalesce(sa.func.max(model.id), 0))) or 0


class _Ids:
    """Hands out primary keys after the highest one in each table."""

    def __init__(self, *models):
        self._counters = {model: itertools.count(_max_id(model) + 1) for model in models}

    def __call__(self, model) -> int:
        return next(self._counters[model])

    def counter(self, model) -> Callable[[], int]:
        """A function handing out ``model``'s next id (the same sequence as calling ``self(model)``)."""
        return self._counters[model].__next__


def _insert(table: sa.Table, rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH):
        db.session.execute(sa.insert(table), rows[start:start + BATCH])


class _Writer:
    """Writes tuples of ``columns`` into a table, in the session's transaction.

    With ``COPY`` (PostgreSQL) the values go to psycopg as they are, without SQLAlchemy's column types,
    so the rows must already hold what those types would store: instants as naive UTC (``UTCDateTime``,
    see ``_Instants``), enums as their values (the generator writes plain strings). Without ``COPY``
    the rows go through SQLAlchemy as dicts (bulk executemany), instants aware.
    """

    def __init__(self, use_copy: bool):
        self.use_copy = use_copy

    def __call__(self, table: sa.Table, columns: Sequence[str], rows: list[tuple]) -> None:
        if not rows:
            return
        if not self.use_copy:
            _insert(table, [dict(zip(columns, row)) for row in rows])
            return
        if any(isinstance(value, datetime) and value.tzinfo is not None for value in rows[0]):
            raise ValueError(f"an aware datetime for COPY into {table.name}: give it as naive UTC")
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(table.name), sql.SQL(", ").join(sql.Identifier(column) for column in columns))
        raw = db.session.connection().connection.dbapi_connection
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            write_row = copy.write_row
            for row in rows:
                write_row(row)


def _note_write() -> None:
    """Tell the app's write tracking that this transaction wrote: ``COPY`` goes round the cursor events
    that notice INSERT, UPDATE and DELETE, and the commit must move the data generation on."""
    note_write(db.session.connection())


_UTC_DATETIME = UTCDateTime()


def _utc_naive(value: datetime) -> datetime:
    """An aware instant as a ``UTCDateTime`` column stores it: naive UTC."""
    return _UTC_DATETIME.process_bind_param(value, None)  # type: ignore[return-value]


def _unchanged(value: datetime) -> datetime:
    return value


class _Instants:
    """Every instant and date a seed writes, worked out once from ``now``, in the rows' form.

    The arithmetic is done on the aware ``now`` (as it always was), and only then is each instant
    turned into what the rows hold: aware for SQLAlchemy, naive UTC for ``COPY``.
    """

    def __init__(self, now: datetime, stored: Callable[[datetime], datetime]):
        self.now = stored(now)
        self.yesterday = stored(now - timedelta(days=1))
        self.follow_up_on = (now + timedelta(days=30)).date()
        #: ``soon[days]``: now + days, for 0 to 60 days.
        self.soon = [stored(now + timedelta(days=days)) for days in range(61)]
        #: ``past[days]``: a SIP created ``days`` ago (30 to 300): its creation, its first meeting, the
        #: first and last day of its consent, and its 15 possible reads, 7 hours apart.
        self.past: dict[int, tuple[datetime, datetime, date, date, list[datetime]]] = {}
        for days in range(30, 301):
            created = now - timedelta(days=days)
            self.past[days] = (stored(created), stored(created + timedelta(days=20)), created.date(),
                               (created + timedelta(days=365)).date(),
                               [stored(created + timedelta(hours=reads * 7)) for reads in range(15)])


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


def _organisations(ids: _Ids, now: datetime, password_hash: str, write: _Writer) -> tuple[list[int], list[int], dict]:
    """40 municipalities and 80 health centres, each with 5 professionals (made once)."""
    existing = _existing_organisations()
    if existing is not None:
        return existing
    orgs, users = [], []
    municipalities, centres, staff = [], [], {}
    for index in range(120):
        org_id = ids(Organisation)
        is_municipality = index < 40
        orgs.append((org_id, f"Load {'kommun' if is_municipality else 'vårdcentral'} {index:03d}",
                     "municipality" if is_municipality else "region", "" if is_municipality else "Load Region",
                     "+4686067000", "", "", "", True, now))
        (municipalities if is_municipality else centres).append(org_id)
        staff[org_id] = []
        for number in range(5):
            user_id = ids(User)
            staff[org_id].append(user_id)
            users.append((user_id, f"staff{org_id}-{number}@load.example", f"Staff {org_id}-{number}", password_hash,
                          "professional", "sv", org_id, "Handläggare", "", True, now, now))
    write(Organisation.__table__, ORGANISATION_COLUMNS, orgs)
    return municipalities, centres, {"users": users, "staff": staff}


def seed(persons: int, seed_value: int = 1, progress: Callable[[str], None] | None = None, *,
         use_copy: bool | None = None) -> dict[str, int]:
    """Add ``persons`` persons (and everything around them); returns row counts.

    ``use_copy`` (default: on PostgreSQL) writes with ``COPY``; the rows are the same either way.
    """
    rng = random.Random(seed_value)
    now = clock.now()
    db.begin_write()
    if use_copy is None:
        use_copy = db.engine.dialect.name == "postgresql"
    write = _Writer(use_copy)
    instants = _Instants(now, _utc_naive if use_copy else _unchanged)
    ids = _Ids(Organisation, User, Contact, Sip, SipRecipient, ConsentRecord, PlanVersion, PlanGoal, Intervention,
               Meeting, MeetingParticipant, RelativeLink, RelativeGrant, AccessLogEntry)
    password_hash = passwords.hash_password(LOAD_PASSWORD)
    municipalities, centres, staff_info = _organisations(ids, instants.now, password_hash, write)
    staff = staff_info["staff"]
    write(User.__table__, USER_COLUMNS, staff_info["users"])
    counts: dict[str, int] = {"organisations": 120, "professionals": len(staff_info["users"])}
    first = db.session.scalar(sa.select(sa.func.count(User.id)).where(User.email.like("person%@load.example"))) or 0
    for start in range(first, first + persons, CHUNK):
        size = min(CHUNK, first + persons - start)
        rows = _persons_chunk(rng, ids, instants, start, size, municipalities, centres, staff, password_hash)
        for name, (table, columns) in TABLES.items():
            write(table, columns, rows[name])
            counts[name] = counts.get(name, 0) + len(rows[name])
        if progress:
            progress(f"{start + size - first} / {persons} persons")
    if use_copy:
        _note_write()
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        _reset_sequences()
    return counts


def _uuid_text(number: int) -> str:
    """``str(uuid.UUID(int=number))``, without building the UUID."""
    digits = "%032x" % number
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


def _persons_chunk(rng: random.Random, ids: _Ids, instants: _Instants, start: int, size: int, municipalities: list[int],
                   centres: list[int], staff: dict[int, list[int]], password_hash: str) -> dict[str, list[tuple]]:
    """The rows of persons ``start`` to ``start + size - 1``, per table, as tuples of the table's columns.

    The random draws are made in a fixed order, so a seed always gives the same population.
    """
    rows: dict[str, list[tuple]] = {name: [] for name in TABLES}
    users, contacts, sips, recipients = rows["users"], rows["contacts"], rows["sips"], rows["recipients"]
    consents, consent_orgs, meetings = rows["consents"], rows["consent_orgs"], rows["meetings"]
    participants, versions, goals = rows["participants"], rows["versions"], rows["goals"]
    interventions, links, grants, log = rows["interventions"], rows["links"], rows["grants"], rows["log"]
    choice, randint, uniform, getrandbits = rng.choice, rng.randint, rng.random, rng.getrandbits
    now, soon, past = instants.now, instants.soon, instants.past
    yesterday, follow_up_on = instants.yesterday, instants.follow_up_on
    person_ids, contact_ids, sip_ids, recipient_ids = (ids.counter(User), ids.counter(Contact), ids.counter(Sip),
                                                        ids.counter(SipRecipient))
    consent_ids, meeting_ids, participant_ids = ids.counter(ConsentRecord), ids.counter(Meeting), ids.counter(
        MeetingParticipant)
    version_ids, goal_ids, intervention_ids = ids.counter(PlanVersion), ids.counter(PlanGoal), ids.counter(
        Intervention)
    link_ids, grant_ids, log_ids = ids.counter(RelativeLink), ids.counter(RelativeGrant), ids.counter(AccessLogEntry)
    for number in range(start, start + size):
        person_id = person_ids()
        name = f"{choice(FIRST)} {choice(LAST)}"
        users.append((person_id, f"person{number}@load.example", name, password_hash, "citizen", choice(LANGUAGES),
                      None, "", "+46701234567", True, now, now))
        for _ in range(randint(6, 10)):
            contact_name = f"{choice(FIRST)} {choice(LAST)}"
            sector = choice(SECTORS)
            contacts.append((contact_ids(), person_id, contact_name, "Sjuksköterska", None, "Vårdcentralen", sector,
                             "+4687778100", "", "Medicines", "Every month", "At home", soon[randint(1, 60)], now, now))
        municipality, centre = choice(municipalities), choice(centres)
        sara, lena = staff[municipality][0], staff[centre][0]
        sip_id = sip_ids()
        created, first_meeting_at, valid_from, valid_until, read_at = past[randint(30, 300)]
        withdrawn = uniform() < 0.05
        sips.append((sip_id, f"SIP-L{number:07d}"[:16], person_id, person_id, False, "", "", True, True,
                     "Help at home after a hospital stay", "home", None, "home", False, False, False, "", "follow_up",
                     created, now, created, sara, sara, sara, None, None, None, None, "", None, None, ""))
        for org in (municipality, centre):
            recipients.append((recipient_ids(), sip_id, org, created, staff[org][0], None, None, ""))
        consent_id = consent_ids()
        consents.append((consent_id, sip_id, "give", "app", person_id, created, "Help at home", "", valid_from,
                         valid_until, ""))
        consent_orgs.append((consent_id, municipality))
        consent_orgs.append((consent_id, centre))
        if withdrawn:
            consents.append((consent_ids(), sip_id, "withdraw", "app", person_id, yesterday, "", "", None, None, ""))
        first_meeting, follow_up = meeting_ids(), meeting_ids()
        for meeting_id, kind, when, status in ((first_meeting, "first", first_meeting_at, "held"),
                                               (follow_up, "follow_up", soon[randint(2, 40)],
                                                "cancelled" if withdrawn else "planned")):
            meetings.append((meeting_id, sip_id, kind, when, 45, "home", "", "", "Help at home", status, sara,
                             created, created, None, None, "", withdrawn and kind == "follow_up", None, "", None))
            attended = True if kind == "first" else None
            for participant_user, kind_name in ((person_id, "person"), (sara, "professional"),
                                                (lena, "professional")):
                participants.append((participant_ids(), meeting_id, kind_name, participant_user, None, None,
                                     "Participant", "", "", "", "", "sv", "accepted", "", "", created,
                                     participant_user, attended))
        for version_number in range(1, (2 if uniform() < 0.2 else 1) + 1):
            version_id = version_ids()
            approved = version_number == 1
            versions.append((version_id, sip_id, version_number, "approved" if approved else "pending_approval",
                             first_meeting, sara, created, created, created, created if approved else None,
                             person_id if approved else None, "", "Lives alone at home; fell in the winter.",
                             "municipality", sara, False, False, False, follow_up_on, ""))
            goal_keys = []
            for position in range(randint(2, 4)):
                key = _uuid_text(getrandbits(128))
                goal_keys.append(key)
                goals.append((goal_ids(), version_id, key, "long" if position == 0 else "short", "Keep living at home",
                              position))
            for position in range(randint(5, 15)):
                principal = PRINCIPALS[position % len(PRINCIPALS)]
                key = _uuid_text(getrandbits(128))
                what = choice(INTERVENTIONS)
                interventions.append((
                    intervention_ids(), version_id, key, position, what, principal,
                    municipality if principal == "municipality" else centre if principal == "region" else None,
                    "", "Staff", None, "+4686067000", "", "From March", "Every week", "At home", choice(goal_keys),
                    "At the follow-up"))
        if number > 0 and uniform() < 0.3:
            link_id = link_ids()
            links.append((link_id, person_id, person_id - 1, created, None, True, None, None))
            grants.append((grant_ids(), link_id, sip_id, True, created))
        for reads in range(randint(5, 15)):
            reader = choice((sara, lena))
            log.append((log_ids(), person_id, sip_id, reader, "Staff", "professional", "Load", choice(RESOURCES),
                        read_at[reads]))
    return rows


def _reset_sequences() -> None:
    """Explicit ids bypass PostgreSQL's sequences: move each past the highest id."""
    from webapp.db import Base

    with db.engine.begin() as conn:
        for table in Base.metadata.sorted_tables:
            if "id" in table.c and table.c.id.primary_key:
                name = table.name  # our own metadata's table names, no input
                statement = f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), COALESCE((SELECT MAX(id) FROM {name}), 0) + 1, false)"  # nosec B608  # noqa: E501
                conn.exec_driver_sql(statement)
