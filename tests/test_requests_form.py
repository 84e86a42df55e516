"""Asking for a SIP: the form, one question per page, its answers kept, checked and sent."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.helpers import text
from tests.request_fixtures import answers, contact_id, fill_in, org_id, send, sip, user_id
from webapp.extensions import db
from webapp.models import (
    Event,
    InterpreterMode,
    InterpreterStatus,
    PlacePreference,
    RelativeGrant,
    RelativeLink,
    RequestDraft,
    SipStatus,
    StartPath,
)
from webapp.services import references


def _drafts(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(RequestDraft.id)))


def test_a_person_asks_for_a_sip_for_themselves(app, client, auth, clock, demo):
    auth.login("anna")
    assert "Ask for a SIP" in text(client.get("/ask/"))
    reference = send(client, app)
    assert references.PATTERN.match(reference)
    receipt = text(client.get(f"/requests/{reference}/receipt"))
    assert "Your request is sent" in receipt and reference in receipt
    assert "Haninge kommun and Brandbergens vårdcentral" in receipt
    stored = sip(app, reference)
    assert stored.person_id == user_id(app, "anna") == stored.requested_by_id and not stored.on_behalf
    assert stored.status == SipStatus.SENT
    assert stored.purpose == "Jag vill att alla pratar med varandra."
    assert stored.start_path == StartPath.HOME and stored.discharge_date is None
    assert {r.organisation.name for r in stored.recipients} == {"Haninge kommun", "Brandbergens vårdcentral"}
    assert [(c.name, c.phone, c.contact_id) for c in stored.requested_contacts] == [
        ("Lena Berg", "+4687778120", contact_id(app, "Lena Berg"))]
    assert stored.place_preference == PlacePreference.HOME
    assert stored.needs_hearing_loop and not stored.needs_step_free and stored.needs_other == "Stor text"
    assert stored.interpreter_requests == []
    with app.app_context():
        kinds = list(db.session.scalars(sa.select(Event.kind).where(Event.sip_id == stored.id)))
    assert kinds == ["request_received"]
    assert _drafts(app) == 0  # the answers are not kept once sent


def test_one_question_per_page_with_its_number_and_a_back_link(app, client, auth, demo):
    auth.login("anna")
    page = client.get("/ask/for_whom")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert body.count("<h1>") == 1 and "Who is the SIP for?" in text(page)
    assert "Question 1 of 8" in text(page)
    assert 'href="/ask/"' in body  # back to the start page
    client.post("/ask/for_whom", data={"choice": "self"})
    purpose = client.get("/ask/purpose").get_data(as_text=True)
    assert "Question 2 of 8" in text(purpose) and 'href="/ask/for_whom"' in purpose


def test_going_back_keeps_the_answers(app, client, auth, demo):
    auth.login("anna")
    fill_in(client, app)
    assert "Jag vill att alla pratar med varandra." in client.get("/ask/purpose").get_data(as_text=True)
    organisations = client.get("/ask/organisations").get_data(as_text=True)
    assert re.search(rf'value="{org_id(app, "Haninge kommun")}"[^>]*checked', organisations) or \
        re.search(rf'checked[^>]*value="{org_id(app, "Haninge kommun")}"', organisations)
    assert re.search(r'checked[^>]*value="hearing_loop"|value="hearing_loop"[^>]*checked',
                     client.get("/ask/accessibility").get_data(as_text=True))


def test_answers_survive_logging_out_and_in_again(app, client, auth, demo):
    auth.login("anna")
    client.post("/ask/for_whom", data={"choice": "self"})
    client.post("/ask/purpose", data={"purpose": "Hjälp med allt"})
    auth.logout()
    auth.login("anna")
    start = text(client.get("/ask/"))
    assert "You have started a request that is not sent yet." in start
    assert client.get("/ask/check").headers["Location"].endswith("/ask/start")
    assert "Hjälp med allt" in client.get("/ask/purpose").get_data(as_text=True)


def test_a_page_cannot_be_skipped(app, client, auth, demo):
    auth.login("anna")
    response = client.get("/ask/place")
    assert response.status_code == 302 and response.headers["Location"].endswith("/ask/for_whom")
    assert client.get("/ask/check").headers["Location"].endswith("/ask/for_whom")
    assert client.get("/ask/no_such_step").status_code == 404
    # The follow-up pages exist only after the answers that call for them.
    client.post("/ask/for_whom", data={"choice": "self"})
    assert client.get("/ask/about_them").status_code == 302


def test_check_your_answers_lists_each_answer_with_a_change_link(app, client, auth, demo):
    auth.login("anna")
    fill_in(client, app)
    response = client.get("/ask/check")
    page = text(response)
    body = response.get_data(as_text=True)
    assert "Check your answers" in page
    for expected in ("Myself", "Jag vill att alla pratar med varandra.", "The need was seen at home",
                     "Haninge kommun", "Brandbergens vårdcentral, Region Stockholm", "Lena Berg, Distriktssköterska",
                     "At home", "A hearing loop", "Stor text"):
        assert expected in page, expected
    for step in ("for_whom", "purpose", "start", "organisations", "contacts", "place", "interpreter", "accessibility"):
        assert f'href="/ask/{step}?from=check"' in body


def test_changing_an_answer_returns_to_the_check_page(app, client, auth, demo):
    auth.login("anna")
    fill_in(client, app)
    assert 'href="/ask/check"' in client.get("/ask/place?from=check").get_data(as_text=True)
    response = client.post("/ask/place?from=check", data={"place": "remote"})
    assert response.headers["Location"].endswith("/ask/check")
    assert "Remotely, by video or phone" in text(client.get("/ask/check"))
    # A change that opens a new question goes there first, then back to the check page.
    response = client.post("/ask/interpreter?from=check", data={"needed": "yes"})
    assert response.headers["Location"].endswith("/ask/interpreter_details?from=check")
    response = client.post("/ask/interpreter_details?from=check", data={"language": "ti", "mode": "video"})
    assert response.headers["Location"].endswith("/ask/check")
    assert "Tigrinya" in text(client.get("/ask/check"))


def test_start_again_forgets_the_draft(app, client, auth, demo):
    auth.login("anna")
    fill_in(client, app)
    response = client.post("/ask/restart")
    assert response.headers["Location"].endswith("/ask/for_whom")
    assert _drafts(app) == 0


def test_a_draft_left_for_a_month_is_forgotten(app, client, auth, clock, demo):
    auth.login("anna")
    client.post("/ask/for_whom", data={"choice": "self"})
    clock.advance(days=31)
    auth.login("anna")
    assert "You have started a request" not in text(client.get("/ask/"))
    with app.app_context():
        from webapp.services import request_drafts

        assert request_drafts.purge_expired() == 1
    assert _drafts(app) == 0


@pytest.mark.parametrize("step, data, message, kept", [
    ("for_whom", {}, "Choose who the SIP is for.", None),
    ("for_whom", {"choice": "person:999"}, "Choose one of the options.", None),
    ("purpose", {"purpose": "   "}, "Write what you want help with.", None),
    ("purpose", {"purpose": "x" * 2001}, "Use at most 2000 characters.", "xxxxxxxxxx"),
    ("start", {}, "Choose how the need started.", None),
    ("start", {"path": "discharge", "discharge_date": ""}, "Enter the date you are leaving hospital.", None),
    ("start", {"path": "discharge", "discharge_date": "soon"}, "Enter the date like 2026-03-18.", 'value="soon"'),
    ("start", {"path": "discharge", "discharge_date": "2026-03-01"}, "Enter today's date or a later one.",
     'value="2026-03-01"'),
    ("start", {"path": "discharge", "discharge_date": "2027-06-01"}, "Enter a date within the next year.", None),
    ("start", {"path": "sideways", "discharge_date": ""}, "Choose one of the options.", None),
    ("organisations", {}, "Choose at least one municipality or region.", None),
    ("place", {"place": "moon"}, "Choose one of the options.", None),
    ("place", {}, "Choose where you would like to meet.", None),
    ("interpreter", {}, "Choose yes or no.", None),
    ("accessibility", {"needs": ["other"], "other": ""}, "Describe the other need, or untick it.", None),
    ("accessibility", {"needs": ["teleport"]}, "Choose one of the options.", None),
])
def test_bad_answers_get_a_message_on_the_page_and_in_the_summary(app, client, auth, clock, demo, step, data,
                                                                   message, kept):
    auth.login("anna")
    for earlier, answer in answers(app):
        if earlier == step:
            break
        client.post(f"/ask/{earlier}", data=answer)
    response = client.post(f"/ask/{step}", data=data)
    assert response.status_code == 422
    page = text(response)
    assert "There is a problem" in page and page.count(message) >= 2, page
    assert "Error:" in response.get_data(as_text=True).split("</title>")[0]
    if kept:
        assert kept in response.get_data(as_text=True)


def test_organisations_offered_are_the_principals_and_nothing_else_is_accepted(app, client, auth, demo):
    auth.login("anna")
    fill_in(client, app)
    page = text(client.get("/ask/organisations"))
    assert "Haninge kommun" in page and "Vendelsö vårdcentral, Region Stockholm" in page
    assert "Försäkringskassan" not in page and "Rudans Rehab" not in page
    response = client.post("/ask/organisations", data={"ids": [org_id(app, "Försäkringskassan")]})
    assert response.status_code == 422 and "Choose one of the options." in text(response)
    response = client.post("/ask/organisations", data={"ids": ["not-a-number"]})
    assert response.status_code == 422


def test_contacts_of_someone_else_cannot_be_chosen(app, client, auth, demo):
    auth.login("erik")
    fill_in(client, app, contacts={"ids": []})
    page = text(client.get("/ask/contacts"))
    assert "Your contact map is empty" in page and "Lena Berg" not in page
    response = client.post("/ask/contacts", data={"ids": [contact_id(app, "Lena Berg")]})
    assert response.status_code == 422


def test_a_request_leaving_hospital_keeps_the_date(app, client, auth, clock, demo):
    auth.login("anna")
    reference = send(client, app, start={"path": "discharge", "discharge_date": "2026-03-06"})
    stored = sip(app, reference)
    assert stored.start_path == StartPath.DISCHARGE and stored.discharge_date.isoformat() == "2026-03-06"
    assert "leaving hospital on March 6, 2026" in text(client.get(f"/requests/{reference}"))


def test_an_interpreter_request_is_its_own_record(app, client, auth, demo):
    auth.login("anna")
    reference = send(client, app, interpreter={"needed": "yes"},
                     interpreter_details={"language": "fa", "mode": "phone", "notes": "Dari, inte farsi"})
    (interpreter,) = sip(app, reference).interpreter_requests
    assert (interpreter.language, interpreter.sign_language, interpreter.mode, interpreter.status, interpreter.notes) \
        == ("fa", False, InterpreterMode.PHONE, InterpreterStatus.REQUESTED, "Dari, inte farsi")
    assert "Persian" in text(client.get(f"/requests/{reference}"))


def test_swedish_sign_language_and_another_named_sign_language(app, client, auth, demo):
    auth.login("anna")
    reference = send(client, app, interpreter={"needed": "yes"},
                     interpreter_details={"language": "swl", "mode": "on_site"})
    (interpreter,) = sip(app, reference).interpreter_requests
    assert interpreter.language == "swl" and interpreter.sign_language
    fill_in(client, app, interpreter={"needed": "yes"}, interpreter_details={"language": "sgn",
                                                                            "language_name": "Finlandssvenskt teckenspråk",
                                                                            "mode": "video"})
    client.post("/ask/check")
    with app.app_context():
        from webapp.models import InterpreterRequest

        other = db.session.scalars(sa.select(InterpreterRequest).where(InterpreterRequest.language == "sgn")).one()
    assert other.sign_language and other.language_name == "Finlandssvenskt teckenspråk"


@pytest.mark.parametrize("data, message", [
    ({"language": "", "mode": "video"}, "Choose a language."),
    ({"language": "klingon", "mode": "video"}, "Choose a language from the list."),
    ({"language": "sgn", "language_name": "", "mode": "video"}, "Write which sign language."),
    ({"language": "ar", "mode": ""}, "Choose how the interpreter takes part."),
    ({"language": "ar", "mode": "video", "notes": "x" * 501}, "Use at most 500 characters."),
])
def test_interpreter_details_errors(app, client, auth, demo, data, message):
    auth.login("anna")
    fill_in(client, app, interpreter={"needed": "yes"}, interpreter_details={"language": "ar", "mode": "video"})
    response = client.post("/ask/interpreter_details", data=data)
    assert response.status_code == 422
    assert text(response).count(message) >= 2


def test_the_language_list_is_every_language_in_the_readers_language_with_sign_languages_first(app, client, auth, demo):
    auth.login("anna")
    fill_in(client, app, interpreter={"needed": "yes"}, interpreter_details={"language": "ar", "mode": "video"})
    body = client.get("/ask/interpreter_details").get_data(as_text=True)
    assert body.count("<option") > 600
    assert body.index("Swedish Sign Language") < body.index("American Sign Language") < body.index("Abkhazian")
    assert body.index("Abkhazian") < body.index("Zulu")
    assert '<option value="ar" selected>Arabic</option>' in body
    select = body[body.index('id="language"'):body.index("</select>", body.index('id="language"'))]
    assert '<option value="sv"' not in select  # no interpreter into Swedish


def test_the_language_list_in_swedish_sorts_a_ring_and_dots_after_z(app, client, auth, demo):
    auth.login("anna", english=False)
    fill_in(client, app, interpreter={"needed": "yes"}, interpreter_details={"language": "ar", "mode": "video"})
    body = client.get("/ask/interpreter_details").get_data(as_text=True)
    assert body.index("Zulu") < body.index("Östfrisiska")
    assert body.index("Engelska") < body.index("Franska")
    assert "Svenskt teckenspråk" in body or "Swedish Sign Language" in body


def test_someone_using_another_language_gets_an_interpreter_suggested(app, client, auth, demo):
    auth.login("omar", english=False)
    for step, data in answers(app, contacts={"ids": []})[:6]:
        client.post(f"/ask/{step}", data=data)
    page = client.get("/ask/interpreter").get_data(as_text=True)
    assert re.search(r'value="yes"[^>]*checked|checked[^>]*value="yes"', page)
    client.post("/ask/interpreter", data={"needed": "yes"})
    assert '<option value="ar" selected>' in client.get("/ask/interpreter_details").get_data(as_text=True)
    # It can always be changed.
    assert client.post("/ask/interpreter", data={"needed": "no"}).headers["Location"].endswith("/ask/accessibility")


def test_a_swedish_speaker_is_not_assumed_to_need_an_interpreter(app, client, auth, demo):
    auth.login("anna", english=False)
    fill_in(client, app)
    client.post("/ask/restart")
    for step, data in answers(app)[:6]:
        client.post(f"/ask/{step}", data=data)
    assert "checked" not in client.get("/ask/interpreter").get_data(as_text=True)


def test_a_relative_asks_for_someone_without_an_account(app, client, auth, demo):
    auth.login("erik")
    about = {"name": "Greta Andersson", "phone": "070-765 43 21", "awareness": "informed"}
    fill_in(client, app, about_them=about, contacts={"ids": []}, **{"for_whom": {"choice": "other"}})
    check = text(client.get("/ask/check"))
    assert "Greta Andersson" in check and "They know, but have not said yes yet" in check
    response = client.post("/ask/check")
    reference = response.headers["Location"].split("/")[-2]
    stored = sip(app, reference)
    assert stored.person_id is None and stored.on_behalf and stored.requested_by_id == user_id(app, "erik")
    assert (stored.subject_name, stored.subject_phone) == ("Greta Andersson", "+46707654321")
    assert stored.subject_informed and not stored.subject_agrees
    page = text(client.get(f"/requests/{reference}"))
    assert "For Greta Andersson." in page
    assert "Still to be obtained from Greta Andersson" in page
    assert "they know about it but have not said yes yet" in page
    listing = text(client.get("/requests"))
    assert reference in listing and "For Greta Andersson" in listing


@pytest.mark.parametrize("data, message", [
    ({"name": "", "awareness": "agrees"}, "Enter their name."),
    ({"name": "Greta", "phone": "123", "awareness": "agrees"}, "Enter a phone number"),
    ({"name": "Greta"}, "Choose whether they know about the request and agree to it."),
])
def test_about_them_errors(app, client, auth, demo, data, message):
    auth.login("erik")
    client.post("/ask/for_whom", data={"choice": "other"})
    response = client.post("/ask/about_them", data=data)
    assert response.status_code == 422
    assert text(response).count(message) >= 2


def test_a_relative_with_the_right_to_ask_asks_on_the_persons_behalf(app, client, auth, demo):
    anna = user_id(app, "anna")
    auth.login("erik")
    page = text(client.get("/ask/for_whom"))
    assert "Anna Andersson, who lets me ask on their behalf" in page
    reference = send(client, app, for_whom={"choice": f"person:{anna}"}, contacts={"ids": []})
    stored = sip(app, reference)
    assert stored.person_id == anna and stored.on_behalf and stored.requested_by_id == user_id(app, "erik")
    with app.app_context():
        grant = db.session.scalars(sa.select(RelativeGrant).where(RelativeGrant.sip_id == stored.id)).one()
        link = db.session.get(RelativeLink, grant.link_id)
        assert grant.can_act and link.relative_id == user_id(app, "erik") and link.person_id == anna
    # The relative follows it in their own list, labelled with whose it is; so does the person.
    assert "For Anna Andersson" in text(client.get("/requests"))
    assert client.get(f"/requests/{reference}").status_code == 200
    auth.logout()
    auth.login("anna")
    assert reference in text(client.get("/requests"))
    assert "Asked by Erik Andersson" in text(client.get(f"/requests/{reference}"))


def test_a_relative_without_the_right_to_ask_is_not_offered_the_person(app, client, auth, demo):
    with app.app_context():
        link = db.session.scalars(sa.select(RelativeLink)).one()
        link.can_request = False
        db.session.commit()
    auth.login("erik")
    assert "Anna Andersson" not in text(client.get("/ask/for_whom"))
    response = client.post("/ask/for_whom", data={"choice": f"person:{user_id(app, 'anna')}"})
    assert response.status_code == 422


def test_a_right_to_ask_that_ends_before_sending_stops_the_request(app, client, auth, demo):
    auth.login("erik")
    fill_in(client, app, for_whom={"choice": f"person:{user_id(app, 'anna')}"}, contacts={"ids": []})
    with app.app_context():
        link = db.session.scalars(sa.select(RelativeLink)).one()
        link.can_request = False
        db.session.commit()
    response = client.post("/ask/check")
    assert response.status_code == 422
    assert "You can no longer ask for a SIP for this person." in text(response)
    assert 'href="/ask/for_whom?from=check"' in response.get_data(as_text=True)


def test_an_organisation_closed_before_sending_is_caught(app, client, auth, demo):
    auth.login("anna")
    fill_in(client, app)
    with app.app_context():
        from webapp.models import Organisation

        db.session.get(Organisation, org_id(app, "Haninge kommun")).active = False
        db.session.commit()
    response = client.post("/ask/check")
    assert response.status_code == 422
    assert "can no longer receive requests" in text(response)


def test_a_contact_removed_before_sending_is_caught(app, client, auth, demo):
    auth.login("anna")
    fill_in(client, app)
    client.post(f"/contacts/{contact_id(app, 'Lena Berg')}/remove")
    response = client.post("/ask/check")
    assert response.status_code == 422
    assert "no longer on your contact map" in text(response)


def test_references_are_unique_and_easy_to_read_aloud(app, monkeypatch):
    with app.app_context():
        from webapp.services import demo

        demo.seed()
        taken = iter("7KQ4M2" + "ABCDEF")
        monkeypatch.setattr(references.secrets, "choice", lambda alphabet: next(taken))
        assert references.new_reference() == "SIP-ABCD-EF"  # the taken SIP-7KQ4-M2 was skipped
    for ch in "01OIL":
        assert ch not in references.ALPHABET
    assert references.normalise("sip 7kq4 m2") == "SIP-7KQ4-M2"
    assert references.normalise("nonsense") == "NONSENSE"


def test_professionals_cannot_use_the_request_form(client, auth, demo):
    auth.login("sara")
    assert client.get("/ask/").status_code == 403
    assert client.post("/ask/for_whom", data={"choice": "self"}).status_code == 403


def test_a_stale_date_does_not_stop_a_request_that_started_at_home(app, client, auth, demo):
    auth.login("anna")
    client.post("/ask/for_whom", data={"choice": "self"})
    client.post("/ask/purpose", data={"purpose": "Hjälp"})
    response = client.post("/ask/start", data={"path": "home", "discharge_date": "whenever"})
    assert response.status_code == 303
