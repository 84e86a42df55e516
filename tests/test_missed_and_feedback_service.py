"""Missed-meeting reports and meeting feedback, at the service level."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.factories import give_consent, link_relative, make_sip, organisation, user
from webapp.extensions import db
from webapp.models import Event, MissedKind, ParticipantKind, ReportStatus
from webapp.services import clock as app_clock
from webapp.services import feedback, meetings, missed_meetings
from webapp.services.cases import CaseError
from webapp.services.meetings import Invitee, MeetingDetails


@pytest.fixture
def meeting(app, demo, clock):
    with app.test_request_context():
        anna = user("anna")
        sip = make_sip(anna)
        link_relative(anna, user("erik"), sip=sip, can_act=True)
        link_relative(anna, user("omar"), sip=sip, can_act=False)
        give_consent(sip)
        meeting = meetings.book(user("sara"), sip, MeetingDetails(starts_at=app_clock.now() + timedelta(days=14),
                                                                   purpose="Plan help at home"),
                                [Invitee(ParticipantKind.PROFESSIONAL, user_id=user("lena").id)])
        yield meeting


def test_a_report_waits_until_the_meeting_has_started(meeting, clock):
    with pytest.raises(CaseError):
        missed_meetings.file(user("anna"), meeting, MissedKind.NOBODY_CAME, "")
    clock.advance(days=14, minutes=20)
    report = missed_meetings.file(user("anna"), meeting, MissedKind.NOBODY_CAME, "I waited an hour.")
    assert {p.name for p in report.absentees} == {"Sara Lind", "Lena Berg"}
    assert all(p.attended is False for p in report.absentees)
    assert report.status == ReportStatus.SENT and not report.on_behalf


def test_some_absent_needs_names_and_marks_only_them(meeting, clock):
    clock.advance(days=15)
    with pytest.raises(CaseError) as error:
        missed_meetings.file(user("anna"), meeting, MissedKind.SOME_ABSENT, "")
    assert error.value.field == "absent"
    lena = next(p for p in meeting.participants if p.user_id == user("lena").id)
    report = missed_meetings.file(user("erik"), meeting, MissedKind.SOME_ABSENT, "", [lena.id, 999999])
    assert report.absentees == [lena] and report.on_behalf
    assert missed_meetings.concerned_organisation_ids(report) == {organisation("Brandbergens vårdcentral").id}
    kinds = [e.kind for e in db.session.scalars(sa.select(Event).where(Event.sip_id == meeting.sip_id)
                                                .order_by(Event.id))]
    assert kinds[-1] == "missed_meeting_reported"


def test_only_the_person_or_an_acting_relative_reports(meeting, clock):
    clock.advance(days=15)
    for outsider in (user("omar"), user("lena"), user("nils")):
        with pytest.raises(PermissionError):
            missed_meetings.file(outsider, meeting, MissedKind.NOBODY_CAME, "")


def test_the_organisations_concerned_read_and_answer(meeting, clock):
    clock.advance(days=15)
    lena_participant = next(p for p in meeting.participants if p.user_id == user("lena").id)
    report = missed_meetings.file(user("anna"), meeting, MissedKind.SOME_ABSENT, "Nobody from the health centre.",
                                  [lena_participant.id])
    brandbergen, haninge = organisation("Brandbergens vårdcentral").id, organisation("Haninge kommun").id
    assert missed_meetings.for_organisation(brandbergen) == [report]
    assert missed_meetings.for_organisation(organisation("Nynäshamns kommun").id) == []
    with pytest.raises(PermissionError):
        missed_meetings.mark_read(user("nils"), report)
    missed_meetings.mark_read(user("lena"), report)
    assert report.status == ReportStatus.READ
    with pytest.raises(CaseError):
        missed_meetings.answer(user("lena"), report, "Sorry")
    missed_meetings.answer(user("lena"), report, "We are sorry: our nurse was ill and nobody told you.")
    assert report.status == ReportStatus.ANSWERED and report.answered_by_id == user("lena").id
    assert haninge not in missed_meetings.concerned_organisation_ids(report)


def test_feedback_once_per_person_and_averages_without_names(meeting, clock):
    answers = dict(listened_to=5, knows_who_is_responsible=4, knows_what_happens_next=3, understood_everything=5,
                   overall=4)
    with pytest.raises(PermissionError):
        feedback.give(user("anna"), meeting, answers)  # not yet held
    clock.advance(days=15)
    with pytest.raises(CaseError):
        feedback.give(user("anna"), meeting, {**answers, "overall": 6})
    feedback.give(user("anna"), meeting, answers, "Good to be listened to.")
    with pytest.raises(CaseError):
        feedback.give(user("anna"), meeting, answers)
    feedback.give(user("erik"), meeting, {**answers, "overall": 2})
    with pytest.raises(PermissionError):
        feedback.give(user("omar"), meeting, answers)
    result = feedback.averages()
    assert result.count == 2 and result.by_question["overall"] == 3.0 and result.by_question["listened_to"] == 5.0
