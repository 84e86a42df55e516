"""The person's side of a SIP, built the way staff build it: meetings booked, a plan documented, sent
and approved through the services (never straight into the tables).

Anna's demo SIP ``SIP-7KQ4-M2`` has a live consent for Haninge kommun and Brandbergens vårdcentral,
and Erik may act for her. ``anna_world`` adds, on Monday 2 March 2026 (the frozen clock):

- a first meeting on Wednesday 4 March at 10:00 (Stockholm), booked by Sara, with Lena and Erik;
- version 1 of the plan, approved by Anna: home help (the municipality), wound care (the region),
  walks (Anna herself); version 2 waiting for her approval, with home help changed ("Every day" to
  "Twice a day") and an intervention added (physiotherapy from Rudans Rehab, another provider);
- a follow-up meeting on Monday 16 March at 13:00;

and moves the clock to Thursday 5 March 08:00 UTC, so the first meeting is past and the follow-up ahead.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

import pytest
import sqlalchemy as sa

from tests.factories import organisation, user
from webapp.extensions import db
from webapp.models import (
    GoalHorizon,
    InterventionPrincipal,
    Meeting,
    MeetingKind,
    ParticipantKind,
    PlaceKind,
    PlanVersion,
    Principal,
    Sip,
)
from webapp.services import clock as app_clock
from webapp.services import meetings, plans
from webapp.services.meetings import Invitee, MeetingDetails
from webapp.services.plans import InterventionFields, VersionFields

ANNA = "SIP-7KQ4-M2"


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A Stockholm wall-clock time as an aware UTC instant."""
    return datetime.combine(day, time(hour, minute), tzinfo=app_clock.STOCKHOLM).astimezone(UTC)


def anna_sip() -> Sip:
    return db.session.scalars(sa.select(Sip).where(Sip.reference == ANNA)).one()


def book(sip: Sip, starts_at: datetime, *, kind: MeetingKind = MeetingKind.FIRST, purpose: str = "Plan help at home",
         place_kind: PlaceKind = PlaceKind.HOME, address: str = "Storvägen 3, Haninge", remote_link: str = "",
         with_erik: bool = True) -> Meeting:
    invitees = [Invitee(ParticipantKind.PROFESSIONAL, user_id=user("lena").id)]
    if with_erik:
        invitees.append(Invitee(ParticipantKind.RELATIVE, user_id=user("erik").id))
    return meetings.book(user("sara"), sip, MeetingDetails(starts_at=starts_at, purpose=purpose, place_kind=place_kind,
                                                           address=address, remote_link=remote_link),
                         invitees, kind=kind)


def first_version(sip: Sip, meeting: Meeting | None = None, follow_up_on: date = date(2026, 3, 16)) -> PlanVersion:
    """Version 1, documented by Sara and approved by the person."""
    sara = user("sara")
    version = plans.start_draft(sara, sip, meeting=meeting)
    goal = plans.save_goal(sara, version, GoalHorizon.LONG, "Keep living at home")
    plans.save_goal(sara, version, GoalHorizon.SHORT, "Walk to the shop by May")
    plans.save_intervention(sara, version, InterventionFields(
        what="Home help in the morning", principal=InterventionPrincipal.MUNICIPALITY,
        organisation_id=organisation("Haninge kommun").id, responsible_name="Sara Lind",
        responsible_phone="+4686067120", when="Mornings at 8", frequency="Every day", place="At home",
        goal_key=goal.key))
    plans.save_intervention(sara, version, InterventionFields(
        what="Wound care", principal=InterventionPrincipal.REGION,
        organisation_id=organisation("Brandbergens vårdcentral").id, responsible_user_id=user("lena").id,
        responsible_name="Lena Berg", frequency="Twice a week", place="Brandbergens vårdcentral"))
    plans.save_intervention(sara, version, InterventionFields(
        what="A short walk with my son", principal=InterventionPrincipal.PERSON, frequency="Every Sunday"))
    plans.update(sara, version, VersionFields(
        current_situation="I fell twice this winter.", overall_responsibility=Principal.MUNICIPALITY,
        coordinator_id=sara.id, no_other_interventions=True, next_follow_up_on=follow_up_on))
    plans.send(sara, version)
    plans.approve(sip.person, version)
    return version


def second_version(sip: Sip, follow_up_on: date = date(2026, 3, 16)) -> PlanVersion:
    """Version 2, waiting for Anna: home help changed, physiotherapy added."""
    sara = user("sara")
    version = plans.start_draft(sara, sip)
    home_help = version.interventions[0]
    plans.save_intervention(sara, version, InterventionFields(
        what=home_help.what, principal=home_help.principal, organisation_id=home_help.organisation_id,
        responsible_name=home_help.responsible_name, responsible_phone=home_help.responsible_phone,
        when=home_help.when, frequency="Twice a day", place=home_help.place, goal_key=home_help.goal_key),
        intervention=home_help)
    plans.save_intervention(sara, version, InterventionFields(
        what="Physiotherapy for balance", principal=InterventionPrincipal.OTHER,
        organisation_id=organisation("Rudans Rehab").id, frequency="Once a week"))
    plans.update(sara, version, VersionFields(
        current_situation=version.current_situation, overall_responsibility=Principal.MUNICIPALITY,
        coordinator_id=sara.id, next_follow_up_on=follow_up_on))
    plans.send(sara, version)
    return version


@dataclass
class AnnaWorld:
    sip_id: int
    first_meeting_id: int
    follow_up_id: int
    version_1: int
    version_2: int


@pytest.fixture
def anna_world(app, demo, clock) -> AnnaWorld:
    with app.test_request_context():
        sip = anna_sip()
        first = book(sip, at(date(2026, 3, 4), 10))
        v1 = first_version(sip, first)
        follow_up = book(sip, at(date(2026, 3, 16), 13), kind=MeetingKind.FOLLOW_UP, purpose="Follow up the plan")
        v2 = second_version(sip)
        world = AnnaWorld(sip.id, first.id, follow_up.id, v1.id, v2.id)
    clock.set(datetime(2026, 3, 5, 8, 0, tzinfo=UTC))
    return world
