"""The access log: every read of a person's data by someone other than the person.

The entry is added to the request's own unit of work and committed with it, before the response
leaves (``commit_request``); if that commit fails the page is replaced by an error, so a page with a
person's data is never shown without its record.
"""
from __future__ import annotations

from datetime import datetime, time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask import Response, g

from webapp.extensions import db
from webapp.models import AccessLogEntry, Resource, Sip, User
from webapp.services import clock

if TYPE_CHECKING:
    from webapp.services.access import Access


def record_read(user: User, sip: Sip | None, resource: Resource, access: Access | None = None,
                person_id: int | None = None) -> None:
    """Log that ``user`` read ``resource`` of a person (``sip.person_id`` or ``person_id``)."""
    owner = person_id if person_id is not None else (sip.person_id if sip is not None else None)
    if owner is not None and owner == user.id:
        return  # the person reading their own data
    # The write happens in this request's transaction: on SQLite it must be an IMMEDIATE one.
    db.begin_write()
    db.session.add(AccessLogEntry(
        person_id=owner, sip_id=sip.id if sip is not None else None, actor_id=user.id,
        actor_name=user.name, actor_role=str(user.role),
        actor_organisation=user.organisation.name if user.organisation else "",
        resource=resource, at=clock.now(),
    ))
    g.audit_pending = True


def record_list_reads(user: User, sips: list[Sip], resource: Resource = Resource.REQUEST) -> None:
    """Log the SIPs a list shows (who asked, the purpose): once per reader, SIP and day.

    A list is read again and again in a working day; one entry a day per SIP keeps the person's log
    truthful ("Sara Lind saw your request in her list") without drowning the reads that matter.
    """
    shown = {sip.id: sip for sip in sips if sip.person_id is None or sip.person_id != user.id}
    if not shown:
        return
    day_start = datetime.combine(clock.today(), time(0), tzinfo=clock.STOCKHOLM)
    already = set(db.session.scalars(
        sa.select(AccessLogEntry.sip_id).where(AccessLogEntry.actor_id == user.id,
                                               AccessLogEntry.resource == resource,
                                               AccessLogEntry.at >= day_start,
                                               AccessLogEntry.sip_id.in_(shown))
    ))
    missing = [sip for sip_id, sip in shown.items() if sip_id not in already]
    for sip in missing:
        record_read(user, sip, resource)


def commit_request(response: Response) -> Response:
    """``after_request``: commit the reads logged during this request before the page is sent."""
    if not g.pop("audit_pending", False):
        return response
    try:
        db.session.commit()
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        from flask import render_template

        return Response(render_template("errors/503.html"), status=503, mimetype="text/html")
    return response


def entries_for(person_id: int, actor_id: int | None = None, limit: int = 500,
                before_id: int | None = None) -> list[AccessLogEntry]:
    """The person's log, newest first, optionally for one reader and from before entry ``before_id``
    (the next page)."""
    query = sa.select(AccessLogEntry).where(AccessLogEntry.person_id == person_id)
    if actor_id is not None:
        query = query.where(AccessLogEntry.actor_id == actor_id)
    after = db.session.get(AccessLogEntry, before_id) if before_id is not None else None
    if after is not None:
        query = query.where(sa.or_(AccessLogEntry.at < after.at,
                                   sa.and_(AccessLogEntry.at == after.at, AccessLogEntry.id < after.id)))
    return list(db.session.scalars(query.order_by(AccessLogEntry.at.desc(), AccessLogEntry.id.desc()).limit(limit)))


@dataclass(frozen=True)
class Reader:
    """Someone who has read the person's data, as the log last named them."""

    actor_id: int
    name: str
    organisation: str
    role: str


def readers_of(person_id: int) -> list[Reader]:
    """Everyone in the person's log, by name: the choices of its "who" filter."""
    latest = (sa.select(sa.func.max(AccessLogEntry.id))
              .where(AccessLogEntry.person_id == person_id, AccessLogEntry.actor_id.is_not(None))
              .group_by(AccessLogEntry.actor_id))
    entries = db.session.scalars(sa.select(AccessLogEntry).where(AccessLogEntry.id.in_(latest)))
    readers = [Reader(e.actor_id, e.actor_name, e.actor_organisation, e.actor_role) for e in entries]
    return sorted(readers, key=lambda reader: (reader.name.casefold(), reader.actor_id))


def sip_references(entries: list[AccessLogEntry]) -> dict[int, str]:
    """The references of the SIPs the entries name, to show beside each read."""
    ids = {entry.sip_id for entry in entries if entry.sip_id is not None}
    if not ids:
        return {}
    return dict(db.session.execute(sa.select(Sip.id, Sip.reference).where(Sip.id.in_(ids))).all())
