"""The database layer: SQLite's durability settings and write transactions."""
from __future__ import annotations

from datetime import datetime

import pytest
import sqlalchemy as sa

from tests.conftest import PG_URL
from webapp.db import UTCDateTime, normalise_url
from webapp.extensions import db


@pytest.mark.skipif(bool(PG_URL), reason="SQLite settings")
def test_sqlite_runs_in_wal_mode_with_full_sync_and_a_busy_timeout(app):
    with app.app_context():
        pragma = lambda name: db.session.execute(sa.text(f"PRAGMA {name}")).scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("synchronous") == 2  # FULL
        assert pragma("busy_timeout") == 30000
        assert pragma("foreign_keys") == 1


@pytest.mark.skipif(bool(PG_URL), reason="SQLite's write lock")
def test_a_declared_write_takes_the_write_lock_at_once(app):
    """BEGIN IMMEDIATE: a second writer waits instead of failing half-way through a transaction."""
    with app.app_context():
        db.begin_write()
        db.session.execute(sa.text("SELECT 1"))  # only a read so far, yet the lock is held
        raw = db.engine.raw_connection()
        try:
            raw.driver_connection.execute("PRAGMA busy_timeout=0")
            with pytest.raises(Exception, match="locked"):
                raw.driver_connection.execute("BEGIN IMMEDIATE")
        finally:
            raw.close()
        db.session.rollback()


def test_instants_are_stored_in_utc_and_naive_ones_refused():
    column = UTCDateTime()
    with pytest.raises(ValueError):
        column.process_bind_param(datetime(2026, 3, 2, 9), None)
    assert column.process_result_value(None, None) is None


def test_postgres_urls_use_psycopg():
    assert normalise_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalise_url("postgresql://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalise_url("sqlite:///x") == "sqlite:///x"
