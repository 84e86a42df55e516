"""Backups: a consistent copy of the live SQLite database that restores every row."""
from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from tests.conftest import PG_URL, TEST_SETTINGS
from webapp import create_app
from webapp.db import Base
from webapp.extensions import db

pytestmark = pytest.mark.skipif(bool(PG_URL), reason="the backup command copies SQLite; PostgreSQL uses pg_dump")


def _counts(app) -> dict[str, int]:
    with app.app_context():
        return {table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
                for table in Base.metadata.sorted_tables}


def test_a_backup_restores_every_row(app, runner, demo, tmp_path):
    assert runner.invoke(args=["seed-load", "--persons", "20"]).exit_code == 0
    target = tmp_path / "backups" / "minsip-backup.sqlite3"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert "integrity check ok" in result.output
    restored = create_app({**TEST_SETTINGS, "DATABASE_URL": f"sqlite:///{target}"})
    try:
        before, after = _counts(app), _counts(restored)
        assert after == before and after["users"] > 20 and after["interventions"] > 100
        with restored.app_context():  # and the rows themselves, not only how many
            emails = set(db.session.scalars(sa.text("SELECT email FROM users")))
        with app.app_context():
            assert emails == set(db.session.scalars(sa.text("SELECT email FROM users")))
    finally:
        restored.extensions["minsip_db"]["engine"].dispose()


def test_backup_while_the_app_writes(app, runner, demo, tmp_path):
    stop = threading.Event()

    def write():
        client = app.test_client()
        client.post("/login", data={"email": "anna@example.org", "password": "sip-demo-password"})
        number = 0
        while not stop.is_set():
            number += 1
            client.post("/contacts/new", data={"name": f"Kontakt {number}", "sector": "other"})

    writer = threading.Thread(target=write)
    writer.start()
    try:
        result = runner.invoke(args=["backup", str(tmp_path / "live.sqlite3")])
    finally:
        stop.set()
        writer.join()
    assert result.exit_code == 0, result.output


def test_backup_refuses_to_overwrite(app, runner, tmp_path):
    target = tmp_path / "exists.sqlite3"
    target.write_text("precious")
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code != 0 and "exists" in result.output
    assert target.read_text() == "precious"
