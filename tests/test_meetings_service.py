"""Booking, moving and cancelling meetings; answers; the interpreter; attendance and follow-ups."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.factories import give_consent, link_relative, make_sip, user, withdraw_consent
from webapp.extensions import db
from webapp.models import (
    Contact,
    Event,
    FollowUpOutcome,
    InterpreterMode,
    InterpreterRequest,
    MeetingKind,
    MeetingStatus,
    ParticipantKind,
    PlaceKind,
    Response,
    Sector,
    SipStatus,
    StartPath,
)
from webapp.services import clock as app_clock
from webapp.services import follow_ups, interpreter_bookings, invitations, meetings
from webapp.services.cases import CaseError
from webapp.services.meetings import Invitee, MeetingDetails


@pytest.fixture
def ctx(app, demo, clock):
    with app.test_request_context():
        yield


@pytest.fixture
def sip(ctx):
    anna = user("anna")
    sip = make_sip(anna)
    link_relative(anna, user("erik"), sip=sip, can_act=True)
    give_consent(sip, relatives=(user("erik"),))
    _SIP_UNDER_TEST[0] = sip.id
    return sip


def _details(**overrides):
    values = dict(starts_at=app_clock.now() + timedelta(days=15), purpose="Plan help at home")
    values.update(overrides)
    return MeetingDetails(**values)


def _kinds():
    """The events recorded by the test (the demo data records its own before)."""
    return [e.kind for e in db.session.scalars(sa.select(Event).where(Event.actor_id == user("sara").id,
                                                                     Event.sip_id == _SIP_UNDER_TEST[0])
                                               .order_by(Event.id))]


_SIP_UNDER_TEST = [None]


def test_suggested_start_is_two_weeks_ahead_or_next_day_on_discharge(ctx):
    sip = make_sip(user("anna"))
    suggestion = app_clock.local(meetings.suggested_start(sip))
    assert suggestion.date() == app_clock.today() + timedelta(days=14)  # Monday 16 March
    assert suggestion.hour == 10
    sip.start_path = StartPath.DISCHARGE
    assert app_clock.local(meetings.suggested_start(sip)).date() == app_clock.today() + timedelta(days=1)


def test_booking_invites_the_person_and_chosen_participants(sip):
    meeting = meetings.book(user("sara"), sip, _details(), [
        Invitee(ParticipantKind.PROFESSIONAL, user_id=user("lena").id),
        Invitee(ParticipantKind.RELATIVE, user_id=user("erik").id),
    ])
    kinds = [p.kind for p in meeting.participants]
    assert kinds == [ParticipantKind.PERSON, ParticipantKind.PROFESSIONAL, ParticipantKind.PROFESSIONAL,
                     ParticipantKind.RELATIVE]
    assert meeting.participants[0].user_id == user("anna").id
    inviter = meeting.participants[1]
    assert inviter.user_id == user("sara").id and inviter.response == Response.ACCEPTED
    assert sip.status == SipStatus.MEETING_BOOKED
    assert _kinds() == ["meeting_booked"]
    assert meeting.duration_minutes == 45


def test_no_invitation_before_consent(ctx):
    sip = make_sip(user("anna"))
    with pytest.raises(CaseError) as error:
        meetings.book(user("sara"), sip, _details(), [])
    assert error.value.field == "sip"  # "Consent is needed before anyone can be invited."


def test_only_relatives_named_in_the_consent_and_the_persons_own_contacts(sip):
    omar = user("omar")
    with pytest.raises(CaseError):
        meetings.book(user("sara"), sip, _details(), [Invitee(ParticipantKind.RELATIVE, user_id=omar.id)])
    stranger = Contact(owner_id=omar.id, name="Someone of Omar's", sector=Sector.OTHER)
    db.session.add(stranger)
    db.session.commit()
    with pytest.raises(CaseError):
        meetings.book(user("sara"), sip, _details(), [Invitee(ParticipantKind.CONTACT, contact_id=stranger.id)])


@pytest.mark.parametrize("overrides, field", [
    ({"duration_minutes": 61}, "duration_minutes"),
    ({"duration_minutes": 5}, "duration_minutes"),
    ({"place_kind": PlaceKind.ADDRESS, "address": " "}, "address"),
    ({"place_kind": PlaceKind.REMOTE, "remote_link": "http://meet.example/x"}, "remote_link"),
    ({"purpose": ""}, "purpose"),
])
def test_meeting_details_are_checked(sip, overrides, field):
    with pytest.raises(CaseError) as error:
        meetings.book(user("sara"), sip, _details(**overrides), [])
    assert error.value.field == field


def test_a_time_in_the_past_is_refused(sip):
    with pytest.raises(CaseError) as error:
        meetings.book(user("sara"), sip, _details(starts_at=app_clock.now() - timedelta(hours=1)), [])
    assert error.value.field == "starts_at"


def test_move_keeps_history_and_asks_everyone_again(sip):
    meeting = meetings.book(user("sara"), sip, _details(), [Invitee(ParticipantKind.PROFESSIONAL, user_id=user("lena").id)])
    lena = meeting.participants[2]
    invitations.answer(user("lena"), lena, Response.ACCEPTED)
    new_time = meeting.starts_at + timedelta(days=2)
    with pytest.raises(CaseError):
        meetings.move(user("sara"), meeting, _details(starts_at=new_time), "short")
    meetings.move(user("sara"), meeting, _details(starts_at=new_time), "Lena is away that day, sorry.")
    assert meeting.starts_at == new_time
    assert meeting.changes[0].reason == "Lena is away that day, sorry."
    assert lena.response == Response.PENDING
    assert _kinds()[-1] == "meeting_moved"


def test_cancel_with_a_reason(sip):
    meeting = meetings.book(user("sara"), sip, _details(), [])
    meetings.cancel(user("sara"), meeting, "Anna is in hospital this week.")
    assert meeting.status == MeetingStatus.CANCELLED
    with pytest.raises(CaseError):
        meetings.cancel(user("sara"), meeting, "Anna is in hospital this week.")
    assert _kinds()[-1] == "meeting_cancelled"


def test_answers_by_whom(sip):
    anna_contact = Contact(owner_id=user("anna").id, name="Per Physio", sector=Sector.PRIVATE_PROVIDER)
    db.session.add(anna_contact)
    db.session.commit()
    meeting = meetings.book(user("sara"), sip, _details(), [
        Invitee(ParticipantKind.PROFESSIONAL, user_id=user("lena").id),
        Invitee(ParticipantKind.CONTACT, contact_id=anna_contact.id),
    ])
    person, _sara, lena, physio = meeting.participants
    invitations.answer(user("erik"), person, Response.ACCEPTED)  # Erik may act for Anna
    invitations.answer(user("lena"), lena, Response.SUBSTITUTE, substitute_name="Kim Ek, nurse")
    invitations.answer(user("sara"), physio, Response.DECLINED, note="On holiday")  # recorded by the inviter
    with pytest.raises(PermissionError):
        invitations.answer(user("lena"), person, Response.DECLINED)
    with pytest.raises(PermissionError):
        invitations.answer(user("erik"), lena, Response.DECLINED)
    with pytest.raises(CaseError):
        invitations.answer(user("lena"), lena, Response.SUBSTITUTE)
    summary = invitations.summary(meeting)
    assert summary[Response.ACCEPTED] == 2  # Anna (by Erik) and Sara the inviter
    assert summary[Response.SUBSTITUTE] == 1 and summary[Response.DECLINED] == 1
    assert person.responded_by_id == user("erik").id


def test_a_relative_without_act_rights_cannot_answer_for_the_person(ctx):
    anna = user("anna")
    sip = make_sip(anna)
    link_relative(anna, user("erik"), sip=sip, can_act=False)
    give_consent(sip)
    meeting = meetings.book(user("sara"), sip, _details(), [])
    with pytest.raises(PermissionError):
        invitations.answer(user("erik"), meeting.participants[0], Response.ACCEPTED)


def test_interpreter_booking_and_the_three_day_flag(sip, clock):
    db.session.add(InterpreterRequest(sip_id=sip.id, language="ar", mode=InterpreterMode.ON_SITE))
    db.session.commit()
    meeting = meetings.book(user("sara"), sip, _details(starts_at=app_clock.now() + timedelta(days=4)), [])
    assert interpreter_bookings.needs_interpreter(meeting)
    assert not interpreter_bookings.unconfirmed_soon(meeting)  # 4 days ahead
    clock.advance(days=1, hours=1)
    assert interpreter_bookings.unconfirmed_soon(meeting)
    booking = interpreter_bookings.book(user("sara"), meeting, "ar", InterpreterMode.ON_SITE, "Tolkförmedlingen Väst",
                                        "TF-123", confirmed=False)
    assert booking.meeting_id == meeting.id and not booking.confirmed
    assert interpreter_bookings.unconfirmed_soon(meeting)
    interpreter_bookings.book(user("sara"), meeting, "ar", InterpreterMode.ON_SITE, "Tolkförmedlingen Väst",
                              "TF-123", confirmed=True)
    assert not interpreter_bookings.unconfirmed_soon(meeting)
    assert _kinds().count("interpreter_confirmed") == 1
    with pytest.raises(CaseError):
        interpreter_bookings.book(user("sara"), meeting, "ar", InterpreterMode.ON_SITE, "", "", True)


def test_attendance_then_follow_up_outcomes(sip, clock):
    first = meetings.book(user("sara"), sip, _details(), [Invitee(ParticipantKind.PROFESSIONAL, user_id=user("lena").id)])
    with pytest.raises(CaseError):
        follow_ups.record_attendance(user("sara"), first, {})
    clock.advance(days=16)
    follow_ups.record_attendance(user("sara"), first, {p.id: p.user_id != user("lena").id
                                                       for p in first.participants})
    assert first.status == MeetingStatus.HELD
    assert [p.attended for p in first.participants] == [True, True, False]
    follow_up = meetings.book(user("sara"), sip, _details(), [], kind=MeetingKind.FOLLOW_UP)
    with pytest.raises(CaseError):
        follow_ups.record_outcome(user("sara"), follow_up, FollowUpOutcome.CONTINUE)
    with pytest.raises(CaseError):
        follow_ups.record_outcome(user("sara"), first, FollowUpOutcome.CONTINUE)
    with pytest.raises(CaseError):
        follow_ups.skip(user("sara"), follow_up, "")
    follow_ups.skip(user("sara"), follow_up, "Anna was ill; a new time is booked.")
    assert follow_up.status == MeetingStatus.SKIPPED
    second = meetings.book(user("sara"), sip, _details(), [], kind=MeetingKind.FOLLOW_UP)
    clock.advance(days=16)
    follow_ups.record_attendance(user("sara"), second, {second.participants[0].id: True})
    follow_ups.record_outcome(user("sara"), second, FollowUpOutcome.CLOSE, "Everything works now; Anna agrees.")
    assert second.outcome == FollowUpOutcome.CLOSE and sip.status == SipStatus.CLOSED


def test_lost_consent_cancels_planned_meetings(sip):
    meeting = meetings.book(user("sara"), sip, _details(), [])
    withdraw_consent(sip)
    cancelled = meetings.cancel_for_lost_consent(sip, user("anna"))
    db.session.commit()
    assert cancelled == [meeting] and meeting.cancelled_for_consent
    assert meetings.upcoming(sip) is None
