"""The database layer: one engine per app, one session per app context, typed declarative base.

SQLite is the embedded default and PostgreSQL the production database. On SQLite the engine runs in
WAL mode with ``synchronous=FULL`` and a busy timeout, and a unit of work that will write starts with
``BEGIN IMMEDIATE``: a deferred transaction that has read and then tries to write can fail with
``SQLITE_BUSY_SNAPSHOT`` under concurrent writers, which no busy timeout can cure.
"""
from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, g, has_app_context
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

_write_intent: ContextVar[bool] = ContextVar("minsip_write_intent", default=False)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(sa.types.TypeDecorator):
    """An instant, stored as naive UTC and always returned as an aware UTC datetime.

    SQLite keeps no time zone; storing UTC everywhere makes both databases behave the same.
    """

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    """The declarative base of every model."""

    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), date: sa.Date()}


def str_enum(enum_class: type, length: int = 32) -> sa.Enum:
    """A column type for a ``StrEnum``, stored as its values (readable in SQL), checked in Python."""
    return sa.Enum(enum_class, native_enum=False, length=length, create_constraint=False,
                   values_callable=lambda members: [member.value for member in members])


def normalise_url(url: str) -> str:
    """Accept the common ``postgres://`` spellings and use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def make_engine(url: str, echo: bool = False) -> Engine:
    """Create the engine, with SQLite tuned for durability and concurrent use."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, echo=echo, connect_args={"timeout": 30, "check_same_thread": False})
        _configure_sqlite(engine)
        return engine
    return sa.create_engine(url, echo=echo, pool_pre_ping=True, pool_size=10, max_overflow=10)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # The driver's own transaction handling is switched off so that we emit BEGIN ourselves.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _write_intent.get() else "BEGIN")


_WRITES = ("INSERT", "UPDATE", "DELETE")
_WROTE = "minsip_wrote"
#: The same statement in both databases' parameter style: it has no parameters.
BUMP_GENERATION = "UPDATE data_generation SET value = value + 1 WHERE id = 1 RETURNING value"


def note_write(connection: Any) -> None:
    """Tell the write tracking that this transaction wrote by a way it cannot see (``COPY``)."""
    connection.info[_WROTE] = True


def track_writes(engine: Engine, on_bump: Callable[[int], None] | None = None) -> None:
    """Move the data generation on in every transaction that wrote, just before it commits.

    The rendered-page cache keeps a page for one generation only. The number moves in the writer's own
    transaction, so a reader sees the new number exactly when it can see the new data. A request that
    wrote anything is marked in ``g`` and its page is not kept.
    """

    @event.listens_for(engine, "before_cursor_execute")
    def _note_write(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip()[:6].upper() in _WRITES:
            conn.info[_WROTE] = True
            if has_app_context():
                g.minsip_wrote = True

    @event.listens_for(engine, "commit")
    def _bump(conn: Any) -> None:
        if conn.info.pop(_WROTE, False):
            cursor = conn.connection.dbapi_connection.cursor()
            try:
                cursor.execute(BUMP_GENERATION)
                row = cursor.fetchone()
            finally:
                cursor.close()
            if row is not None:
                if has_app_context():
                    g.minsip_generation_written = row[0]
                if on_bump is not None:
                    on_bump(row[0])

    @event.listens_for(engine, "rollback")
    def _forget(conn: Any) -> None:
        conn.info.pop(_WROTE, None)


class Database:
    """Holds each app's engine and hands out the session of the current app context."""

    def init_app(self, app: Flask) -> None:
        engine = make_engine(app.config["DATABASE_URL"], echo=app.config.get("SQL_ECHO", False))
        app.extensions["minsip_db"] = {
            "engine": engine,
            "sessionmaker": sessionmaker(bind=engine, expire_on_commit=False),
        }
        track_writes(engine, lambda value: app.extensions["minsip_page_cache"].learn(value)
                     if "minsip_page_cache" in app.extensions else None)
        app.teardown_appcontext(self._remove_session)

    @property
    def engine(self) -> Engine:
        return current_app.extensions["minsip_db"]["engine"]

    @property
    def session(self) -> Session:
        """The session of the current app context, created on first use."""
        session = g.get("_db_session")
        if session is None:
            session = current_app.extensions["minsip_db"]["sessionmaker"]()
            g._db_session = session
        return session

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def begin_write(self) -> None:
        """Declare that the current unit of work will write.

        On SQLite a read transaction already open is ended (nothing is pending: callers declare
        their intent before changing anything) so that the next statement opens an IMMEDIATE one.
        """
        if _write_intent.get():
            return
        _write_intent.set(True)
        session = self.session
        if self.is_sqlite and session.in_transaction():
            if session.new or session.dirty or session.deleted:
                raise RuntimeError("begin_write() called after changes were made")
            session.commit()

    def _remove_session(self, _exc: BaseException | None = None) -> None:
        session = g.pop("_db_session", None)
        _write_intent.set(False)
        if session is not None:
            session.close()


def utcnow() -> datetime:
    """The current instant in UTC (use ``webapp.services.clock.now`` in domain code)."""
    return datetime.now(UTC)
