"""The follow-up of a meeting: who came, then continue unchanged, revise the plan (a new draft) or close
the SIP (with a reason, everyone told); a follow-up that did not take place needs a reason."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from tests.helpers import text
from tests.my_sip_fixtures import ANNA, anna_sip, anna_world, at, book, first_version  # noqa: F401 - fixture
from tests.factories import user
from webapp.extensions import db
from webapp.models import (
    FollowUpOutcome,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Notification,
    PlanStatus,
    PlanVersion,
    Sip,
    SipStatus,
)


@pytest.fixture
def follow_up(app, demo, clock):
    """Plan version 1 in force; its follow-up on Monday 16 March at 13:00 (no version waiting)."""
    with app.test_request_context():
        sip = anna_sip()
        first_version(sip, book(sip, at(date(2026, 3, 4), 10)))
        meeting = book(sip, at(date(2026, 3, 16), 13), kind=MeetingKind.FOLLOW_UP, purpose="Follow up the plan")
        meeting_id = meeting.id
    clock.set(datetime(2026, 3, 5, 8, 0, tzinfo=UTC))
    return meeting_id


def _url(meeting_id: int, action: str = "") -> str:
    return f"/work/meetings/{meeting_id}/follow-up" + (f"/{action}" if action else "")


def _meeting(app, meeting_id):
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        return meeting.status, meeting.outcome, meeting.outcome_note, meeting.cancel_reason, [
            p.attended for p in meeting.participants]


def _everyone_came(app, meeting_id) -> dict:
    with app.app_context():
        return {f"p{p.id}": "yes" for p in db.session.get(Meeting, meeting_id).participants}


def _sip_status(app):
    with app.app_context():
        return db.session.scalars(sa.select(Sip.status).where(Sip.reference == ANNA)).one()


def test_before_the_meeting_only_skipping_is_offered(app, client, auth, follow_up):
    auth.login("sara")
    page = text(client.get(_url(follow_up)))
    assert "Follow-up of the meeting on March 16, 2026" in page
    assert "Attendance can be recorded once the meeting has started." in page
    assert "The follow-up did not take place" in page and "The outcome" not in page
    response = client.post(_url(follow_up, "attendance"), data=_everyone_came(app, follow_up))
    assert response.status_code == 422
    assert "Attendance can be recorded once the meeting has started." in text(response)
    assert _meeting(app, follow_up)[0] == MeetingStatus.PLANNED


def test_a_skipped_follow_up_needs_a_reason(app, client, auth, follow_up):
    auth.login("sara")
    response = client.post(_url(follow_up, "skip"), data={"reason": ""})
    assert response.status_code == 422
    assert "Write why the follow-up did not take place." in text(response)
    response = client.post(_url(follow_up, "skip"), data={"reason": "Too ill"})
    assert response.status_code == 422
    assert "at least 10 characters" in text(response) and "Too ill" in response.get_data(as_text=True)
    response = client.post(_url(follow_up, "skip"), data={"reason": "Anna was in hospital that week"})
    assert response.status_code == 303
    status, _outcome, _note, reason, _attended = _meeting(app, follow_up)
    assert (status, reason) == (MeetingStatus.SKIPPED, "Anna was in hospital that week")
    page = text(client.get(_url(follow_up)))
    assert "It did not take place: Anna was in hospital that week" in page
    assert client.post(_url(follow_up, "skip"), data={"reason": "Once more, again"}).status_code == 422


def test_attendance_then_continue_unchanged(app, client, auth, clock, follow_up):
    clock.set(datetime(2026, 3, 16, 13, 0, tzinfo=UTC))
    auth.login("sara")
    page = text(client.get(_url(follow_up)))
    assert "Who came" in page and "Lena Berg" in page and "The outcome" not in page
    response = client.post(_url(follow_up, "outcome"), data={"outcome": "continue"})
    assert response.status_code == 422
    assert "Record who came first: the follow-up must have been held." in text(response)
    data = _everyone_came(app, follow_up)
    data[list(data)[-1]] = "no"
    assert client.post(_url(follow_up, "attendance"), data=data).status_code == 303
    status, *_rest, attended = _meeting(app, follow_up)
    assert status == MeetingStatus.HELD and attended[-1] is False and all(attended[:-1])
    response = client.post(_url(follow_up, "outcome"), data={})
    assert response.status_code == 422 and "Choose the outcome." in text(response)
    response = client.post(_url(follow_up, "outcome"), data={"outcome": "continue", "note": "All is well"})
    assert response.status_code == 303
    assert _meeting(app, follow_up)[1:3] == (FollowUpOutcome.CONTINUE, "All is well")
    page = text(client.get(_url(follow_up)))
    assert "Outcome: Continue unchanged. All is well" in page and "Record the outcome" not in page


def test_revise_starts_a_new_draft(app, client, auth, clock, follow_up):
    clock.set(datetime(2026, 3, 16, 13, 0, tzinfo=UTC))
    auth.login("sara")
    client.post(_url(follow_up, "attendance"), data=_everyone_came(app, follow_up))
    response = client.post(_url(follow_up, "outcome"), data={"outcome": "revise"})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/work/sips/{ANNA}/plan")
    with app.app_context():
        draft = db.session.scalars(sa.select(PlanVersion).where(PlanVersion.number == 2)).one()
        assert draft.status == PlanStatus.DRAFT and draft.meeting_id == follow_up
        assert [i.what for i in draft.interventions][0] == "Home help in the morning"
        assert all(a.attended for a in draft.attendance) and draft.attendance
    assert "Draft of version 2." in text(client.get(response.headers["Location"]))


def test_revise_is_refused_while_a_version_waits(app, client, auth, clock, anna_world):
    clock.set(datetime(2026, 3, 16, 13, 0, tzinfo=UTC))
    auth.login("sara")
    client.post(_url(anna_world.follow_up_id, "attendance"), data=_everyone_came(app, anna_world.follow_up_id))
    response = client.post(_url(anna_world.follow_up_id, "outcome"), data={"outcome": "revise"})
    assert response.status_code == 422
    assert "A version is waiting for the person's approval." in text(response)
    assert _meeting(app, anna_world.follow_up_id)[1] is None


def test_closing_needs_a_reason_and_tells_everyone(app, client, auth, clock, follow_up):
    clock.set(datetime(2026, 3, 16, 13, 0, tzinfo=UTC))
    auth.login("sara")
    client.post(_url(follow_up, "attendance"), data=_everyone_came(app, follow_up))
    response = client.post(_url(follow_up, "outcome"), data={"outcome": "close", "note": "Done"})
    assert response.status_code == 422
    assert "Write why the SIP is closed (at least 10 characters)." in text(response)
    assert _sip_status(app) != SipStatus.CLOSED
    with app.app_context():
        before = db.session.scalar(sa.select(sa.func.count(Notification.id)))
    response = client.post(_url(follow_up, "outcome"),
                           data={"outcome": "close", "note": "The goals are reached; Anna manages on her own."})
    assert response.status_code == 303
    assert _sip_status(app) == SipStatus.CLOSED
    assert _meeting(app, follow_up)[1] == FollowUpOutcome.CLOSE
    with app.app_context():
        told = set(db.session.scalars(sa.select(Notification.user_id).order_by(Notification.id).offset(before)))
        assert user("anna").id in told and user("erik").id in told
    assert "The SIP is closed. Everyone taking part is told." in text(client.get(_url(follow_up)))


def test_nils_outside_the_consent_sees_and_changes_nothing(app, client, auth, clock, follow_up):
    clock.set(datetime(2026, 3, 16, 13, 0, tzinfo=UTC))
    auth.login("nils")
    response = client.get(_url(follow_up))
    assert response.status_code == 404 and "Lena Berg" not in text(response)
    for action, data in (("attendance", _everyone_came(app, follow_up)), ("outcome", {"outcome": "continue"}),
                         ("skip", {"reason": "Nils thinks it is not needed"})):
        assert client.post(_url(follow_up, action), data=data).status_code == 404
    assert _meeting(app, follow_up)[:2] == (MeetingStatus.PLANNED, None)
    assert client.get(_url(99999)).status_code == 404
