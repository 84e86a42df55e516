"""Issue 9: ids of other people's objects swapped into every form, and fields a form does not have
(mass assignment), are refused and change nothing.

The world: ``anna_world`` (Anna's SIP with Sara and Lena of Haninge and Brandbergen inside the consent,
meetings and an approved plan), plus a draft plan v3 on Anna's SIP, and another person, Bo, whose SIP
is only Nynäshamns kommun's (Nils): Bo has a contact, a relative (Omar), a meeting booked by Nils with
Bo's contact invited, a draft plan with a goal and an intervention, and a missed-meeting report.
Every attack is a real form of the attacker's own, posted with one of those foreign ids; the answer is a
refusal (404 or 422, never a success nor a 500) and the database is the same as before (the access log
aside, which records reads).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from tests import factories
from tests.consent_fixtures import make_citizen
from tests.my_sip_fixtures import ANNA, anna_sip, anna_world, at  # noqa: F401  (fixture)
from tests.security_walk import snapshot
from webapp.extensions import db
from webapp.models import (
    Contact,
    GoalHorizon,
    InterventionPrincipal,
    Meeting,
    MeetingParticipant,
    MissedKind,
    Notification,
    ParticipantKind,
    PlaceKind,
    PlanVersion,
    PushSubscription,
    RelativeLink,
    Role,
    Sector,
    Sip,
    User,
)
from webapp.services import clock as app_clock
from webapp.services import consent as consent_service
from webapp.services import meetings, missed_meetings, plans
from webapp.services.consent_state import state_of
from webapp.services.meetings import Invitee, MeetingDetails
from webapp.services.plans import InterventionFields

NYNASHAMN = "Nynäshamns kommun"


@dataclass
class Foreign:
    """Ids of objects that are not the attacker's."""

    bo: int
    bo_sip: str
    bo_contact: int
    bo_link: int
    bo_meeting: int
    bo_participant: int
    bo_goal: int
    bo_intervention: int
    bo_report: int
    anna_draft: int
    nils: int
    erik_notification: int
    erik_device: int


@pytest.fixture
def world(app, anna_world, clock) -> Foreign:  # noqa: F811
    bo_id = make_citizen(app, "Bo Berg", "bo@example.org")
    with app.test_request_context():
        anna = factories.user("anna")
        sara, nils, bo = factories.user("sara"), factories.user("nils"), db.session.get(User, bo_id)
        # Anna's plan: v2 approved, v3 a draft Sara is editing.
        plans.approve(anna, db.session.get(PlanVersion, anna_world.version_2))
        draft = plans.start_draft(sara, anna_sip())
        # Bo: his own contact map, relative and SIP, worked on by Nils of Nynäshamn only.
        contact = Contact(owner_id=bo.id, name="Bo's nurse", sector=Sector.REGION_HEALTH, phone="+4681234567",
                          created_at=app_clock.now(), updated_at=app_clock.now())
        db.session.add(contact)
        db.session.commit()
        link = factories.link_relative(bo, factories.user("omar"))
        sip = factories.make_sip(bo, to=(NYNASHAMN,))
        factories.give_consent(sip, to=(NYNASHAMN,))
        clock.set(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
        meeting = meetings.book(nils, sip, MeetingDetails(starts_at=at(date(2026, 3, 4), 14), purpose="Help at home",
                                                          place_kind=PlaceKind.HOME, address="Bogatan 1"),
                                [Invitee(ParticipantKind.CONTACT, contact_id=contact.id)])
        participant = next(p for p in meeting.participants if p.kind == ParticipantKind.CONTACT)
        bo_draft = plans.start_draft(nils, sip)
        goal = plans.save_goal(nils, bo_draft, GoalHorizon.LONG, "Stay at home")
        intervention = plans.save_intervention(nils, bo_draft, InterventionFields(
            what="Home help", principal=InterventionPrincipal.MUNICIPALITY, frequency="Every day"))
        clock.set(datetime(2026, 3, 5, 8, 0, tzinfo=UTC))
        report = missed_meetings.file(bo, meeting, MissedKind.NOBODY_CAME, "Nobody came.")
        # Erik's inbox and device.
        erik = factories.user("erik")
        notification = db.session.scalars(sa.select(Notification.id).where(Notification.user_id == erik.id)
                                          .order_by(Notification.id)).first()
        device = PushSubscription(user_id=erik.id, endpoint="https://push.example.org/erik", p256dh="k", auth="a",
                                  label="Erik's phone")
        db.session.add(device)
        db.session.commit()
        assert notification is not None
        return Foreign(bo=bo.id, bo_sip=sip.reference, bo_contact=contact.id, bo_link=link.id,
                       bo_meeting=meeting.id, bo_participant=participant.id, bo_goal=goal.id,
                       bo_intervention=intervention.id, bo_report=report.id, anna_draft=draft.id, nils=nils.id,
                       erik_notification=notification, erik_device=device.id)


def _state(app) -> dict[str, str]:
    """Every table's digest but the access log (reads are logged, and a refused read may be too) and the
    data generation, which moves on with that log entry."""
    with app.app_context():
        digests = snapshot()
    digests.pop("access_log")
    digests.pop("data_generation")
    return digests


def refused(app, client, url: str, data: dict, statuses=(404, 422)):
    """Post ``data`` to ``url``: the answer is a refusal and nothing is stored."""
    before = _state(app)
    response = client.post(url, data=data)
    assert response.status_code in statuses, (url, response.status_code)
    after = _state(app)
    assert {name for name in before if before[name] != after[name]} == set(), url
    return response


def accepted(client, url: str, data: dict):
    """The same form with the attacker's own ids: it works (so a refusal above is about the foreign id)."""
    response = client.post(url, data=data)
    assert response.status_code == 303, (url, response.status_code)
    return response


# -- The person's side ---------------------------------------------------------------------------------

CONTACT_FORM = {"name": "Changed", "sector": Sector.REGION_HEALTH.value, "phone": "+4681111111"}


def test_a_citizen_cannot_edit_or_remove_someone_elses_contact(app, client, auth, world):
    auth.login("anna")
    refused(app, client, f"/contacts/{world.bo_contact}/edit", CONTACT_FORM, statuses=(404,))
    refused(app, client, f"/contacts/{world.bo_contact}/remove", {}, statuses=(404,))
    assert client.get(f"/contacts/{world.bo_contact}/edit").status_code == 404


def test_extra_owner_fields_on_the_contact_form_are_ignored(app, client, auth, world):
    auth.login("anna")
    extra = {"owner_id": world.bo, "person_id": world.bo, "user_id": world.bo, "id": world.bo_contact}
    accepted(client, "/contacts/new", {**CONTACT_FORM, "name": "New nurse", **extra})
    with app.app_context():
        anna = factories.user("anna")
        mine = db.session.scalars(sa.select(Contact).where(Contact.name == "New nurse")).one()
        own = db.session.scalars(sa.select(Contact).where(Contact.owner_id == anna.id).order_by(Contact.id)).first()
        assert mine.owner_id == anna.id
    accepted(client, f"/contacts/{own.id}/edit", {**CONTACT_FORM, **extra})
    with app.app_context():
        assert db.session.get(Contact, own.id).owner_id == anna.id and db.session.get(Contact, own.id).name == "Changed"
        bos = db.session.get(Contact, world.bo_contact)
        assert bos.name == "Bo's nurse" and bos.owner_id == world.bo


def test_extra_role_fields_on_the_profile_form_are_ignored(app, client, auth, world):
    auth.login("anna")
    with app.app_context():
        organisation_id = factories.organisation("Haninge kommun").id
    accepted(client, "/account/profile", {"profile-name": "Anna A.", "profile-language": "en", "role": "admin",
                                          "profile-role": "admin", "organisation_id": organisation_id,
                                          "profile-organisation_id": organisation_id, "active": "n", "email": "x@y.se"})
    with app.app_context():
        anna = factories.user("anna")
        assert (anna.name, anna.role, anna.organisation_id, anna.active) == ("Anna A.", Role.CITIZEN, None, True)


def _consent_post(app, **change) -> dict:
    with app.test_request_context():
        terms = consent_service.terms_of(state_of(anna_sip()).record)
    data = {"purpose": terms.purpose, "organisation_ids": [str(i) for i in terms.organisation_ids],
            "relative_ids": [str(i) for i in terms.relative_ids], "not_agreed": terms.not_agreed,
            "valid_until": terms.valid_until.isoformat(), "step": "confirm"}
    data.update(change)
    return data


def test_the_consent_form_refuses_organisations_and_relatives_it_does_not_offer(app, client, auth, world):
    auth.login("anna")
    with app.app_context():
        nynashamn = factories.organisation(NYNASHAMN).id
    url = f"/sips/{ANNA}/consent/change"
    own = _consent_post(app)
    response = refused(app, client, url, {**own, "organisation_ids": own["organisation_ids"] + [str(nynashamn)]},
                       statuses=(422,))
    assert "Choose from the list." in response.get_data(as_text=True)
    refused(app, client, url, {**own, "relative_ids": own["relative_ids"] + [str(world.bo)]}, statuses=(422,))
    # Mass assignment: the SIP, the person and the recorder are not the form's to choose.
    accepted(client, url, {**own, "not_agreed": "Not my finances.", "sip_id": 999, "person_id": world.bo,
                           "recorded_by_id": world.bo, "method": "paper"})
    with app.test_request_context():
        record = state_of(anna_sip()).record
        assert record.recorded_by_id == factories.user("anna").id and record.method.value == "app"
        assert record.sip_id == anna_sip().id and nynashamn not in {o.id for o in record.organisations}


def test_relatives_of_another_person_cannot_be_changed_and_extra_grants_are_ignored(app, client, auth, world):
    auth.login("anna")
    refused(app, client, f"/relatives/{world.bo_link}", {"can_request": "y"}, statuses=(404,))
    refused(app, client, f"/relatives/{world.bo_link}/remove", {}, statuses=(404,))
    with app.test_request_context():
        erik_link = db.session.scalars(sa.select(RelativeLink).where(
            RelativeLink.relative_id == factories.user("erik").id)).one()
        link_id, anna_id = erik_link.id, factories.user("anna").id
        levels = {f"sip_{i}": "see" for i in db.session.scalars(sa.select(Sip.id).where(Sip.person_id == anna_id))}
        bo_sip_id = db.session.scalars(sa.select(Sip.id).where(Sip.reference == world.bo_sip)).one()
    accepted(client, f"/relatives/{link_id}", {**levels, f"sip_{bo_sip_id}": "act",
                                               "person_id": world.bo, "relative_id": world.bo})
    with app.app_context():
        link = db.session.get(RelativeLink, link_id)
        assert link.person_id == factories.user("anna").id and link.relative_id == factories.user("erik").id
        assert bo_sip_id not in {grant.sip_id for grant in link.grants}
        assert db.session.get(RelativeLink, world.bo_link).removed_at is None


def test_the_person_cannot_answer_or_report_a_meeting_of_another_sip(app, client, auth, world, anna_world):  # noqa: F811
    auth.login("anna")
    refused(app, client, f"/meetings/{world.bo_meeting}/answer", {"answer": "accept"}, statuses=(404,))
    refused(app, client, f"/meetings/{world.bo_meeting}/missed", {"kind": MissedKind.NOBODY_CAME.value},
            statuses=(404,))
    # Her own missed-meeting form, with Bo's meeting's participant ticked as absent.
    refused(app, client, f"/meetings/{anna_world.first_meeting_id}/missed",
            {"kind": MissedKind.SOME_ABSENT.value, "absent": [str(world.bo_participant)]}, statuses=(422,))
    # Her own answer, with someone else's participant id added: the answer is hers only.
    accepted(client, f"/meetings/{anna_world.follow_up_id}/answer",
             {"answer": "accept", "participant_id": world.bo_participant, "user_id": world.bo})
    with app.app_context():
        assert db.session.get(MeetingParticipant, world.bo_participant).response.value == "pending"


# -- The workspace -----------------------------------------------------------------------------------

BOOKING = {"starts_at": "2026-03-20T10:00", "duration_minutes": "45", "place_kind": PlaceKind.HOME.value,
           "address": "Storvägen 3, Haninge", "purpose": "Plan help at home"}


def test_booking_refuses_a_contact_of_another_map_and_a_professional_outside_the_consent(app, client, auth, world):
    auth.login("sara")
    url = f"/work/sips/{ANNA}/meetings/new"
    refused(app, client, url, {**BOOKING, "contact_ids": [str(world.bo_contact)]}, statuses=(422,))
    refused(app, client, url, {**BOOKING, "professional_ids": [str(world.nils)]}, statuses=(422,))
    with app.app_context():
        nynashamn = factories.organisation(NYNASHAMN).id
        lena = factories.user("lena").id
    refused(app, client, url, {**BOOKING, "organisation_ids": [str(nynashamn)]}, statuses=(422,))
    refused(app, client, url, {**BOOKING, "relative_ids": [str(world.bo)]}, statuses=(422,))
    refused(app, client, f"/work/sips/{world.bo_sip}/meetings/new", BOOKING, statuses=(404,))
    response = accepted(client, url, {**BOOKING, "professional_ids": [str(lena)], "sip_id": 999,
                                      "created_by_id": world.nils, "status": "held"})
    meeting_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.test_request_context():
        meeting = db.session.get(Meeting, meeting_id)
        assert (meeting.sip_id, meeting.created_by_id, meeting.status.value) == (
            anna_sip().id, factories.user("sara").id, "planned")


def test_an_answer_cannot_be_recorded_for_a_participant_of_another_meeting(app, client, auth, world, anna_world):  # noqa: F811
    auth.login("sara")
    answer = {"response": "accepted"}
    refused(app, client, f"/work/meetings/{anna_world.follow_up_id}/participants/{world.bo_participant}/answer",
            answer, statuses=(404,))
    refused(app, client, f"/work/meetings/{world.bo_meeting}/participants/{world.bo_participant}/answer",
            answer, statuses=(404,))
    refused(app, client, f"/work/meetings/{world.bo_meeting}/cancel", {"reason": "Because I can, really."},
            statuses=(404,))


def test_the_plan_editor_refuses_foreign_coordinators_goals_and_interventions(app, client, auth, world):
    auth.login("sara")
    base = f"/work/sips/{ANNA}/plan"
    refused(app, client, f"{base}/responsibility", {"coordinator_id": str(world.nils),
                                                    "overall_responsibility": "municipality"}, statuses=(422,))
    intervention = {"what": "Taken over", "principal": "municipality", "frequency": "Never"}
    refused(app, client, f"{base}/interventions/{world.bo_intervention}", intervention, statuses=(404,))
    refused(app, client, f"{base}/interventions/{world.bo_intervention}/remove", {}, statuses=(404,))
    refused(app, client, f"{base}/goals/{world.bo_goal}", {"goal-horizon": "long", "goal-text": "Taken over",
                                                           "horizon": "long", "text": "Taken over"}, statuses=(404,))
    refused(app, client, f"{base}/goals/{world.bo_goal}/remove", {}, statuses=(404,))
    refused(app, client, f"/work/sips/{world.bo_sip}/plan/situation", {"current_situation": "Taken over"},
            statuses=(404,))
    # An intervention of Sara's own draft, with fields the form does not have.
    accepted(client, f"{base}/interventions/new", {**intervention, "version_id": world.bo_intervention,
                                                   "sip_id": 999, "responsible_user_id": world.nils})
    with app.app_context():
        draft = db.session.get(PlanVersion, world.anna_draft)
        added = next(i for i in draft.interventions if i.what == "Taken over")
        assert added.responsible_user_id is None and added.version_id == draft.id
        assert draft.coordinator_id == factories.user("sara").id


def test_a_missed_meeting_report_of_another_organisation_cannot_be_answered(app, client, auth, world):
    auth.login("sara")
    refused(app, client, f"/work/reports/{world.bo_report}", {"answer": "We are sorry."}, statuses=(404,))
    assert client.get(f"/work/reports/{world.bo_report}").status_code == 404


# -- Notifications -------------------------------------------------------------------------------------

def test_another_users_notification_and_device_are_refused(app, client, auth, world):
    auth.login("anna")
    refused(app, client, f"/notifications/{world.erik_notification}/read", {}, statuses=(404,))
    refused(app, client, f"/notifications/devices/{world.erik_device}/remove", {}, statuses=(404,))
    with app.app_context():
        assert db.session.get(Notification, world.erik_notification).read_at is None
        assert db.session.get(PushSubscription, world.erik_device) is not None
