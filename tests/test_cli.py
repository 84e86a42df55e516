"""The command-line tools."""
from __future__ import annotations

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import Role, User


def test_seed_demo_is_idempotent(app, runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0 and "sip-demo-password" in first.output
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        emails = db.session.scalars(sa.select(User.email)).all()
    assert len(emails) == len(set(emails)) == 7
    assert {"anna@example.org", "erik@example.org", "omar@example.org", "sara@example.org",
            "lena@example.org", "nils@example.org", "admin@example.org"} == set(emails)


def test_seed_demo_if_empty_leaves_a_used_database_alone(app, runner, demo):
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert "not added" in result.output


def test_create_admin(app, runner, client, auth):
    result = runner.invoke(args=["create-admin", "--email", "boss@example.org", "--name", "Boss"],
                           input="volcanic pumpkin ladder\nvolcanic pumpkin ladder\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalars(sa.select(User).where(User.email == "boss@example.org")).one()
        assert user.role == Role.ADMIN
    assert auth.login("boss@example.org", "volcanic pumpkin ladder").status_code == 303
    assert client.get("/admin").status_code == 200


def test_create_admin_refuses_a_weak_password(runner):
    result = runner.invoke(args=["create-admin", "--email", "b@example.org", "--name", "B"],
                           input="password\npassword\n")
    assert result.exit_code != 0
    assert "12" in result.output  # "Use at least 12 characters", in the default language


def test_db_commands(runner):
    assert runner.invoke(args=["db", "current"]).exit_code == 0
    assert runner.invoke(args=["db", "check"]).exit_code == 0


def test_seed_load_fills_a_realistic_population(app, runner, client):
    from webapp.models import Contact, Intervention, Organisation, PlanVersion, Sip

    result = runner.invoke(args=["seed-load", "--persons", "30"])
    assert result.exit_code == 0, result.output
    assert "users: 30" in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Sip.id))) == 30
        assert db.session.scalar(sa.select(sa.func.count(Contact.id))) >= 30 * 6
        per_version = db.session.execute(
            sa.select(sa.func.count(Intervention.id)).group_by(Intervention.version_id)).scalars().all()
        assert min(per_version) >= 5 and max(per_version) <= 15
        assert db.session.scalar(sa.select(sa.func.count(PlanVersion.id)).where(PlanVersion.status == "approved")) == 30
    response = client.post("/login", data={"email": "person7@load.example", "password": "load-test-password"})
    assert response.status_code == 303
    # A second run adds more people after the first, reusing its organisations.
    again = runner.invoke(args=["seed-load", "--persons", "5", "--seed", "2"])
    assert again.exit_code == 0, again.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Sip.id))) == 35
        assert db.session.scalar(sa.select(sa.func.count(Organisation.id)).where(Organisation.name.like("Load %"))) == 120
