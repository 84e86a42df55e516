"""What the consent of a SIP allows right now, computed from its append-only history.

A consent is live from ``valid_from`` to ``valid_until`` (inclusive) unless a later record withdrew
it. When the end date has passed it behaves exactly as if withdrawn.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from webapp.extensions import db
from webapp.models import ConsentAction, ConsentRecord, Sip
from webapp.services import clock


class ConsentStatus(enum.StrEnum):
    NONE = "none"            # never given: only the request itself is shared
    LIVE = "live"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


@dataclass(frozen=True)
class ConsentState:
    status: ConsentStatus
    record: ConsentRecord | None = None
    organisation_ids: frozenset[int] = field(default_factory=frozenset)
    relative_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def live(self) -> bool:
        return self.status == ConsentStatus.LIVE

    @property
    def lost(self) -> bool:
        """Given once, and now withdrawn or expired: the SIP is without consent."""
        return self.status in (ConsentStatus.WITHDRAWN, ConsentStatus.EXPIRED)

    @property
    def valid_until(self) -> date | None:
        return self.record.valid_until if self.record else None


def latest_record(sip_id: int) -> ConsentRecord | None:
    return db.session.scalars(
        sa.select(ConsentRecord).where(ConsentRecord.sip_id == sip_id)
        .order_by(ConsentRecord.id.desc()).limit(1)
    ).first()


def state_of(sip: Sip | int, today: date | None = None) -> ConsentState:
    """The consent state of a SIP today (Swedish date)."""
    sip_id = sip if isinstance(sip, int) else sip.id
    return _state(latest_record(sip_id), today or clock.today())


def states_of(sip_ids: list[int], today: date | None = None) -> dict[int, ConsentState]:
    """The consent states of many SIPs at once (a list page), in three statements whatever their number."""
    if not sip_ids:
        return {}
    latest = (sa.select(sa.func.max(ConsentRecord.id)).where(ConsentRecord.sip_id.in_(sip_ids))
              .group_by(ConsentRecord.sip_id))
    records = {record.sip_id: record for record in db.session.scalars(
        sa.select(ConsentRecord).where(ConsentRecord.id.in_(latest))
        .options(selectinload(ConsentRecord.organisations), selectinload(ConsentRecord.relatives)))}
    today = today or clock.today()
    return {sip_id: _state(records.get(sip_id), today) for sip_id in sip_ids}


def _state(record: ConsentRecord | None, today: date) -> ConsentState:
    if record is None:
        return ConsentState(ConsentStatus.NONE)
    if record.action == ConsentAction.WITHDRAW:
        return ConsentState(ConsentStatus.WITHDRAWN, record)
    if record.valid_until is not None and record.valid_until < today:
        return ConsentState(ConsentStatus.EXPIRED, record)
    return ConsentState(
        ConsentStatus.LIVE, record,
        organisation_ids=frozenset(org.id for org in record.organisations),
        relative_ids=frozenset(user.id for user in record.relatives),
    )


def history(sip_id: int) -> list[ConsentRecord]:
    """Every record, oldest first: the timeline the person sees."""
    return list(db.session.scalars(
        sa.select(ConsentRecord).where(ConsentRecord.sip_id == sip_id).order_by(ConsentRecord.id)
    ))
