"""The organisation's figures: the service (``services.figures``) and its page (``work.figures``)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.consent_fixtures import add_meeting, anna_sip_id
from tests.helpers import text
from tests.request_fixtures import org_id
from tests.request_fixtures import user_id
from webapp.extensions import db
from webapp.models import Meeting, MeetingFeedback, MeetingParticipant, MeetingStatus, ParticipantKind, User
from webapp.services import cases, figures
from webapp.services import clock as app_clock
from webapp.services.consent_scope import find_sip

PERIOD = (date(2025, 12, 3), date(2026, 3, 2))


def _invite_haninge(app, meeting_id: int, attended: bool | None) -> None:
    with app.app_context():
        db.begin_write()
        db.session.add(MeetingParticipant(meeting_id=meeting_id, kind=ParticipantKind.ORGANISATION,
                                          organisation_id=org_id(app, "Haninge kommun"), name="Haninge kommun",
                                          attended=attended))
        db.session.commit()


def _feedback(app, meeting_id: int, overall: int) -> None:
    with app.app_context():
        db.begin_write()
        db.session.add(MeetingFeedback(meeting_id=meeting_id, user_id=None, listened_to=5, knows_who_is_responsible=4,
                                       knows_what_happens_next=3, understood_everything=5, overall=overall,
                                       created_at=app_clock.now()))
        db.session.commit()


def _figures(app, name: str = "Haninge kommun", period=PERIOD) -> figures.Figures:
    with app.app_context():
        return figures.for_organisation(org_id(app, name), *period)


def test_empty_figures(app, clock, demo):
    result = _figures(app, "Nynäshamns kommun")
    assert result.empty and result.missed_share is None
    assert result.median_days_to_acknowledgement is None and result.median_days_to_first_meeting is None


def test_waiting_and_the_median_days_to_acknowledgement(app, clock, demo):
    result = _figures(app)
    assert (result.waiting_now, result.requests, result.acknowledged) == (2, 3, 1)
    assert result.median_days_to_acknowledgement == 1.0  # Anna's: acknowledged the next working day
    with app.app_context():
        db.begin_write()
        cases.acknowledge(db.session.get(User, user_id(app, "sara")), find_sip("SIP-H3RA-9P"))
    result = _figures(app)
    assert (result.waiting_now, result.acknowledged) == (1, 2)
    assert result.median_days_to_acknowledgement == 3.0  # the median of 1 and 5 working days
    # A period before any request: nothing sent in it; waiting now still counts.
    early = _figures(app, period=(date(2025, 1, 1), date(2025, 1, 31)))
    assert early.requests == 0 and early.waiting_now == 1 and not early.empty


def test_meetings_missed_first_meeting_and_feedback(app, clock, demo):
    sip_id = anna_sip_id(app)
    missed = add_meeting(app, sip_id, timedelta(days=-7))      # 23 February: 15 working days after 2 February
    came = add_meeting(app, sip_id, timedelta(days=-3))
    future = add_meeting(app, sip_id, timedelta(days=7))
    cancelled = add_meeting(app, sip_id, timedelta(days=-1), status=MeetingStatus.CANCELLED)
    _invite_haninge(app, missed, attended=False)
    _invite_haninge(app, came, attended=True)
    _invite_haninge(app, future, attended=None)
    _invite_haninge(app, cancelled, attended=None)
    _feedback(app, missed, overall=2)
    _feedback(app, came, overall=4)
    result = _figures(app)
    assert (result.meetings, result.meetings_missed, result.missed_share) == (2, 1, 0.5)
    assert result.met == 1 and result.median_days_to_first_meeting == 15.0
    assert result.feedback.count == 2 and result.feedback.by_question["overall"] == 3.0
    other = _figures(app, "Brandbergens vårdcentral")
    assert other.meetings == 0 and other.feedback.count == 0  # it was not invited


def test_the_page_shows_the_last_90_days_by_default(app, client, auth, clock, demo):
    auth.login("sara")
    response = client.get("/work/figures")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'value="2025-12-03"' in page and 'value="2026-03-02"' in page
    words = text(page)
    assert "Figures for Haninge kommun" in words and "Requests waiting now 2" in words
    assert "Median working days from request to acknowledgement 1 (1 request)" in words
    assert "No data yet" in words  # no meetings, no feedback


def test_the_page_shows_a_chosen_period(app, client, auth, clock, demo):
    missed = add_meeting(app, anna_sip_id(app), timedelta(days=-7))
    _invite_haninge(app, missed, attended=False)
    _feedback(app, missed, overall=4)
    auth.login("sara")
    words = text(client.get("/work/figures?start=2026-02-01&end=2026-03-02"))
    assert "Meetings where an invited organisation did not come 100% (1 of 1 meetings)" in words
    assert "Averages from 1 answer" in words and "Overall, the meeting was good 4.0" in words
    words = text(client.get("/work/figures?start=2026-03-01&end=2026-03-02"))
    assert "Requests sent during the period No data yet" in words


@pytest.mark.parametrize("query, message", [
    ("start=2026-13-01&end=2026-03-02", "Enter a date like 2027-03-01"),
    ("start=&end=2026-03-02", "Enter the first day of the period."),
    ("start=2026-03-02&end=2026-01-01", "The last day cannot be before the first day."),
    ("start=%00&end=x", "Enter a date like 2027-03-01"),
])
def test_bad_dates_give_a_message_not_an_error(client, auth, clock, demo, query, message):
    auth.login("sara")
    response = client.get("/work/figures?" + query)
    assert response.status_code == 422
    assert message in text(response) and "There is a problem" in text(response)
    assert "Requests waiting now" not in text(response)


def test_only_professionals_see_figures(client, auth, demo):
    auth.login("anna")
    assert client.get("/work/figures").status_code == 403


def test_a_meeting_counts_once(app, clock, demo):
    meeting_id = add_meeting(app, anna_sip_id(app), timedelta(days=-2))
    _invite_haninge(app, meeting_id, attended=False)
    _invite_haninge(app, meeting_id, attended=False)
    with app.app_context():
        assert db.session.get(Meeting, meeting_id) is not None
    assert _figures(app).meetings == 1
