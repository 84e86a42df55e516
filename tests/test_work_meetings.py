"""The workspace's meetings (issue 5, invitations): book a meeting or the follow-up, the interpreter, answers
at a glance, a professional's own answer, move and cancel with a reason, the invitation documents, and that
a professional outside the consent gets nothing.

Anna's demo SIP has a live consent for Haninge kommun (Sara) and Brandbergens vårdcentral (Lena); Erik may
take part. The clock is frozen on Monday 2 March 2026 at 09:00 UTC (10:00 in Stockholm).
"""
from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from flask import render_template
from flask_babel import force_locale

from tests.consent_fixtures import log_count, make_citizen, make_sip
from tests.factories import user
from tests.helpers import text
from tests.my_sip_fixtures import ANNA, anna_sip, at, book
from webapp.extensions import db
from webapp.models import (
    Contact,
    InterpreterMode,
    InterpreterRequest,
    Meeting,
    MeetingKind,
    MeetingParticipant,
    MeetingStatus,
    Notification,
    ParticipantKind,
    PlaceKind,
    Resource,
    Response,
)
from webapp.services import access, interpreter_bookings, meetings
from webapp.services.meetings import Invitee, MeetingDetails

NEW = f"/work/sips/{ANNA}/meetings/new"


def _checked(html: str, name: str) -> str | None:
    """The value of the checked radio button ``name``."""
    for tag in re.findall(r"<input[^>]*>", html):
        if f'name="{name}"' in tag and " checked" in tag:
            return re.search(r'value="([^"]*)"', tag).group(1)
    return None


def _form(**overrides) -> dict:
    data = {"starts_at": "2026-03-18T10:00", "duration_minutes": "45", "place_kind": "home",
            "address": "Storvägen 3, Haninge", "remote_link": "", "purpose": "Plan help at home"}
    data.update(overrides)
    return data


def _ids(app, *who) -> dict:
    with app.app_context():
        found = {name: user(name).id for name in who}
        found["johan"] = db.session.scalars(sa.select(Contact.id).where(Contact.name == "Johan Holm")).one()
        return found


def _meeting(app, meeting_id) -> Meeting:
    meeting = db.session.get(Meeting, meeting_id)
    assert meeting is not None
    return meeting


@pytest.fixture
def booked(app, demo, clock):
    """A meeting on Wednesday 18 March at 10:00, booked by Sara: Anna, Sara, Lena, Erik and Johan (a contact)."""
    with app.test_request_context():
        johan = db.session.scalars(sa.select(Contact.id).where(Contact.name == "Johan Holm")).one()
        meeting = meetings.book(user("sara"), anna_sip(), MeetingDetails(
            starts_at=at(date(2026, 3, 18), 10), purpose="Plan help at home", address="Storvägen 3, Haninge"),
            [Invitee(ParticipantKind.PROFESSIONAL, user_id=user("lena").id),
             Invitee(ParticipantKind.RELATIVE, user_id=user("erik").id),
             Invitee(ParticipantKind.CONTACT, contact_id=johan)])
        return meeting.id


def _participant(app, meeting_id, name) -> int:
    with app.app_context():
        return db.session.scalars(sa.select(MeetingParticipant.id).where(
            MeetingParticipant.meeting_id == meeting_id, MeetingParticipant.name == name)).one()


# -- Booking ----------------------------------------------------------------------------------------

def test_the_booking_form_suggests_two_weeks_ahead_the_purpose_and_who_may_be_invited(app, client, auth, demo, clock):
    auth.login("sara")
    before = log_count(app, resource=Resource.MEETINGS)
    response = client.get(NEW)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'value="2026-03-16T10:00"' in html          # Monday two weeks ahead, 10:00 in Stockholm
    assert 'value="45"' in html
    page = text(response)
    assert "Jag vill att hemtjänsten, distriktssköterskan och rehab" in page    # the request's purpose
    assert "Erik Andersson" in page                   # a relative the consent names
    assert "Johan Holm, Husläkare" in page            # from Anna's contact map
    assert "Lena Berg, Distriktssköterska, Brandbergens vårdcentral" in page
    assert "Nils Ek" not in page                       # outside the consent
    assert "Anna Andersson is always invited" in page
    assert log_count(app, resource=Resource.MEETINGS) == before + 1


def test_sara_books_a_meeting_and_everyone_chosen_is_invited(app, client, auth, demo, clock):
    ids = _ids(app, "lena", "erik")
    auth.login("sara")
    response = client.post(NEW, data=_form(professional_ids=[ids["lena"]], relative_ids=[ids["erik"]],
                                           contact_ids=[ids["johan"]]))
    assert response.status_code == 303
    meeting_url = response.headers["Location"]
    page = text(client.get(meeting_url))
    assert "The meeting is booked and everyone invited is told." in page
    assert "Wednesday, March 18, 2026, 10:00 AM to 10:45 AM" in page
    assert "Coming: 1" in page and "Has not answered yet: 4" in page
    with app.app_context():
        meeting = db.session.scalars(sa.select(Meeting)).one()
        assert meeting.starts_at.replace(tzinfo=UTC) == datetime(2026, 3, 18, 9, 0, tzinfo=UTC)
        assert meeting.kind == MeetingKind.FIRST and meeting.duration_minutes == 45
        assert sorted(p.name for p in meeting.participants) == [
            "Anna Andersson", "Erik Andersson", "Johan Holm", "Lena Berg", "Sara Lind"]
        # Everyone invited is told (notification events through the service).
        assert db.session.scalar(sa.select(sa.func.count(Notification.id)).where(
            Notification.user_id == user("lena").id)) >= 1


def test_the_follow_up_is_booked_the_same_way(app, client, auth, demo, clock):
    auth.login("sara")
    assert "Book the follow-up" in text(client.get(NEW + "?kind=follow_up"))
    response = client.post(NEW + "?kind=follow_up", data=_form(purpose="Follow up the plan"))
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalars(sa.select(Meeting.kind)).one() == MeetingKind.FOLLOW_UP


@pytest.mark.parametrize("changes, field, message", [
    ({"duration_minutes": "90"}, "duration_minutes", "A SIP meeting takes 15 to 60 minutes."),
    ({"duration_minutes": "a while"}, "duration_minutes", "Enter the length in whole minutes, for example 45."),
    ({"starts_at": "2026-03-01T10:00"}, "starts_at", "Choose a time in the future."),
    ({"starts_at": "next week"}, "starts_at", "Enter the date and time like 2026-03-18 14:30."),
    ({"starts_at": ""}, "starts_at", "Enter the date and time of the meeting."),
    ({"place_kind": "address", "address": ""}, "address", "Write the address of the place."),
    ({"place_kind": "remote", "remote_link": "http://meet.example.se/x"}, "remote_link",
     "Give the link to the remote meeting, starting with https://."),
    ({"place_kind": "moon"}, "place_kind", "Choose one of the options."),
    ({"purpose": ""}, "purpose", "Write the purpose of the meeting: the invitation states it."),
])
def test_a_refused_booking_says_why_next_to_the_field_and_keeps_what_was_typed(app, client, auth, demo, clock,
                                                                                changes, field, message):
    auth.login("sara")
    data = _form(**changes)
    response = client.post(NEW, data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html and f'href="#{field}"' in html
    assert f'id="{field}-error"' in html or field == "place_kind"
    for name in ("address", "remote_link"):
        if data[name]:
            assert f'value="{data[name]}"' in html
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Meeting.id))) == 0


def test_a_participant_outside_the_choices_offered_is_refused(app, client, auth, demo, clock):
    ids = _ids(app, "nils")
    auth.login("sara")
    response = client.post(NEW, data=_form(professional_ids=[ids["nils"]], relative_ids=["x"]))
    assert response.status_code == 422
    assert "Choose from the list." in text(response)


def test_without_consent_nobody_can_be_invited_and_the_typed_values_stay(app, client, auth, demo, clock):
    karin = make_citizen(app, "Karin Persson", "karin@example.org")
    make_sip(app, karin, "SIP-KARN-01", organisations=("Haninge kommun",))
    auth.login("sara")
    page = text(client.get("/work/sips/SIP-KARN-01/meetings/new"))
    assert "Consent is needed before anyone can be invited." in page
    response = client.post("/work/sips/SIP-KARN-01/meetings/new", data=_form(purpose="Talk about the help at home"))
    assert response.status_code == 422
    assert "Consent is needed before anyone can be invited." in text(response)
    assert "Talk about the help at home" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Meeting.id))) == 0


# -- Who may: nothing for a professional outside the consent ---------------------------------------

def test_a_professional_outside_the_consent_gets_nothing(app, client, auth, booked):
    lena_p = _participant(app, booked, "Johan Holm")
    auth.login("nils")
    before = log_count(app)
    for url in (NEW, f"/work/meetings/{booked}", f"/work/meetings/{booked}/move", f"/work/meetings/{booked}/cancel",
                f"/work/meetings/{booked}/interpreter", f"/work/meetings/{booked}/answer",
                f"/work/meetings/{booked}/participants/{lena_p}/answer",
                f"/work/meetings/{booked}/invitations/{lena_p}", f"/work/meetings/{booked}/invitations/{lena_p}.pdf"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Storvägen" not in response.get_data(as_text=True)
    for url in (NEW, f"/work/meetings/{booked}/cancel", f"/work/meetings/{booked}/participants/{lena_p}/answer"):
        assert client.post(url, data={"reason": "Because I can", "response": "accepted"}).status_code == 404
    assert "Storvägen" not in text(client.get("/work/invitations"))
    assert log_count(app) == before
    with app.app_context():
        assert _meeting(app, booked).status == MeetingStatus.PLANNED


def test_citizens_cannot_reach_the_workspace(client, auth, booked):
    auth.login("erik")
    assert client.get(f"/work/meetings/{booked}").status_code == 403


# -- The meeting page, answers --------------------------------------------------------------------

def test_the_meeting_page_shows_answers_at_a_glance_and_the_inviter_records_a_contacts_answer(app, client, auth, booked):
    johan = _participant(app, booked, "Johan Holm")
    auth.login("sara")
    before = log_count(app, resource=Resource.MEETINGS)
    page = text(client.get(f"/work/meetings/{booked}"))
    assert log_count(app, resource=Resource.MEETINGS) == before + 1
    assert "Storvägen 3, Haninge" in page and "Plan help at home" in page
    assert "Coming: 1" in page and "Has not answered yet: 4" in page
    assert "Record the answer of Johan Holm" in page
    assert "Record the answer of Lena Berg" not in page     # Lena answers in the app herself
    url = f"/work/meetings/{booked}/participants/{johan}/answer"
    assert "The answer of Johan Holm" in text(client.get(url))
    refused = client.post(url, data={"response": "substitute", "substitute_name": "", "note": "Away that week"})
    assert refused.status_code == 422
    assert "Write the name of the person who comes instead." in text(refused)
    assert "Away that week" in refused.get_data(as_text=True)
    response = client.post(url, data={"response": "substitute", "substitute_name": "Eva Holm", "note": ""})
    assert response.status_code == 303
    page = text(client.get(response.headers["Location"]))
    assert "Sends someone else: 1" in page and "Eva Holm comes instead." in page
    with app.app_context():
        johan_row = db.session.get(MeetingParticipant, johan)
        assert (johan_row.response, johan_row.substitute_name, johan_row.responded_by_id) == (
            Response.SUBSTITUTE, "Eva Holm", user("sara").id)


def test_only_external_answers_can_be_recorded(app, client, auth, booked):
    auth.login("sara")
    for name in ("Lena Berg", "Anna Andersson", "Erik Andersson"):
        assert client.get(f"/work/meetings/{booked}/participants/{_participant(app, booked, name)}/answer").status_code == 404
    assert client.get(f"/work/meetings/{booked}/participants/999999/answer").status_code == 404


def test_lena_answers_her_own_invitation_in_the_app(app, client, auth, booked):
    auth.login("lena")
    page = text(client.get("/work/invitations"))
    assert "SIP meeting: Wednesday, March 18, 2026 at 10:00 AM" in page and "Has not answered yet" in page
    url = f"/work/meetings/{booked}/answer"
    assert client.post(url, data={"response": ""}).status_code == 422
    response = client.post(url, data={"response": "declined", "note": "On leave that week"})
    assert response.status_code == 303 and response.headers["Location"] == "/work/invitations"
    assert "Cannot come" in text(client.get("/work/invitations"))
    assert _checked(client.get(url).get_data(as_text=True), "response") == "declined"
    auth.logout()
    auth.login("sara")
    page = text(client.get(f"/work/meetings/{booked}"))
    assert "Cannot come: 1" in page and "On leave that week" in page
    assert "Answer your invitation" not in page      # the inviter's own invitation is accepted already


def test_my_invitations_is_empty_without_any(client, auth, demo, clock):
    auth.login("lena")
    assert "You have no invitations to coming meetings." in text(client.get("/work/invitations"))


# -- The interpreter --------------------------------------------------------------------------------

def _ask_for_arabic(app) -> None:
    with app.app_context():
        db.begin_write()
        sip = anna_sip()
        db.session.add(InterpreterRequest(sip_id=sip.id, language="ar", mode=InterpreterMode.PHONE))
        db.session.commit()


def test_the_interpreter_booking_is_prefilled_from_the_request_and_the_page_shows_its_state(app, client, auth, booked, clock):
    _ask_for_arabic(app)
    auth.login("sara")
    assert "Asked for, not booked yet: Arabic." in text(client.get(f"/work/meetings/{booked}"))
    url = f"/work/meetings/{booked}/interpreter"
    html = client.get(url).get_data(as_text=True)
    assert '<option value="ar" selected>' in html and _checked(html, "mode") == "phone"
    refused = client.post(url, data={"language": "ar", "mode": "phone", "agency": "", "booking_reference": "TS-77"})
    assert refused.status_code == 422
    assert "Write which interpreter agency is booked." in text(refused) and 'value="TS-77"' in refused.get_data(as_text=True)
    assert client.post(url, data={"language": "xx-nonsense", "mode": "phone", "agency": "A"}).status_code == 422
    response = client.post(url, data={"language": "ar", "mode": "phone", "agency": "Tolkservice AB",
                                      "booking_reference": "TS-77"})
    assert response.status_code == 303
    assert "Booked, not confirmed yet: Arabic." in text(client.get(f"/work/meetings/{booked}"))
    # Three days before, still unconfirmed: flagged.
    clock.set(datetime(2026, 3, 15, 12, 0, tzinfo=UTC))
    auth.login("sara")
    assert "Not confirmed, and the meeting is in 3 days or less" in text(client.get(f"/work/meetings/{booked}"))
    client.post(url, data={"language": "ar", "mode": "phone", "agency": "Tolkservice AB", "booking_reference": "TS-77",
                           "confirmed": "y"})
    page = text(client.get(f"/work/meetings/{booked}"))
    assert "Booked and confirmed: Arabic." in page and "3 days or less" not in page
    with app.app_context():
        booking = interpreter_bookings.booking_for(booked)
        assert (booking.agency, booking.booking_reference, booking.confirmed) == ("Tolkservice AB", "TS-77", True)


def test_another_sign_language_keeps_its_name(app, client, auth, booked):
    auth.login("sara")
    url = f"/work/meetings/{booked}/interpreter"
    refused = client.post(url, data={"language": "sgn", "mode": "video", "agency": "Teckentolk AB"})
    assert "Write which sign language." in text(refused)
    client.post(url, data={"language": "sgn", "language_name": "Finnish Sign Language", "mode": "video",
                           "agency": "Teckentolk AB"})
    with app.app_context():
        booking = interpreter_bookings.booking_for(booked)
        assert (booking.language_name, booking.sign_language) == ("Finnish Sign Language", True)


# -- Move and cancel --------------------------------------------------------------------------------

def test_moving_needs_a_reason_tells_everyone_and_asks_them_to_answer_again(app, client, auth, booked):
    with app.test_request_context():
        meeting = _meeting(app, booked)
        from webapp.services import invitations

        invitations.answer(user("lena"), next(p for p in meeting.participants if p.name == "Lena Berg"), Response.ACCEPTED)
    auth.login("sara")
    url = f"/work/meetings/{booked}/move"
    html = client.get(url).get_data(as_text=True)
    assert 'value="2026-03-18T10:00"' in html and "Storvägen 3, Haninge" in html
    refused = client.post(url, data=_form(starts_at="2026-03-19T13:00", reason=""))
    assert refused.status_code == 422 and "Write why the meeting is moved." in text(refused)
    assert 'value="2026-03-19T13:00"' in refused.get_data(as_text=True)
    short = client.post(url, data=_form(starts_at="2026-03-19T13:00", reason="Ill"))
    assert short.status_code == 422 and "Write the reason" in text(short)
    response = client.post(url, data=_form(starts_at="2026-03-19T13:00", place_kind="remote",
                                           remote_link="https://meet.example.se/sip", reason="Lena is ill that day"))
    assert response.status_code == 303
    page = text(client.get(f"/work/meetings/{booked}"))
    assert "Thursday, March 19, 2026, 1:00 PM to 1:45 PM" in page and "Lena is ill that day" in page
    assert "Remote meeting" in page
    with app.app_context():
        meeting = _meeting(app, booked)
        assert meeting.place_kind == PlaceKind.REMOTE and len(meeting.changes) == 1
        assert next(p for p in meeting.participants if p.name == "Lena Berg").response == Response.PENDING


def test_cancelling_needs_a_reason_and_the_meeting_shows_as_cancelled(app, client, auth, booked):
    auth.login("sara")
    url = f"/work/meetings/{booked}/cancel"
    assert "Cancel the meeting of Wednesday, March 18, 2026 at 10:00 AM?" in text(client.get(url))
    refused = client.post(url, data={"reason": ""})
    assert refused.status_code == 422 and "Write why the meeting is cancelled." in text(refused)
    assert client.post(url, data={"reason": "Anna is in hospital again"}).status_code == 303
    page = text(client.get(f"/work/meetings/{booked}"))
    assert "This meeting is cancelled." in page and "Anna is in hospital again" in page
    assert "Move the meeting" not in page
    with app.app_context():
        assert _meeting(app, booked).status == MeetingStatus.CANCELLED
    for action in ("move", "cancel", "interpreter"):
        assert client.get(f"/work/meetings/{booked}/{action}").status_code == 404


# -- The invitation documents -------------------------------------------------------------------------

def test_each_invitation_is_in_the_recipients_language(app, client, auth, booked):
    with app.app_context():
        db.begin_write()
        user("lena").language = "ar"
        db.session.commit()
    anna = _participant(app, booked, "Anna Andersson")
    lena = _participant(app, booked, "Lena Berg")
    johan = _participant(app, booked, "Johan Holm")
    auth.login("sara")
    before = log_count(app, resource=Resource.DOCUMENTS)
    swedish = client.get(f"/work/meetings/{booked}/invitations/{anna}").get_data(as_text=True)
    assert 'lang="sv"' in swedish and "Tolk" in swedish and "onsdag 18 mars 2026" in swedish
    assert "Plan help at home" in swedish and "Storvägen 3, Haninge" in swedish and "+4686067120" in swedish
    assert "Lena Berg, Brandbergens vårdcentral" in swedish
    arabic = client.get(f"/work/meetings/{booked}/invitations/{lena}").get_data(as_text=True)
    assert 'lang="ar" dir="rtl"' in arabic and "المترجم" in arabic
    contact = client.get(f"/work/meetings/{booked}/invitations/{johan}").get_data(as_text=True)
    assert 'lang="sv"' in contact
    assert log_count(app, resource=Resource.DOCUMENTS) == before + 3
    # The page around it stays in Sara's own language.
    assert "Invited by" in text(client.get(f"/work/meetings/{booked}"))


@pytest.mark.filterwarnings("ignore:HarfBuzz-Subset:DeprecationWarning")
def test_the_invitation_pdf_is_a_pdf(app, client, auth, booked):
    anna = _participant(app, booked, "Anna Andersson")
    auth.login("sara")
    response = client.get(f"/work/meetings/{booked}/invitations/{anna}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert f"-{anna}-sv.pdf" in response.headers["Content-Disposition"]
    other = client.get(f"/work/meetings/{booked}/invitations/999999.pdf")
    assert other.status_code == 404


def test_a_relative_without_an_account_gets_the_persons_language(app, booked):
    from webapp.views.work_meetings import document_language

    with app.test_request_context():
        meeting = _meeting(app, booked)
        sip = anna_sip()
        sip.person.language = "ar"
        erik_contact = db.session.scalars(sa.select(Contact).where(Contact.name == "Erik Andersson")).one()
        as_contact = MeetingParticipant(kind=ParticipantKind.CONTACT, contact_id=erik_contact.id, name="Erik")
        johan = next(p for p in meeting.participants if p.name == "Johan Holm")
        organisation = MeetingParticipant(kind=ParticipantKind.ORGANISATION, name="Rudans Rehab")
        assert document_language(as_contact, sip) == "ar"
        assert document_language(johan, sip) == "sv"
        assert document_language(organisation, sip) == "sv"
        db.session.rollback()


# -- The case page's partial ------------------------------------------------------------------------

def test_the_case_partial_lists_meetings_and_offers_the_next_booking(app, booked, clock):
    with app.test_request_context():
        from flask_login import login_user

        login_user(user("sara"))
        sip = anna_sip()
        with force_locale("en"):
            html = render_template("work/_case_meetings.html", sip=sip, access=access.access_to(user("sara"), sip))
        assert "SIP meeting: Wednesday, March 18, 2026 at 10:00 AM" in text(html)
        assert f"/work/meetings/{booked}" in html and "Book a meeting" in html and "kind=follow_up" not in html
    clock.set(datetime(2026, 3, 18, 12, 0, tzinfo=UTC))     # the first meeting has taken place
    with app.test_request_context():
        login_user(user("sara"))
        sip = anna_sip()
        with force_locale("en"):
            html = render_template("work/_case_meetings.html", sip=sip, access=access.access_to(user("sara"), sip))
        assert "Book the follow-up" in html and "kind=follow_up" in html
    karin = make_citizen(app, "Karin Persson", "karin@example.org")
    make_sip(app, karin, "SIP-KARN-02", organisations=("Haninge kommun",))
    with app.test_request_context():
        from flask_login import login_user

        from webapp.services import requests as request_service

        login_user(user("sara"))
        sip = request_service.by_reference("SIP-KARN-02")
        with force_locale("en"):
            html = render_template("work/_case_meetings.html", sip=sip, access=access.access_to(user("sara"), sip))
        assert "No meeting is booked yet." in html and "Book a meeting" in html and "kind=follow_up" not in html


def test_a_follow_up_booked_from_the_fixture_shows_on_the_page(app, client, auth, demo, clock):
    with app.test_request_context():
        meeting = book(anna_sip(), at(date(2026, 3, 20), 13), kind=MeetingKind.FOLLOW_UP, purpose="Follow up")
        meeting_id = meeting.id
    auth.login("sara")
    assert "Follow-up meeting: Friday, March 20, 2026 at 1:00 PM" in text(client.get(f"/work/meetings/{meeting_id}"))


# -- Hostile input on every form of a booked meeting ------------------------------------------------

HOSTILE = ["", "   ", "<script>alert('x')</script>", "\u202eevil\u202c عربي", "x" * 20_000, "\x00\x01\x1f",
           "0001-01-01T00:30", "9999-12-31T23:59", "99999999999999999999", "-1"]


def test_hostile_input_never_breaks_the_meeting_forms(app, client, auth, booked):
    johan = _participant(app, booked, "Johan Holm")
    auth.login("sara")
    forms = {
        NEW: ["starts_at", "duration_minutes", "place_kind", "address", "remote_link", "purpose", "contact_ids"],
        f"/work/meetings/{booked}/move": ["starts_at", "duration_minutes", "place_kind", "address", "remote_link",
                                          "purpose", "reason"],
        f"/work/meetings/{booked}/interpreter": ["language", "language_name", "mode", "agency", "booking_reference",
                                                 "confirmed", "notes"],
        f"/work/meetings/{booked}/participants/{johan}/answer": ["response", "substitute_name", "note"],
        f"/work/meetings/{booked}/cancel": ["reason"],
    }
    for url, fields in forms.items():
        for payload in HOSTILE:
            response = client.post(url, data={name: payload for name in fields})
            cancelled = url.endswith("/cancel") and client.get(f"/work/meetings/{booked}/cancel").status_code == 404
            assert response.status_code in ((303, 404) if cancelled else (303, 422)), (url, payload[:20])
            assert "<script>alert" not in response.get_data(as_text=True)
    with app.app_context():
        assert _meeting(app, booked).status in (MeetingStatus.PLANNED, MeetingStatus.CANCELLED)


def test_leaving_hospital_the_form_suggests_the_next_working_day(app, client, auth, demo, clock):
    from webapp.models import Sip, StartPath
    from tests.factories import give_consent

    karin = make_citizen(app, "Karin Persson", "karin@example.org")
    sip_id = make_sip(app, karin, "SIP-KARN-03", organisations=("Haninge kommun",))
    with app.app_context():
        db.begin_write()
        sip = db.session.get(Sip, sip_id)
        sip.start_path = StartPath.DISCHARGE
        db.session.commit()
        give_consent(sip, to=("Haninge kommun",))
    auth.login("sara")
    response = client.get("/work/sips/SIP-KARN-03/meetings/new")
    assert 'value="2026-03-03T10:00"' in response.get_data(as_text=True)      # Tuesday, the next working day
    assert "Leaving hospital: the meeting may be called at short notice." in text(response)
    # Short notice is allowed: tomorrow morning is booked.
    assert client.post("/work/sips/SIP-KARN-03/meetings/new", data=_form(starts_at="2026-03-03T08:30")).status_code == 303
