"""Alembic: one head, every revision up and down and up again, and the schema matches the models."""
from __future__ import annotations

import sqlalchemy as sa
from alembic import command as alembic_command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from tests.conftest import PG_URL, _pg_url_with_schema
from webapp.cli import alembic_config
from webapp.db import Base, make_engine


def _fresh_url(tmp_path):
    if not PG_URL:
        return f"sqlite:///{tmp_path}/migrations.sqlite3", None
    import uuid

    schema = f"mig_{uuid.uuid4().hex[:10]}"
    engine = make_engine(PG_URL)
    with engine.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    return _pg_url_with_schema(PG_URL, schema), (engine, schema)


def _drop(cleanup):
    if cleanup:
        engine, schema = cleanup
        with engine.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        engine.dispose()


def test_there_is_exactly_one_head():
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1


def test_each_revision_upgrades_downgrades_and_upgrades_again(tmp_path):
    url, cleanup = _fresh_url(tmp_path)
    try:
        cfg = alembic_config(url)
        script = ScriptDirectory.from_config(cfg)
        revisions = list(reversed(list(script.walk_revisions())))
        for revision in revisions:
            alembic_command.upgrade(cfg, revision.revision)
            alembic_command.downgrade(cfg, revision.down_revision or "base")
            alembic_command.upgrade(cfg, revision.revision)
        alembic_command.downgrade(cfg, "base")
        engine = make_engine(url)
        with engine.connect() as conn:
            left = set(sa.inspect(conn).get_table_names()) - {"alembic_version"}
        engine.dispose()
        assert left == set()
    finally:
        _drop(cleanup)


def test_the_migrated_schema_matches_the_models(tmp_path):
    url, cleanup = _fresh_url(tmp_path)
    try:
        alembic_command.upgrade(alembic_config(url), "head")
        engine = make_engine(url)
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, Base.metadata)
        engine.dispose()
        assert diff == []
    finally:
        _drop(cleanup)
