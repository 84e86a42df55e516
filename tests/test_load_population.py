"""The benchmark population (``flask seed-load``): written with COPY on PostgreSQL, and the same rows."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from tests.conftest import PG_URL
from tests.helpers import text
from webapp.extensions import db
from webapp.models import Contact, Intervention, Organisation, PlanVersion, Sip, User
from webapp.services import load_population

#: Not UTC, so that an instant stored without its conversion to UTC shows.
TWO_HOURS_EAST = datetime(2026, 3, 2, 11, 0, 5, 123456, tzinfo=timezone(timedelta(hours=2)))


def _generated_tables() -> list[sa.Table]:
    return [Organisation.__table__] + [table for table, _columns in load_population.TABLES.values()]


def _snapshot(app) -> dict[str, list[tuple]]:
    """Every generated row, in id order (password hashes aside: each run salts its own)."""
    with app.app_context():
        snapshot = {}
        for table in _generated_tables():
            columns = [column for column in table.c if column.name != "password_hash"]
            snapshot[table.name] = db.session.execute(
                sa.select(*columns).order_by(*(table.primary_key.columns or columns))).all()
        return snapshot


@pytest.mark.skipif(not PG_URL, reason="COPY is PostgreSQL's; SQLite keeps SQLAlchemy's inserts")
def test_copy_stores_the_rows_that_inserts_store(app, clock):
    clock.set(TWO_HOURS_EAST)

    def fill(use_copy: bool) -> dict[str, list[tuple]]:
        with app.app_context():
            load_population.seed(30, 3, use_copy=use_copy)
            load_population.seed(10, 4, use_copy=use_copy)  # a second run reuses the organisations
        return _snapshot(app)

    inserted = fill(use_copy=False)
    with app.app_context(), db.engine.begin() as conn:
        conn.exec_driver_sql("TRUNCATE " + ", ".join(f'"{table.name}"' for table in _generated_tables()) + " CASCADE")
    assert not any(_snapshot(app).values())
    copied = fill(use_copy=True)
    assert copied == inserted
    assert len(copied["users"]) == 600 + 40 and len(copied["interventions"]) > 40 * 5
    with app.app_context():  # instants come back as the same aware instants, dates as the dates
        person = db.session.scalars(sa.select(User).where(User.email == "person0@load.example")).one()
        assert person.created_at == TWO_HOURS_EAST and person.created_at.tzinfo == UTC


def test_a_seeded_person_sees_their_plan_and_adds_a_contact(app, client, auth, runner, clock):
    clock.set(TWO_HOURS_EAST)
    result = runner.invoke(args=["seed-load", "--persons", "12"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        person = db.session.scalars(sa.select(User).where(User.email == "person0@load.example")).one()
        assert person.created_at == TWO_HOURS_EAST and person.created_at.tzinfo == UTC
        sip = db.session.scalars(sa.select(Sip).where(Sip.reference == "SIP-L0000000")).one()
        assert sip.person_id == person.id and sip.created_at < TWO_HOURS_EAST - timedelta(days=29)
        plan = db.session.scalars(sa.select(Intervention.what).join(PlanVersion)
                                  .where(PlanVersion.sip_id == sip.id, PlanVersion.status == "approved")).all()
        highest_contact = db.session.scalar(sa.select(sa.func.max(Contact.id)))
    assert 5 <= len(plan) <= 15

    assert auth.login("person0@load.example", load_population.LOAD_PASSWORD).status_code == 303
    page = text(client.get("/sips/SIP-L0000000/plan"))
    assert "Your plan" in page and "Keep living at home" in page
    assert all(what in page for what in plan)

    # A new row takes its id from the database: on PostgreSQL the sequences were moved past the seeded ids.
    response = client.post("/contacts/new", data={"name": "Grannen Olle", "sector": "relative", "phone": "",
                                                  "email": ""})
    assert response.status_code == 303
    with app.app_context():
        added = db.session.scalars(sa.select(Contact).where(Contact.name == "Grannen Olle")).one()
        assert added.owner_id == person.id and added.id > highest_contact
