"""Demo: the professionals' work on the SIPs (issue 5).

Sara coordinates Anna's SIP: the first meeting was held (attendance recorded), Anna approved the plan
(home help from Haninge kommun, the district nurse of Brandbergens vårdcentral and Anna's own walks,
Haninge kommun holding the overall responsibility, Sara the coordinator), and the follow-up is booked
in three weeks with Lena and Erik invited. Omar's request still waits in Sara's inbox (the requests
step). Britt Nilsson asked Nynäshamns kommun for a SIP; Nils declined it with a reason, since she lives
in Haninge.

Everything goes through the services, each step at the moment it happened in the story (the clock is
moved back while it runs). Idempotent: a step that finds its result does nothing.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from flask import current_app

from webapp.extensions import db
from webapp.models import (
    GoalHorizon,
    InterventionPrincipal,
    Meeting,
    MeetingKind,
    MeetingStatus,
    ParticipantKind,
    PlaceKind,
    PlacePreference,
    PlanVersion,
    Principal,
    Role,
    Sip,
    SipRecipient,
    SipStatus,
    StartPath,
    User,
)
from webapp.services import cases, clock, follow_ups, meetings, passwords, plans
from webapp.services.demo.base import DEMO_PASSWORD, DemoWorld
from webapp.services.demo.requests import ANNA_REFERENCE, _send
from webapp.services.meetings import Invitee, MeetingDetails
from webapp.services.plans import InterventionFields, VersionFields
from webapp.services.working_days import is_working_day

#: The switch tests turn off: most of them build their own meetings and plans on the demo.
SETTING = "DEMO_CASE_HISTORY"
BRITT_EMAIL = "britt@example.org"
BRITT_REFERENCE = "SIP-B7NL-4D"
FOLLOW_UP_IN = timedelta(weeks=3)
BRITT_DECLINE_REASON = ("Du bor i Haninge kommun, och det är Haninge kommun som ansvarar för dina insatser. "
                        "Vi har inte skickat vidare din ansökan. Ansök om en SIP hos Haninge kommun, "
                        "telefon 08-606 70 00, eller ring oss på 08-520 680 00 om du har frågor.")


@contextmanager
def _clock_at(moment: datetime) -> Iterator[None]:
    """Let the services believe it is ``moment``: the records carry the time of the story."""
    before = current_app.config.get("CLOCK")
    current_app.config["CLOCK"] = lambda: moment
    try:
        yield
    finally:
        current_app.config["CLOCK"] = before


def _working_day_on_or_before(day: date) -> date:
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def _working_day_on_or_after(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def _local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=clock.STOCKHOLM).astimezone(UTC)


def _share(start: datetime, end: datetime, share: float) -> datetime:
    return start + (end - start) * share


def _anna_sip() -> Sip | None:
    return db.session.scalars(sa.select(Sip).where(Sip.reference == ANNA_REFERENCE)).first()


def _meeting(sip: Sip, kind: MeetingKind) -> Meeting | None:
    return db.session.scalars(sa.select(Meeting).where(Meeting.sip_id == sip.id, Meeting.kind == kind)
                              .order_by(Meeting.id).limit(1)).first()


def _first_meeting(world: DemoWorld, sip: Sip, now: datetime) -> Meeting:
    """Booked by Sara after Anna's consent, held some days ago; everyone came."""
    existing = _meeting(sip, MeetingKind.FIRST)
    if existing is not None:
        return existing
    sara, lena, erik = world.user("sara"), world.user("lena"), world.user("erik")
    day = _working_day_on_or_before(clock.local(_share(sip.created_at, now, 0.85)).date())
    starts_at = _local(day, 10)
    booked = _local(clock.local(_share(sip.created_at, now, 0.7)).date(), 9, 15)
    with _clock_at(booked):
        cases.take(sara, sip)
        meeting = meetings.book(sara, sip, MeetingDetails(
            starts_at=starts_at, purpose=sip.purpose, place_kind=PlaceKind.HOME,
            address="Storvägen 3, 136 62 Haninge"),
            [Invitee(ParticipantKind.PROFESSIONAL, user_id=lena.id),
             Invitee(ParticipantKind.RELATIVE, user_id=erik.id)])
    with _clock_at(starts_at + timedelta(minutes=50)):
        follow_ups.record_attendance(sara, meeting, {p.id: True for p in meeting.participants})
    return meeting


def _plan(world: DemoWorld, sip: Sip, meeting: Meeting, follow_up_on: date, now: datetime) -> None:
    """Documented by Sara after the meeting, sent to Anna, approved by her the next day."""
    if db.session.scalars(sa.select(PlanVersion.id).where(PlanVersion.sip_id == sip.id)).first():
        return
    sara, lena, anna = world.user("sara"), world.user("lena"), world.user("anna")
    haninge, brandbergen = world.organisations["Haninge kommun"], world.organisations["Brandbergens vårdcentral"]
    with _clock_at(meeting.starts_at + timedelta(hours=2)):
        version = plans.start_draft(sara, sip, meeting=meeting)
        home = plans.save_goal(sara, version, GoalHorizon.LONG, "Jag vill bo kvar hemma och känna mig trygg.")
        walk = plans.save_goal(sara, version, GoalHorizon.SHORT, "Jag vill kunna gå till affären själv före sommaren.")
        plans.save_intervention(sara, version, InterventionFields(
            what="Hemtjänst: hjälp med dusch, frukost och kvällsmat", principal=InterventionPrincipal.MUNICIPALITY,
            organisation_id=haninge.id, organisation_name=haninge.name, responsible_name=sara.name,
            responsible_user_id=sara.id, responsible_phone=sara.phone, when="Morgon och kväll",
            frequency="Varje dag", place="Hemma", goal_key=home.key,
            evaluation="Anna och hemtjänsten går igenom hur det fungerar vid uppföljningen."))
        plans.save_intervention(sara, version, InterventionFields(
            what="Hembesök av distriktssköterskan: läkemedelsgenomgång och fallriskbedömning",
            principal=InterventionPrincipal.REGION, organisation_id=brandbergen.id,
            organisation_name=brandbergen.name, responsible_name=lena.name, responsible_user_id=lena.id,
            responsible_phone=lena.phone, when="Tisdagar", frequency="Varannan vecka", place="Hemma",
            goal_key=home.key, evaluation="Antal fall sedan förra uppföljningen."))
        plans.save_intervention(sara, version, InterventionFields(
            what="Gå en kort promenad, med Erik på söndagar", principal=InterventionPrincipal.PERSON,
            when="Eftermiddag", frequency="Tre gånger i veckan", place="Runt kvarteret", goal_key=walk.key,
            evaluation="Hur långt Anna orkar gå."))
        plans.update(sara, version, VersionFields(
            current_situation=("Jag bor ensam i min lägenhet. Jag har ramlat två gånger i vinter och är rädd "
                               "att ramla igen. Jag vet inte vem jag ska ringa när något händer."),
            overall_responsibility=Principal.MUNICIPALITY, coordinator_id=sara.id,
            no_other_interventions=True, next_follow_up_on=follow_up_on))
        plans.send(sara, version)
    with _clock_at(min(meeting.starts_at + timedelta(days=1), now - timedelta(minutes=5))):
        plans.approve(anna, version)


def _follow_up(world: DemoWorld, sip: Sip, starts_at: datetime) -> None:
    """Booked today, in three weeks, with Lena and Erik invited."""
    if _meeting(sip, MeetingKind.FOLLOW_UP) is not None:
        return
    meetings.book(world.user("sara"), sip, MeetingDetails(
        starts_at=starts_at, purpose="Följa upp planen: hur fungerar hemtjänsten och hembesöken?",
        place_kind=PlaceKind.HOME, address="Storvägen 3, 136 62 Haninge"),
        [Invitee(ParticipantKind.PROFESSIONAL, user_id=world.user("lena").id),
         Invitee(ParticipantKind.RELATIVE, user_id=world.user("erik").id)], kind=MeetingKind.FOLLOW_UP)


def _anna(world: DemoWorld) -> None:
    sip = _anna_sip()
    if sip is None or sip.status in cases.ENDED:
        return
    now = clock.now()
    follow_up_day = _working_day_on_or_after(clock.today() + FOLLOW_UP_IN)
    meeting = _first_meeting(world, sip, now)
    if meeting.status != MeetingStatus.HELD:
        return  # someone changed the story: leave it as it is
    _plan(world, sip, meeting, follow_up_day, now)
    _follow_up(world, sip, _local(follow_up_day, 13))


def _britt(world: DemoWorld) -> User:
    britt = world.people.get(BRITT_EMAIL) or db.session.scalars(
        sa.select(User).where(User.email == BRITT_EMAIL)).first()
    if britt is None:
        britt = User(email=BRITT_EMAIL, name="Britt Nilsson", role=Role.CITIZEN, language="sv",
                     phone="+46701234504", password_hash=passwords.hash_password(DEMO_PASSWORD),
                     created_at=clock.now(), password_changed_at=clock.now())
        db.session.add(britt)
        db.session.flush()
    world.people[BRITT_EMAIL] = britt
    return britt


def _britts_declined_request(world: DemoWorld) -> None:
    britt = _britt(world)
    if db.session.scalars(sa.select(Sip.id).where(Sip.reference == BRITT_REFERENCE)).first():
        return
    nynashamn = world.organisations["Nynäshamns kommun"]
    sent = _local(_working_day_on_or_before(clock.today() - timedelta(days=10)), 14)
    sip = Sip(reference=BRITT_REFERENCE, person_id=britt.id, requested_by_id=britt.id,
              purpose="Jag behöver hjälp att samordna min rehabilitering och hemtjänsten efter min stroke.",
              start_path=StartPath.HOME, place_preference=PlacePreference.HOME, status=SipStatus.SENT,
              created_at=sent, updated_at=sent, recipients=[SipRecipient(organisation_id=nynashamn.id)])
    _send(sip, britt)
    db.session.commit()
    with _clock_at(sent + timedelta(days=1, hours=-4)):
        cases.decline(world.user("nils"), sip, BRITT_DECLINE_REASON)


def seed(world: DemoWorld) -> None:
    if not current_app.config.get(SETTING, True):
        return
    _anna(world)
    _britts_declined_request(world)
    db.session.flush()
