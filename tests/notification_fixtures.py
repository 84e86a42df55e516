"""Shared fixtures for the notification tests: an app with VAPID keys, the local push service, and
a SIP built directly with the models (the features that build it through pages come in other issues).

The case, on top of the demo people: Anna's SIP, sent by Anna to Haninge kommun (Sara) and
Brandbergens vårdcentral (Lena); Anna's consent covers both, and Erik follows it as her relative.
Nils (Nynäshamns kommun) is a professional outside the consent; Omar is another person; Karin is
Anna's relative without a grant for this SIP.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.push_service import PushService
from webapp.extensions import db
from webapp.models import (
    ConsentAction,
    ConsentMethod,
    ConsentRecord,
    Meeting,
    MeetingParticipant,
    Notification,
    Organisation,
    ParticipantKind,
    PushDelivery,
    PushSubscription,
    RelativeGrant,
    RelativeLink,
    Role,
    Sip,
    SipRecipient,
    SipStatus,
    User,
)
from webapp.services import clock, events, push

EN = {"Accept-Language": "en"}


@pytest.fixture
def vapid():
    private, public = push.generate_keys()
    return {"VAPID_PRIVATE_KEY": private, "VAPID_PUBLIC_KEY": public, "VAPID_SUBJECT": "mailto:drift@example.org"}


@pytest.fixture
def app(make_app, vapid):
    """The app with web push configured and loopback endpoints allowed (the local push service)."""
    return make_app(**vapid, PUSH_ALLOW_LOOPBACK=True)


@pytest.fixture
def push_service(vapid):
    with PushService(vapid["VAPID_PUBLIC_KEY"]) as service:
        yield service


def user(short: str) -> User:
    return db.session.scalars(sa.select(User).where(User.email == f"{short}@example.org")).one()


def organisation(name: str) -> Organisation:
    return db.session.scalars(sa.select(Organisation).where(Organisation.name == name)).one()


@dataclass
class Case:
    sip_id: int
    reference: str


def add_user(short: str, name: str, role: Role = Role.CITIZEN, organisation_name: str | None = None,
             language: str = "en") -> User:
    account = User(email=f"{short}@example.org", name=name, role=role, language=language,
                   organisation_id=organisation(organisation_name).id if organisation_name else None,
                   password_hash="!unusable", created_at=clock.now(), password_changed_at=clock.now())
    db.session.add(account)
    db.session.flush()
    return account


def make_sip(person: User | None, requested_by: User, organisations: list[str], reference: str,
             status: SipStatus = SipStatus.SENT, created_at: datetime | None = None) -> Sip:
    sip = Sip(reference=reference, person_id=person.id if person else None, requested_by_id=requested_by.id,
              purpose="Hjälp med medicinerna efter strokes, hemtjänst och rehabilitering", status=status,
              created_at=created_at or clock.now(), subject_name="" if person else "Greta Gren")
    db.session.add(sip)
    db.session.flush()
    for name in organisations:
        db.session.add(SipRecipient(sip_id=sip.id, organisation_id=organisation(name).id))
    db.session.flush()
    return sip


def give_consent(sip: Sip, organisations: list[str], relatives: list[User] = (), by: User | None = None,
                 action: ConsentAction = ConsentAction.GIVE, valid_until: date | None = None) -> ConsentRecord:
    today = clock.today()
    record = ConsentRecord(
        sip_id=sip.id, action=action, method=ConsentMethod.APP if by is None else ConsentMethod.ORAL,
        recorded_by_id=(by or sip.person).id, created_at=clock.now(), purpose=sip.purpose,
        valid_from=today, valid_until=valid_until or today + timedelta(days=364),
        organisations=[organisation(name) for name in organisations], relatives=list(relatives))
    db.session.add(record)
    db.session.flush()
    return record


def follow(person: User, relative: User, sip: Sip | None = None, can_act: bool = False) -> RelativeLink:
    """The relative's live link to the person (the demo's, when there is one), with a grant for ``sip``."""
    link = db.session.scalars(sa.select(RelativeLink).where(
        RelativeLink.person_id == person.id, RelativeLink.relative_id == relative.id,
        RelativeLink.removed_at.is_(None))).first()
    if link is None:
        link = RelativeLink(person_id=person.id, relative_id=relative.id, created_at=clock.now())
        db.session.add(link)
        db.session.flush()
    if sip is not None:
        db.session.add(RelativeGrant(link_id=link.id, sip_id=sip.id, can_act=can_act))
        db.session.flush()
    return link


def book_meeting(sip: Sip, starts_at: datetime, by: User, invited: list[User], **fields) -> Meeting:
    meeting = Meeting(sip_id=sip.id, starts_at=starts_at, created_by_id=by.id, created_at=clock.now(),
                      purpose=sip.purpose, address="Rudsjöterrassen 2", **fields)
    db.session.add(meeting)
    db.session.flush()
    for account in invited:
        kind = {Role.PROFESSIONAL: ParticipantKind.PROFESSIONAL}.get(account.role, ParticipantKind.RELATIVE)
        if account.id == sip.person_id:
            kind = ParticipantKind.PERSON
        db.session.add(MeetingParticipant(meeting_id=meeting.id, kind=kind, user_id=account.id, name=account.name,
                                          organisation_id=account.organisation_id))
    db.session.flush()
    return meeting


def anna_case() -> Case:
    """Anna's SIP with a live consent (Haninge kommun, Brandbergens vårdcentral) and Erik following it."""
    add_user("karin", "Karin Andersson")
    anna, erik = user("anna"), user("erik")
    sip = make_sip(anna, anna, ["Haninge kommun", "Brandbergens vårdcentral"], "SIP-ANNA-01",
                   status=SipStatus.CONSENT_CONFIRMED)
    for recipient in db.session.scalars(sa.select(SipRecipient).where(SipRecipient.sip_id == sip.id)):
        recipient.acknowledged_at = clock.now()
    give_consent(sip, ["Haninge kommun", "Brandbergens vårdcentral"], relatives=[erik])
    follow(anna, erik, sip, can_act=True)
    follow(anna, user("karin"))  # a relative of Anna's, without a grant for this SIP
    return Case(sip.id, sip.reference)


def record(app, kind: str, case: Case | None = None, actor: str | None = None, person: str | None = None, **ids):
    """Record an event as a feature's service does: in a write transaction, then commit."""
    with app.app_context():
        db.begin_write()
        sip = db.session.get(Sip, case.sip_id) if case is not None else None
        events.record(kind, sip=sip, actor=user(actor) if actor else None,
                      person_id=user(person).id if person else None, **ids)
        db.session.commit()


def build(app, builder, *args, **kwargs):
    """Run a builder in a committed write transaction and return its result."""
    with app.app_context():
        db.begin_write()
        result = builder(*args, **kwargs)
        db.session.commit()
        return Case(result.id, result.reference) if isinstance(result, Sip) else result


def told(app, kind: str | None = None) -> dict[str, list[dict]]:
    """Who got which notifications: {short name: [params...]}, for ``kind`` or all."""
    with app.app_context():
        query = sa.select(Notification, User).join(User, User.id == Notification.user_id).order_by(Notification.id)
        if kind is not None:
            query = query.where(Notification.kind == kind)
        result: dict[str, list[dict]] = {}
        for notification, account in db.session.execute(query):
            result.setdefault(account.email.split("@")[0], []).append(
                {**notification.params, "_kind": notification.kind, "_inbox": notification.in_inbox})
        return result


def subscribe(app, short: str, service: PushService, user_agent: str = "Mozilla/5.0 (Linux; Android 14) Firefox/130.0"):
    """Give ``short`` a device subscribed at the local push service (as the settings page would)."""
    sub = service.subscription()
    with app.app_context():
        push.subscribe(user(short), sub.info, user_agent)
    return sub


def subscription_count(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(PushSubscription.id)))


@pytest.fixture(autouse=True)
def _no_demo_notifications(request):
    """The demo data's own events notify people; these tests count only what they cause themselves."""
    if "demo" in request.fixturenames and "app" in request.fixturenames:
        app = request.getfixturevalue("app")
        request.getfixturevalue("demo")
        with app.app_context():
            db.begin_write()
            db.session.execute(sa.delete(PushDelivery))
            db.session.execute(sa.delete(Notification))
            db.session.commit()
    yield
