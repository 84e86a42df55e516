"""Demo: Anna's consent for her SIP (SIP-7KQ4-M2) and who has read her information.

Anna first gave consent orally to Sara at a home visit, withdrew it to think it over, and then gave it
in the app for one year to Haninge kommun and Brandbergens vårdcentral, with Erik taking part. Sara
and Lena have read her request and her consent. Omar has not given consent. Idempotent.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import (
    AccessLogEntry,
    ConsentAction,
    ConsentMethod,
    ConsentRecord,
    Resource,
    Sip,
    SipRecipient,
    SipStatus,
    User,
)
from webapp.services import clock
from webapp.services.consent import latest_end
from webapp.services.demo.base import DemoWorld
from webapp.services.demo.requests import ANNA_PURPOSE, ANNA_REFERENCE

ANNA_SIP = ANNA_REFERENCE


def anna_sip(world: DemoWorld) -> Sip:
    """Anna's SIP, sent to Haninge kommun and Brandbergens vårdcentral. The requests demo may have
    made it already: it is looked up by its reference first."""
    sip = db.session.scalars(sa.select(Sip).where(Sip.reference == ANNA_SIP)).first()
    if sip is not None:
        return sip
    anna, sara = world.user("anna"), world.user("sara")
    sent = clock.now() - timedelta(days=45)
    sip = Sip(reference=ANNA_SIP, person_id=anna.id, requested_by_id=anna.id, purpose=ANNA_PURPOSE,
              status=SipStatus.RECEIVED, created_at=sent, updated_at=sent + timedelta(days=1),
              acknowledged_at=sent + timedelta(days=1), acknowledged_by_id=sara.id)
    for name in ("Haninge kommun", "Brandbergens vårdcentral"):
        recipient = SipRecipient(organisation_id=world.organisations[name].id)
        if name == "Haninge kommun":
            recipient.acknowledged_at, recipient.acknowledged_by_id = sent + timedelta(days=1), sara.id
        sip.recipients.append(recipient)
    db.session.add(sip)
    db.session.flush()
    return sip


def _at(start: datetime, share: float, hour: int = 10, minute: int = 0) -> datetime:
    """A moment in office hours, ``share`` of the way from ``start`` to now: the story fits whenever
    the SIP began, and never lies in the future."""
    day = clock.local(start + (clock.now() - start) * share).date()
    moment = datetime(day.year, day.month, day.day, hour, minute, tzinfo=clock.STOCKHOLM).astimezone(UTC)
    return min(moment, clock.now() - timedelta(minutes=5))


def _record(sip: Sip, actor: User, action: ConsentAction, method: ConsentMethod, at: datetime,
            organisations, relatives, note: str = "") -> ConsentRecord:
    valid_from = clock.local(at).date()
    record = ConsentRecord(sip_id=sip.id, action=action, method=method, recorded_by_id=actor.id, created_at=at,
                           purpose=sip.purpose, not_agreed="", valid_from=valid_from,
                           valid_until=latest_end(valid_from), note=note)
    record.organisations = list(organisations)
    record.relatives = list(relatives)
    db.session.add(record)
    return record


def _consent_history(world: DemoWorld, sip: Sip) -> None:
    if db.session.scalars(sa.select(ConsentRecord.id).where(ConsentRecord.sip_id == sip.id)).first():
        return
    anna, sara, erik = world.user("anna"), world.user("sara"), world.user("erik")
    haninge, brandbergen = world.organisations["Haninge kommun"], world.organisations["Brandbergens vårdcentral"]
    start = sip.created_at
    first = _record(sip, sara, ConsentAction.GIVE, ConsentMethod.ORAL, _at(start, 0.2, 10, 30), [haninge], [],
                    note="Anna gav sitt samtycke muntligt vid hembesöket.")
    withdrawn = _record(sip, anna, ConsentAction.WITHDRAW, ConsentMethod.APP, _at(start, 0.4, 19, 12),
                        [haninge], [])
    withdrawn.valid_from, withdrawn.valid_until = first.valid_from, first.valid_until
    _record(sip, anna, ConsentAction.GIVE, ConsentMethod.APP, _at(start, 0.6, 11, 5), [haninge, brandbergen], [erik])
    if sip.status in (SipStatus.SENT, SipStatus.RECEIVED):
        sip.status = SipStatus.CONSENT_CONFIRMED


def _access_log(world: DemoWorld, sip: Sip) -> None:
    anna = world.user("anna")
    if db.session.scalars(sa.select(AccessLogEntry.id).where(AccessLogEntry.person_id == anna.id)).first():
        return
    start = sip.created_at
    for who, resource, share, hour, minute in (
            ("sara", Resource.REQUEST, 0.1, 9, 14), ("sara", Resource.CONSENT, 0.65, 14, 2),
            ("lena", Resource.REQUEST, 0.7, 8, 47), ("lena", Resource.CONSENT, 0.8, 13, 30),
            ("sara", Resource.REQUEST, 0.9, 10, 21)):
        reader = world.user(who)
        db.session.add(AccessLogEntry(
            person_id=anna.id, sip_id=sip.id, actor_id=reader.id, actor_name=reader.name,
            actor_role=str(reader.role), actor_organisation=reader.organisation.name,
            resource=resource, at=_at(start, share, hour, minute)))


def seed(world: DemoWorld) -> None:
    """Anna's consent history and access log (the relatives step makes Erik's link first)."""
    sip = anna_sip(world)
    _consent_history(world, sip)
    _access_log(world, sip)
    db.session.flush()
