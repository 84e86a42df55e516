"""What the consent of a SIP allows right now, computed from its append-only history.

A consent is live from ``valid_from`` to ``valid_until`` (inclusive) unless a later record withdrew
it. When the end date has passed it behaves exactly as if withdrawn.
"""
from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import aliased, selectinload

from webapp.extensions import db
from webapp.models import ConsentAction, ConsentRecord, Sip
from webapp.models.consent import consent_organisations, consent_relatives
from webapp.services import clock, id_lists


class ConsentStatus(enum.StrEnum):
    NONE = "none"            # never given: only the request itself is shared
    LIVE = "live"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


@dataclass(frozen=True)
class ConsentState:
    """``organisation_ids`` and ``relative_ids``: whom a live consent lets in (empty otherwise).

    ``record`` is the latest record, except in the states ``LightStates`` makes for long lists, which
    carry only the status and the ids (``record`` is ``None`` there).
    """

    status: ConsentStatus
    record: ConsentRecord | None = None
    organisation_ids: frozenset[int] = field(default_factory=frozenset)
    relative_ids: frozenset[int] = field(default_factory=frozenset)
    #: The organisations the latest record names, when known without the record (light states).
    named_ids: frozenset[int] | None = field(default=None, repr=False, compare=False)

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

    @property
    def named_organisation_ids(self) -> frozenset[int]:
        """The organisations the latest record names, whatever its status (a withdrawn or expired
        consent's organisations still see that it was)."""
        if self.named_ids is not None:
            return self.named_ids
        return frozenset(org.id for org in self.record.organisations) if self.record else frozenset()


_NO_CONSENT = ConsentState(ConsentStatus.NONE)


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


def latest_columns(sip_id: sa.ColumnElement[int]) -> list[sa.Label]:
    """Columns to add to a select of SIPs (``sip_id``: their id column) for ``LightStates``: each SIP's
    latest consent record as plain values, read in the same statement (no ``ConsentRecord`` objects)."""
    table = sip_id.table
    newest = (sa.select(sa.func.max(ConsentRecord.id)).where(ConsentRecord.sip_id == sip_id)
              .correlate(table).scalar_subquery())
    record = aliased(ConsentRecord, name="latest_consent")
    return [
        sa.select(record.action).where(record.id == newest).scalar_subquery().label("consent_action"),
        sa.select(record.valid_until).where(record.id == newest).scalar_subquery().label("consent_valid_until"),
        id_lists.aggregated(consent_organisations.c.organisation_id, consent_organisations.c.record_id == newest)
        .label("consent_organisation_ids"),
        id_lists.aggregated(consent_relatives.c.user_id, consent_relatives.c.record_id == newest)
        .label("consent_relative_ids"),
    ]


class LightStates:
    """``state_of`` for the rows of a select with ``latest_columns``: the same states, decided by the same
    rule, without the records (each state's ``record`` is ``None``). Rows whose consents say the same
    share one (immutable) state."""

    def __init__(self, today: date | None = None):
        self.today = today or clock.today()
        self._made: dict[tuple, ConsentState] = {}

    def __call__(self, row) -> ConsentState:
        if row.consent_action is None:
            return _NO_CONSENT
        status = _status(row.consent_action, row.consent_valid_until, self.today)
        key = (status, row.consent_organisation_ids, row.consent_relative_ids)
        state = self._made.get(key)
        if state is None:
            named = id_lists.parsed(row.consent_organisation_ids)
            state = self._made[key] = _made(status, None, lambda: named,
                                            lambda: id_lists.parsed(row.consent_relative_ids), named)
        return state


def _status(action: ConsentAction, valid_until: date | None, today: date) -> ConsentStatus:
    """The rule: the latest record is in force until withdrawn, or until its end date has passed."""
    if action == ConsentAction.WITHDRAW:
        return ConsentStatus.WITHDRAWN
    if valid_until is not None and valid_until < today:
        return ConsentStatus.EXPIRED
    return ConsentStatus.LIVE


def _state(record: ConsentRecord | None, today: date) -> ConsentState:
    if record is None:
        return ConsentState(ConsentStatus.NONE)
    return _made(_status(record.action, record.valid_until, today), record,
                 lambda: (org.id for org in record.organisations), lambda: (user.id for user in record.relatives))


def _made(status: ConsentStatus, record: ConsentRecord | None, organisations_of: Callable[[], Iterable[int]],
          relatives_of: Callable[[], Iterable[int]], named: frozenset[int] | None = None) -> ConsentState:
    """The state of a record with that status: only a live consent lets its organisations and relatives in."""
    if status != ConsentStatus.LIVE:
        return ConsentState(status, record, named_ids=named)
    return ConsentState(status, record, organisation_ids=frozenset(organisations_of()),
                        relative_ids=frozenset(relatives_of()), named_ids=named)


def history(sip_id: int) -> list[ConsentRecord]:
    """Every record, oldest first: the timeline the person sees."""
    return list(db.session.scalars(
        sa.select(ConsentRecord).where(ConsentRecord.sip_id == sip_id).order_by(ConsentRecord.id)
    ))
