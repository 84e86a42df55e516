"""Demo: SIP requests (issue 3). Anna's own, one Erik sent on her behalf, and Omar's, still waiting.

Later issues move Anna's request on (meeting, plan); here it is sent some weeks ago and acknowledged
by Sara. Omar's has waited five working days at Haninge kommun with nobody acknowledging it, so the
"without delay" notice shows.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import (
    Contact,
    InterpreterMode,
    InterpreterRequest,
    PlacePreference,
    RelativeGrant,
    RelativeLink,
    RequestedContact,
    Sip,
    SipRecipient,
    SipStatus,
    StartPath,
    User,
)
from webapp.services import access, clock, events
from webapp.services.demo.base import DemoWorld
from webapp.services.working_days import is_working_day, subtract_working_days

ANNA_REFERENCE = "SIP-7KQ4-M2"
ANNA_PURPOSE = ("Jag vill att hemtjänsten, distriktssköterskan och rehab pratar med varandra, så att jag kan "
                "bo kvar hemma och känna mig trygg. Jag har ramlat två gånger i vinter och vet inte vem jag "
                "ska ringa när något händer.")
ERIK_REFERENCE = "SIP-E4RK-2B"
OMAR_REFERENCE = "SIP-H3RA-9P"


def _working_days_ago(count: int):
    """The day from which ``count`` working days have passed by today (a weekend counts none)."""
    last_working_day = clock.today()
    while not is_working_day(last_working_day):
        last_working_day -= timedelta(days=1)
    return subtract_working_days(last_working_day, count)


def _at(day, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=clock.STOCKHOLM)


def _exists(reference: str) -> bool:
    return db.session.scalar(sa.select(Sip.id).where(Sip.reference == reference)) is not None


def _send(sip: Sip, actor: User) -> None:
    """Add the SIP and its "request received" event, dated when the request was sent."""
    db.session.add(sip)
    db.session.flush()
    event = events.record(events.REQUEST_RECEIVED, sip=sip, actor=actor, on_behalf=sip.on_behalf,
                          interpreter=bool(sip.interpreter_requests))
    event.created_at = sip.created_at


def _copy(contact: Contact) -> RequestedContact:
    return RequestedContact(contact_id=contact.id, name=contact.name, role_title=contact.role_title,
                            organisation_name=contact.organisation_label, phone=contact.phone, email=contact.email)


def _anna(world: DemoWorld) -> None:
    anna, sara = world.user("anna"), world.user("sara")
    sent = _at(clock.today() - timedelta(weeks=4), 10)
    acknowledged = _at(clock.today() - timedelta(weeks=4) + timedelta(days=1), 9)
    haninge, brandbergen = world.organisations["Haninge kommun"], world.organisations["Brandbergens vårdcentral"]
    contacts = {c.name: c for c in db.session.scalars(sa.select(Contact).where(Contact.owner_id == anna.id))}
    sip = Sip(
        reference=ANNA_REFERENCE, person_id=anna.id, requested_by_id=anna.id, on_behalf=False,
        purpose=ANNA_PURPOSE,
        start_path=StartPath.HOME, place_preference=PlacePreference.HOME, needs_hearing_loop=True,
        status=SipStatus.RECEIVED, created_at=sent, updated_at=acknowledged,
        acknowledged_at=acknowledged, acknowledged_by_id=sara.id,
        recipients=[SipRecipient(organisation_id=haninge.id, acknowledged_at=acknowledged, acknowledged_by_id=sara.id),
                    SipRecipient(organisation_id=brandbergen.id)],
        requested_contacts=[_copy(contacts[name]) for name in ("Lena Berg", "Hemtjänsten Brandbergen", "Jonas Ström",
                                                               "Erik Andersson") if name in contacts],
    )
    _send(sip, anna)
    acknowledged_event = events.record(events.REQUEST_ACKNOWLEDGED, sip=sip, actor=sara, organisation_id=haninge.id)
    acknowledged_event.created_at = acknowledged


def _erik_link(anna: User, erik: User) -> RelativeLink:
    """Anna lets Erik ask for a SIP on her behalf: the link the relatives feature also uses."""
    link = access.live_link(anna.id, erik.id)
    if link is None:
        link = RelativeLink(person_id=anna.id, relative_id=erik.id, can_request=True,
                            created_at=clock.now() - timedelta(weeks=6))
        db.session.add(link)
        db.session.flush()
    elif not link.can_request:
        link.can_request = True
    return link


def _erik(world: DemoWorld) -> None:
    anna, erik = world.user("anna"), world.user("erik")
    link = _erik_link(anna, erik)
    sent = _at(_working_days_ago(1), 19)
    sip = Sip(
        reference=ERIK_REFERENCE, person_id=anna.id, requested_by_id=erik.id, on_behalf=True,
        subject_informed=True, subject_agrees=False,
        purpose=("Mamma kommer hem från Södersjukhuset efter en höftoperation. Hon behöver hjälp hemma och "
                 "rehab, och jag vill att kommunen och vårdcentralen planerar det tillsammans med henne."),
        start_path=StartPath.DISCHARGE, discharge_date=clock.today() + timedelta(days=5),
        place_preference=PlacePreference.HOME, needs_step_free=True, status=SipStatus.SENT,
        created_at=sent, updated_at=sent,
        recipients=[SipRecipient(organisation_id=world.organisations["Haninge kommun"].id),
                    SipRecipient(organisation_id=world.organisations["Brandbergens vårdcentral"].id)],
    )
    _send(sip, erik)
    db.session.add(RelativeGrant(link_id=link.id, sip_id=sip.id, can_act=True, created_at=sent))


def _omar(world: DemoWorld) -> None:
    omar = world.user("omar")
    sent = _at(_working_days_ago(5), 10)
    sip = Sip(
        reference=OMAR_REFERENCE, person_id=omar.id, requested_by_id=omar.id, on_behalf=False,
        purpose=("أحتاج إلى مساعدة في المنزل وإلى أن يتحدث المركز الصحي والبلدية مع بعضهما. "
                 "لا أعرف بمن أتصل عندما تسوء حالتي."),
        start_path=StartPath.HOME, place_preference=PlacePreference.CLINIC, needs_easy_read=True,
        status=SipStatus.SENT, created_at=sent, updated_at=sent,
        recipients=[SipRecipient(organisation_id=world.organisations["Haninge kommun"].id)],
        interpreter_requests=[InterpreterRequest(language="ar", mode=InterpreterMode.ON_SITE,
                                                 notes="لهجة شامية", created_by_id=omar.id,
                                                 created_at=sent, updated_at=sent)],
    )
    _send(sip, omar)


def seed(world: DemoWorld) -> None:
    """The three demo requests, each created once (looked up by reference)."""
    if not _exists(ANNA_REFERENCE):
        _anna(world)
    if not _exists(ERIK_REFERENCE):
        _erik(world)
    else:
        _erik_link(world.user("anna"), world.user("erik"))
    if not _exists(OMAR_REFERENCE):
        _omar(world)
    db.session.flush()

