"""Who is told about each event: every row of the table, and never anyone the consent does not cover.

Sara (Haninge kommun) and Lena (Brandbergens vårdcentral) are inside Anna's consent; Nils (Nynäshamns
kommun) is not; Erik follows Anna's SIP with a grant; Karin is Anna's relative without one.
"""
from __future__ import annotations

from datetime import timedelta

import pytest

from tests.notification_fixtures import (  # noqa: F401 - fixtures
    _no_demo_notifications,
    anna_case,
    app,
    book_meeting,
    build,
    follow,
    give_consent,
    make_sip,
    organisation,
    push_service,
    record,
    told,
    user,
    vapid,
)
from webapp.extensions import db
from webapp.models import (
    ConsentAction,
    Meeting,
    MeetingChange,
    MeetingParticipant,
    MissedKind,
    MissedMeetingReport,
    PlanStatus,
    PlanVersion,
    RelativeLink,
    Response,
    Sip,
)
from webapp.services import clock, events


@pytest.fixture
def case(app, demo, clock):
    return build(app, anna_case)


def _meeting(app, case, invited=("anna", "erik", "lena", "nils"), by="sara", hours=72):
    def _book():
        sip = db.session.get(Sip, case.sip_id)
        return book_meeting(sip, clock.now() + timedelta(hours=hours), user(by), [user(s) for s in invited]).id
    return build(app, _book)


def _plan(app, case, status=PlanStatus.PENDING_APPROVAL):
    def _make():
        version = PlanVersion(sip_id=case.sip_id, number=2, status=status, documented_by_id=user("lena").id,
                              coordinator_id=user("sara").id, sent_at=clock.now(), created_at=clock.now())
        db.session.add(version)
        db.session.flush()
        return version.id
    return build(app, _make)


def test_a_request_reaches_the_staff_of_each_organisation_it_was_sent_to_and_nobody_else(app, demo, clock):
    def _sent():
        omar = user("omar")
        return make_sip(omar, omar, ["Haninge kommun"], "SIP-OMAR-01")
    sip = build(app, _sent)
    record(app, events.REQUEST_RECEIVED, sip, actor="omar")
    assert set(told(app)) == {"sara"}
    assert told(app)["sara"][0]["reference"] == "SIP-OMAR-01" and told(app)["sara"][0]["as"] == "staff"


def test_a_request_made_by_a_relative_tells_the_person_too(app, demo, clock):
    def _sent():
        anna, erik = user("anna"), user("erik")
        follow(anna, erik)
        return make_sip(anna, erik, ["Haninge kommun", "Brandbergens vårdcentral"], "SIP-ANNA-02")
    sip = build(app, _sent)
    record(app, events.REQUEST_RECEIVED, sip, actor="erik")
    assert set(told(app)) == {"sara", "lena", "anna"}
    assert told(app)["anna"][0]["as"] == "person"


def test_acknowledged_and_declined_go_to_the_person_and_the_requester(app, demo, clock):
    def _sent():
        anna, erik = user("anna"), user("erik")
        follow(anna, erik)
        return make_sip(anna, erik, ["Haninge kommun"], "SIP-ANNA-03")
    sip = build(app, _sent)
    record(app, events.REQUEST_ACKNOWLEDGED, sip, actor="sara")
    assert set(told(app, events.REQUEST_ACKNOWLEDGED)) == {"anna", "erik"}
    record(app, events.REQUEST_DECLINED, sip, actor="sara")
    assert set(told(app, events.REQUEST_DECLINED)) == {"anna", "erik"}


def test_a_withdrawn_request_reaches_the_organisations_but_not_the_one_who_withdrew_it(app, case):
    record(app, events.REQUEST_WITHDRAWN, case, actor="anna")
    assert set(told(app)) == {"sara", "lena"}


def test_consent_given_tells_the_organisations_in_it_and_the_person_when_staff_recorded_it(app, case):
    record(app, events.CONSENT_GIVEN, case, actor="anna")
    assert set(told(app)) == {"sara", "lena"}
    record(app, events.CONSENT_GIVEN, case, actor="sara")
    assert set(told(app, events.CONSENT_GIVEN)) == {"sara", "lena", "anna"}
    assert told(app)["anna"][0]["as"] == "person"


@pytest.mark.parametrize("kind", [events.CONSENT_RENEWED, events.CONSENT_CHANGED])
def test_consent_renewed_or_changed_tells_the_organisations_in_the_new_consent(app, case, kind):
    build(app, lambda: give_consent(db.session.get(Sip, case.sip_id), ["Haninge kommun"], action=ConsentAction.CHANGE))
    record(app, kind, case, actor="anna")
    assert set(told(app)) == {"sara"}  # Lena's organisation is no longer in it


def test_consent_withdrawn_tells_every_organisation_involved_and_the_relatives_who_had_a_grant(app, case):
    build(app, lambda: give_consent(db.session.get(Sip, case.sip_id), ["Haninge kommun", "Brandbergens vårdcentral"],
                                    action=ConsentAction.WITHDRAW))
    record(app, events.CONSENT_WITHDRAWN, case, actor="anna")
    got = told(app)
    assert set(got) == {"sara", "lena", "erik"}  # not Karin (no grant), not Nils, not Anna herself
    assert got["sara"][0]["as"] == "staff" and got["erik"][0]["as"] == "relative"


def test_consent_expired_tells_the_person_and_the_organisations(app, case):
    record(app, events.CONSENT_EXPIRED, case)
    assert set(told(app)) == {"anna", "sara", "lena"}


def test_a_relative_invitation_tells_nobody(app, case):
    record(app, events.RELATIVE_INVITED, actor="anna", person="anna")
    assert told(app) == {}


def test_a_relative_accepting_tells_the_person(app, case, client, auth):
    with app.app_context():
        link_id = db.session.query(RelativeLink.id).filter_by(relative_id=user("erik").id).scalar()
    record(app, events.RELATIVE_ACCEPTED, actor="erik", person="anna", link_id=link_id)
    assert set(told(app)) == {"anna"}
    auth.login("anna")
    from tests.helpers import text
    assert "Erik Andersson has accepted your invitation and now follows your SIP." in text(client.get("/notifications"))


def test_a_removed_relative_is_told_and_a_relative_stepping_back_is_reported_to_the_person(app, case):
    with app.app_context():
        link_id = db.session.query(RelativeLink.id).filter_by(relative_id=user("erik").id).scalar()
    record(app, events.RELATIVE_REMOVED, actor="anna", person="anna", link_id=link_id)
    assert set(told(app)) == {"erik"}
    record(app, events.RELATIVE_REMOVED, actor="erik", person="anna", relative_id=user_id(app, "erik"))
    assert set(told(app)) == {"erik", "anna"}


def user_id(app, short):
    with app.app_context():
        return user(short).id


@pytest.mark.parametrize("kind", [events.MEETING_BOOKED, events.MEETING_MOVED])
def test_a_booked_or_moved_meeting_tells_the_invited_inside_the_consent(app, case, kind):
    meeting_id = _meeting(app, case)
    record(app, kind, case, actor="sara", meeting_id=meeting_id)
    got = told(app)
    assert set(got) == {"anna", "erik", "lena"}  # Nils is invited but outside the consent; Sara booked it
    assert got["lena"][0]["meeting_id"] == meeting_id and got["lena"][0]["starts_at"]


def test_a_moved_meeting_remembers_the_old_time(app, case):
    meeting_id = _meeting(app, case)

    def _move():
        meeting = db.session.get(Meeting, meeting_id)
        old = meeting.starts_at
        meeting.starts_at = old + timedelta(days=1)
        db.session.add(MeetingChange(meeting_id=meeting_id, changed_by_id=user("sara").id, changed_at=clock.now(),
                                     old_starts_at=old, new_starts_at=meeting.starts_at, reason="Sjuk"))
    build(app, _move)
    record(app, events.MEETING_MOVED, case, actor="sara", meeting_id=meeting_id)
    params = told(app)["anna"][0]
    assert params["old_starts_at"] < params["starts_at"]


def test_a_cancelled_meeting_reaches_professionals_even_after_consent_ended(app, case):
    meeting_id = _meeting(app, case)
    build(app, lambda: give_consent(db.session.get(Sip, case.sip_id), ["Haninge kommun", "Brandbergens vårdcentral"],
                                    action=ConsentAction.WITHDRAW))
    record(app, events.MEETING_CANCELLED, case, actor="sara", meeting_id=meeting_id)
    # Lena keeps only the stub but must not travel to a meeting that will not happen; Erik lost access.
    assert set(told(app)) == {"anna", "lena"}


def test_an_answered_invitation_tells_the_inviter(app, case):
    meeting_id = _meeting(app, case)
    with app.app_context():
        participant = db.session.query(MeetingParticipant).filter_by(meeting_id=meeting_id,
                                                                     user_id=user("lena").id).one()
        participant_id = participant.id
    record(app, events.INVITATION_ANSWERED, case, actor="lena", meeting_id=meeting_id, participant_id=participant_id,
           response=Response.SUBSTITUTE.value)
    got = told(app)
    assert set(got) == {"sara"}
    assert got["sara"][0]["response"] == "substitute" and got["sara"][0]["participant_id"] == participant_id


def test_a_confirmed_interpreter_tells_the_person_and_the_inviter(app, case):
    meeting_id = _meeting(app, case, by="lena")
    record(app, events.INTERPRETER_CONFIRMED, case, actor="sara", meeting_id=meeting_id)
    assert set(told(app)) == {"anna", "lena"}


def test_a_plan_waiting_for_approval_tells_the_person_and_relatives_with_a_grant(app, case):
    version_id = _plan(app, case)
    record(app, events.PLAN_AWAITING_APPROVAL, case, actor="sara", plan_version_id=version_id)
    got = told(app)
    assert set(got) == {"anna", "erik"}  # not Karin
    assert got["anna"][0]["number"] == 2 and got["erik"][0]["as"] == "relative"


@pytest.mark.parametrize("kind", [events.PLAN_APPROVED, events.PLAN_CHANGE_REQUESTED])
def test_the_persons_decision_on_a_plan_tells_the_coordinator_and_the_documenter(app, case, kind):
    version_id = _plan(app, case, PlanStatus.APPROVED)
    record(app, kind, case, actor="anna", version_id=version_id)
    got = told(app)
    assert set(got) == {"sara", "lena"}
    assert got["sara"][0]["as"] == "coordinator" and got["lena"][0]["as"] == "documenter"


def test_a_missed_meeting_report_reaches_the_coordinator_and_the_absent_organisations_inside_the_consent(app, case):
    meeting_id = _meeting(app, case, by="lena", invited=("anna", "sara", "lena", "nils"))

    def _report():
        sip = db.session.get(Sip, case.sip_id)
        sip.coordinator_id = user("sara").id
        meeting = db.session.get(Meeting, meeting_id)
        absent = [p for p in meeting.participants if p.user_id in (user("lena").id, user("nils").id)]
        report = MissedMeetingReport(meeting_id=meeting_id, sip_id=sip.id, reported_by_id=user("erik").id,
                                     on_behalf=True, kind=MissedKind.SOME_ABSENT, absentees=absent,
                                     description="Ingen från vårdcentralen kom", created_at=clock.now())
        db.session.add(report)
        db.session.flush()
        return report.id
    report_id = build(app, _report)
    record(app, events.MISSED_MEETING_REPORTED, case, actor="erik", report_id=report_id)
    got = told(app)
    assert set(got) == {"sara", "lena"}  # Nils's organisation is outside the consent
    record(app, events.MISSED_MEETING_ANSWERED, case, actor="lena", report_id=report_id)
    assert set(told(app, events.MISSED_MEETING_ANSWERED)) == {"erik", "anna"}


def test_a_closed_sip_tells_the_person_the_relatives_and_the_organisations(app, case):
    record(app, events.SIP_CLOSED, case, actor="sara")
    assert set(told(app)) == {"anna", "erik", "lena"}


def test_inactive_accounts_and_professionals_of_other_organisations_are_never_told(app, case):
    def _deactivate():
        user("lena").active = False
    build(app, _deactivate)
    record(app, events.SIP_CLOSED, case, actor="sara")
    assert set(told(app)) == {"anna", "erik"}


def test_a_failure_in_telling_people_never_undoes_the_change_itself(app, case, monkeypatch, caplog):
    from webapp.models import Event
    from webapp.services import notification_recipients

    def broken(_ctx):
        raise RuntimeError("boom")
    monkeypatch.setitem(notification_recipients.RECIPIENTS, events.SIP_CLOSED,
                        (notification_recipients.Rule("person", broken, notification_recipients.Gate.OWN),))
    record(app, events.SIP_CLOSED, case, actor="sara")
    with app.app_context():
        assert db.session.query(Event).filter_by(kind=events.SIP_CLOSED).count() == 1
    assert told(app) == {}
    assert "could not be created" in caplog.text


def test_every_event_kind_has_a_row_and_a_text(app):
    from webapp.services.notification_kinds import KINDS
    from webapp.services.notification_recipients import RECIPIENTS

    assert set(RECIPIENTS) == set(events.IMMEDIATE_KINDS)
    assert set(events.IMMEDIATE_KINDS) <= set(KINDS)


def test_the_ids_an_event_may_carry_and_what_is_found_without_them(app, case):
    """Features may name a meeting through its interpreter request, and leave out the plan version or
    the report (the newest is meant); a request may name the one organisation it reached."""
    meeting_id = _meeting(app, case, invited=("anna",), by="lena")

    def _interpreter():
        from webapp.models import InterpreterRequest

        request = InterpreterRequest(sip_id=case.sip_id, meeting_id=meeting_id, language="ar",
                                     created_at=clock.now())
        db.session.add(request)
        db.session.flush()
        return request.id
    record(app, events.INTERPRETER_CONFIRMED, case, actor="sara", interpreter_request_id=build(app, _interpreter))
    assert set(told(app, events.INTERPRETER_CONFIRMED)) == {"anna", "lena"}
    assert told(app)["anna"][0]["meeting_id"] == meeting_id

    _plan(app, case)
    record(app, events.PLAN_AWAITING_APPROVAL, case, actor="sara")
    assert told(app, events.PLAN_AWAITING_APPROVAL)["anna"][0]["number"] == 2

    def _report():
        report = MissedMeetingReport(meeting_id=meeting_id, sip_id=case.sip_id, reported_by_id=user("anna").id,
                                     kind=MissedKind.NOBODY_CAME, created_at=clock.now())
        db.session.add(report)
    build(app, _report)
    record(app, events.MISSED_MEETING_ANSWERED, case, actor="lena")
    assert set(told(app, events.MISSED_MEETING_ANSWERED)) == {"anna"}

    with app.app_context():
        haninge = organisation("Haninge kommun").id
    record(app, events.REQUEST_RECEIVED, case, actor="anna", organisation_id=haninge)
    assert set(told(app, events.REQUEST_RECEIVED)) == {"sara"}


def test_nobody_came_reaches_every_invited_organisation_inside_the_consent(app, case):
    def _report():
        from webapp.models import MeetingParticipant, ParticipantKind

        sip = db.session.get(Sip, case.sip_id)
        meeting = book_meeting(sip, clock.now() - timedelta(hours=3), user("sara"), [user("anna")])
        db.session.add(MeetingParticipant(meeting_id=meeting.id, kind=ParticipantKind.ORGANISATION,
                                          organisation_id=organisation("Brandbergens vårdcentral").id,
                                          name="Brandbergens vårdcentral"))
        report = MissedMeetingReport(meeting_id=meeting.id, sip_id=sip.id, reported_by_id=user("anna").id,
                                     kind=MissedKind.NOBODY_CAME, created_at=clock.now())
        db.session.add(report)
        db.session.flush()
        return report.id
    record(app, events.MISSED_MEETING_REPORTED, case, actor="anna", report_id=build(app, _report))
    assert set(told(app)) == {"lena"}  # no coordinator yet; Sara booked it but her organisation is not named


def test_a_request_for_someone_without_an_account_tells_the_requester(app, demo, clock):
    def _sent():
        erik = user("erik")
        return make_sip(None, erik, ["Haninge kommun"], "SIP-GRETA-1")
    sip = build(app, _sent)
    record(app, events.REQUEST_ACKNOWLEDGED, sip, actor="sara")
    assert set(told(app)) == {"erik"}


def test_administrators_are_never_told(app, case):
    meeting_id = _meeting(app, case, invited=("anna", "admin"))
    record(app, events.MEETING_BOOKED, case, actor="sara", meeting_id=meeting_id)
    assert set(told(app)) == {"anna"}
