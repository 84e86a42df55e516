"""The access log ("who has seen my information") and the domain events other parts react to."""
from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column

from webapp.db import Base, str_enum, utcnow


class Resource(enum.StrEnum):
    """What part of a person's data was read."""

    REQUEST = "request"
    SIP = "sip"
    PLAN = "plan"
    MEETINGS = "meetings"
    CONTACTS = "contacts"
    CONSENT = "consent"
    DOCUMENTS = "documents"


class AccessLogEntry(Base):
    """One read of a person's data by someone other than the person. Append-only: the application
    never updates or deletes these rows (a mapper event refuses it)."""

    __tablename__ = "access_log"
    __table_args__ = (sa.Index("ix_access_log_person_at", "person_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    sip_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sips.id", ondelete="SET NULL"), index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    #: Copies, so the entry reads the same even if the account or organisation changes later.
    actor_name: Mapped[str] = mapped_column(sa.String(200))
    actor_role: Mapped[str] = mapped_column(sa.String(16))
    actor_organisation: Mapped[str] = mapped_column(sa.String(200), default="")
    resource: Mapped[Resource] = mapped_column(str_enum(Resource))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class Event(Base):
    """Something happened that people must be told about (the notifications deliver it).

    ``data`` holds ids and codes only, never health or personal text.
    """

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(64), index=True)
    sip_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sips.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    data: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


#: The tables whose rows are never updated or deleted by the application.
APPEND_ONLY_TABLES: set[str] = set()


def _refuse_change(*_args) -> None:
    raise PermissionError("this record is append-only: it is never updated or deleted")


def make_append_only(model: type) -> None:
    """Refuse, at the ORM level, any update or delete of ``model`` rows: one object at a time
    (mapper events) and in bulk (``session.execute(update(...))`` or ``delete(...)``)."""
    sa.event.listen(model, "before_update", _refuse_change)
    sa.event.listen(model, "before_delete", _refuse_change)
    APPEND_ONLY_TABLES.add(model.__table__.name)


@sa.event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_change(state: ORMExecuteState) -> None:
    # Bulk statements skip the mapper events above; every Session.execute() passes through here.
    if (state.is_update or state.is_delete) and getattr(state.statement, "table", None) is not None:
        if state.statement.table.name in APPEND_ONLY_TABLES:
            _refuse_change()


make_append_only(AccessLogEntry)
