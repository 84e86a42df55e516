"""Fixtures in the style of Flask's tutorial: ``app``, ``client``, ``runner`` and ``auth``.

Every test gets a fresh database. On SQLite (the default) a migrated template file is copied per
test. With ``TEST_DATABASE_URL`` pointing at PostgreSQL, each run (and each xdist worker) migrates
its own schema once and every test starts from emptied tables, with ids from 1 again.
"""
from __future__ import annotations

import functools
import os
import re
import shutil
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command as alembic_command

from webapp import create_app
from webapp.cli import alembic_config
from webapp.db import Base, make_engine

PG_URL = os.environ.get("TEST_DATABASE_URL", "")

TEST_SETTINGS = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key-not-for-production",
    "WTF_CSRF_ENABLED": False,
    # Cheap hashing: the cost parameters are tested, not the seconds they take.
    "ARGON2_TIME_COST": 1,
    "ARGON2_MEMORY_COST": 1024,
    "ARGON2_PARALLELISM": 1,
    "SERVER_NAME": "localhost",
    # The demo without the professionals' case history (issue 5): most tests book their own meetings
    # and plans on Anna's SIP. ``full_demo`` seeds everything, as ``make run`` does.
    "DEMO_CASE_HISTORY": False,
    # The page cache asks the database on every request, as if another process might have written
    # (tests/test_response_cache.py tests answering from memory between two asks).
    "RESPONSE_CACHE_RECHECK": 0.0,
}


def _migrate(url: str) -> None:
    alembic_command.upgrade(alembic_config(url), "head")


def _pg_url_with_schema(url: str, schema: str) -> str:
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{schema}"


@pytest.fixture(scope="session")
def database_template(tmp_path_factory, worker_id):
    """A migrated database to start every test from: a SQLite file, or a PostgreSQL schema."""
    if PG_URL:
        schema = f"test_{re.sub(r'[^a-z0-9]', '', worker_id)}_{uuid.uuid4().hex[:8]}"
        admin = make_engine(PG_URL)
        with admin.begin() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        url = _pg_url_with_schema(PG_URL, schema)
        _migrate(url)
        with admin.connect() as conn:
            sequences = conn.execute(sa.text("SELECT sequence_name FROM information_schema.sequences "
                                             "WHERE sequence_schema = :schema"), {"schema": schema}).scalars()
            restart = ", ".join(f"setval('\"{name}\"', 1, false)" for name in sequences)
        yield {"kind": "postgresql", "url": url, "restart_sequences": f"SELECT {restart}" if restart else ""}
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()
    else:
        path = tmp_path_factory.mktemp("template") / "template.sqlite3"
        _migrate(f"sqlite:///{path}")
        engine = make_engine(f"sqlite:///{path}")
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()
        yield {"kind": "sqlite", "path": path}


@functools.cache
def _filled_tables_query() -> str:
    return " UNION ALL ".join(f"SELECT '{table.name}' WHERE EXISTS (SELECT 1 FROM \"{table.name}\")"
                              for table in Base.metadata.sorted_tables)


def _fresh_database_url(template: dict, tmp_path: Path) -> str:
    if template["kind"] == "sqlite":
        target = tmp_path / "test.sqlite3"
        shutil.copyfile(template["path"], target)
        return f"sqlite:///{target}"
    # The tables a test filled are emptied with DELETE, children first, and every id sequence starts at 1
    # again. TRUNCATE of every table would make new files for all of them: about 0.1 s more per test, two
    # minutes of server CPU over the suite.
    engine = make_engine(template["url"])
    with engine.begin() as conn:
        filled = {row[0] for row in conn.exec_driver_sql(_filled_tables_query())}
        for table in reversed(Base.metadata.sorted_tables):
            if table.name in filled:
                conn.execute(table.delete())
        if template["restart_sequences"]:
            conn.exec_driver_sql(template["restart_sequences"])
        conn.exec_driver_sql("INSERT INTO data_generation (id, value) VALUES (1, 0)")  # as migration 0003 left it
    engine.dispose()
    return template["url"]


@pytest.fixture
def make_app(database_template, tmp_path):
    """Build an app on a fresh database, with settings of the test's choosing."""
    url = _fresh_database_url(database_template, tmp_path)
    built = []

    def factory(**overrides):
        settings = {**TEST_SETTINGS, "DATABASE_URL": url, **overrides}
        application = create_app(settings)
        built.append(application)
        return application

    yield factory
    for application in built:
        application.extensions["minsip_db"]["engine"].dispose()


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class Clock:
    """A clock the test moves by hand: ``clock.set(...)``, ``clock.advance(minutes=31)``."""

    def __init__(self, start: datetime):
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def set(self, value: datetime) -> None:
        self.current = value

    def advance(self, **delta) -> None:
        from datetime import timedelta

        self.current = self.current + timedelta(**delta)


@pytest.fixture
def clock(app):
    """Freeze the app's clock at a Monday morning; tests move it explicitly."""
    frozen = Clock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    app.config["CLOCK"] = frozen
    return frozen


@pytest.fixture
def demo(app):
    """The demo data, seeded through the same service ``make run`` uses."""
    from webapp.services import demo as demo_service

    with app.app_context():
        people = demo_service.seed()
    return {email.split("@")[0]: user for email, user in people.items()}


@pytest.fixture
def full_demo(app):
    """The demo data with everything ``make run`` seeds, the professionals' case history included."""
    from webapp.services import demo as demo_service

    app.config["DEMO_CASE_HISTORY"] = True
    with app.app_context():
        people = demo_service.seed()
    return {email.split("@")[0]: user for email, user in people.items()}


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, email="anna@example.org", password="sip-demo-password", english=True, **kwargs):
        """Log in (``"anna"`` means ``anna@example.org``). With ``english`` the account then switches to
        English, so that tests read the source texts; pass ``english=False`` to keep its language."""
        if "@" not in email:
            email = f"{email}@example.org"
        response = self._client.post("/login", data={"email": email, "password": password}, **kwargs)
        if english and response.status_code == 303:
            self._client.post("/language", data={"lang-language": "en", "next": "/"})
        return response

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


def pytest_collection_modifyitems(config, items):
    """Browser tests need Debian's Chromium; without it they are skipped with the way to get it."""
    if Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")).exists():
        return
    skip = pytest.mark.skip(reason="Chromium is not installed: apt-get install -y chromium (see TOOLS.md); "
                                   ".ci/run installs it")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)
