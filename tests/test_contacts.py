"""The contact map: the person's own contacts, as a picture, a list, a print view and a vCard."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
import vobject

from tests.helpers import text
from webapp.extensions import db
from webapp.models import Contact, Organisation, Sector, User

GOOD = {
    "name": "Maja Lund", "role_title": "Arbetsterapeut", "organisation": "Rudans Rehab", "sector": "private_provider",
    "phone": "070-123 45 67", "email": "maja@example.se", "helps_with": "Hjälpmedel i badrummet",
    "meeting_frequency": "En gång i månaden", "meeting_place": "Hemma", "next_meeting_at": "2026-03-18T14:30",
}


def _contacts(app, email="anna@example.org") -> list[Contact]:
    with app.app_context():
        owner = db.session.scalars(sa.select(User).where(User.email == email)).one()
        return list(db.session.scalars(sa.select(Contact).where(Contact.owner_id == owner.id).order_by(Contact.id)))


def _one(app, name) -> Contact:
    with app.app_context():
        return db.session.scalars(sa.select(Contact).where(Contact.name == name)).one()


def test_demo_contact_map_is_full(app, demo):
    contacts = _contacts(app)
    assert len(contacts) >= 8
    assert len({c.sector for c in contacts}) >= 5
    assert sum(1 for c in contacts if c.meeting_frequency and c.meeting_place) >= 8
    assert any(c.next_meeting_at for c in contacts)


def test_the_map_shows_a_picture_and_the_same_contacts_by_sector(client, auth, demo):
    auth.login("anna")
    response = client.get("/contacts")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    page = text(response)
    # The picture: an inline SVG, the person in the middle, hidden from screen readers.
    assert '<svg class="contact-map__svg"' in body and 'aria-hidden="true"' in body
    assert "Anna Andersson" in body
    # The accessible equivalent: a heading per sector, each contact with tap-to-call.
    for heading in ("Health care in the region", "Social services in the municipality",
                    "Home help and home health care", "Private provider", "Relative or friend", "Other"):
        assert f">{heading}</h3>" in body
    assert "Lena Berg" in page and "Distriktssköterska" in page and "Brandbergens vårdcentral" in page
    assert 'href="tel:+4687778120"' in body and 'href="mailto:lena@example.org"' in body
    assert "08-777 81 20" in page  # shown in the Swedish national format
    assert "Varannan tisdag" in page and "Hemma hos mig" in page


def test_an_empty_map_says_what_to_do(client, auth, demo):
    auth.login("erik")
    page = text(client.get("/contacts"))
    assert "Your contact map is empty" in page
    assert "<svg" not in client.get("/contacts").get_data(as_text=True)


def test_add_a_contact_picked_from_the_directory(app, client, auth, demo):
    auth.login("anna")
    response = client.post("/contacts/new", data=GOOD)
    assert response.status_code == 303
    assert "Maja Lund is added to your contact map." in text(client.get("/contacts"))
    contact = _one(app, "Maja Lund")
    with app.app_context():
        rudan = db.session.scalars(sa.select(Organisation).where(Organisation.name == "Rudans Rehab")).one()
    assert contact.organisation_id == rudan.id and contact.organisation_name == ""
    assert contact.phone == "+46701234567"
    assert contact.sector == Sector.PRIVATE_PROVIDER
    # 14:30 in Stockholm in March is 13:30 UTC.
    assert contact.next_meeting_at == datetime(2026, 3, 18, 13, 30, tzinfo=UTC)


def test_add_a_contact_with_a_free_text_organisation(app, client, auth, demo):
    auth.login("anna")
    data = {**GOOD, "organisation": "Frisörsalongen Lugnet", "sector": "other", "next_meeting_at": "", "email": ""}
    assert client.post("/contacts/new", data=data).status_code == 303
    contact = _one(app, "Maja Lund")
    assert contact.organisation_id is None and contact.organisation_name == "Frisörsalongen Lugnet"
    assert contact.next_meeting_at is None


@pytest.mark.parametrize("field, value, message", [
    ("name", "", "Enter the contact's name."),
    ("name", "x" * 201, "Use at most 200 characters."),
    ("sector", "", "Choose where the contact works."),
    ("sector", "martians", "Choose one of the options."),
    ("phone", "12", "Enter a phone number, for example 070-123 45 67"),
    ("email", "maja@", "Enter an e-mail address in the form name@example.se."),
    ("next_meeting_at", "next tuesday", "Enter the date and time like 2026-03-18 14:30."),
    ("helps_with", "x" * 1001, "Use at most 1000 characters."),
    ("organisation", "x" * 201, "Use at most 200 characters."),
])
def test_bad_input_gets_a_message_next_to_the_field_and_keeps_what_was_typed(client, auth, demo, field, value,
                                                                               message):
    auth.login("anna")
    response = client.post("/contacts/new", data={**GOOD, field: value})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    page = text(response)
    assert "There is a problem" in page
    assert page.count(message) >= 2  # in the error summary and next to the field
    assert f'id="{field}-error"' in body
    assert 'value="Maja Lund"' in body or field == "name"
    assert "Hjälpmedel i badrummet" in body or field == "helps_with"
    if field in ("phone", "email", "next_meeting_at"):
        assert f'value="{value}"' in body


def test_edit_a_contact(app, client, auth, demo):
    auth.login("anna")
    lena = _one(app, "Lena Berg")
    form = client.get(f"/contacts/{lena.id}/edit")
    assert form.status_code == 200
    body = form.get_data(as_text=True)
    assert 'value="Brandbergens vårdcentral"' in body and 'value="+4687778120"' in body
    response = client.post(f"/contacts/{lena.id}/edit", data={
        **GOOD, "name": "Lena Berg", "organisation": "Brandbergens vårdcentral", "sector": "region_health",
        "meeting_frequency": "Varje tisdag"})
    assert response.status_code == 303
    assert _one(app, "Lena Berg").meeting_frequency == "Varje tisdag"


def test_remove_a_contact_after_confirming(app, client, auth, demo):
    auth.login("anna")
    apotek = _one(app, "Apoteket Brandbergen")
    confirm = client.get(f"/contacts/{apotek.id}/remove")
    assert "Remove Apoteket Brandbergen from your contact map?" in text(confirm)
    assert "Apoteket Brandbergen" in [c.name for c in _contacts(app)]  # asking changes nothing
    response = client.post(f"/contacts/{apotek.id}/remove")
    assert response.status_code == 303
    assert "Apoteket Brandbergen" not in [c.name for c in _contacts(app)]
    assert "Apoteket Brandbergen is removed from your contact map." in text(client.get("/contacts"))


def test_nobody_else_can_see_or_change_a_persons_contacts(app, client, auth, demo):
    lena = _one(app, "Lena Berg")
    before = (lena.name, lena.phone, lena.meeting_frequency)
    auth.login("erik")
    assert "Lena Berg" not in text(client.get("/contacts"))
    assert client.get(f"/contacts/{lena.id}/edit").status_code == 404
    assert client.post(f"/contacts/{lena.id}/edit", data=GOOD).status_code == 404
    assert client.get(f"/contacts/{lena.id}/remove").status_code == 404
    assert client.post(f"/contacts/{lena.id}/remove").status_code == 404
    assert "Lena Berg" not in client.get("/contacts/contacts.vcf").get_data(as_text=True)
    after = _one(app, "Lena Berg")
    assert (after.name, after.phone, after.meeting_frequency) == before
    assert client.get("/contacts/999999/edit").status_code == 404


@pytest.mark.parametrize("who, status", [("sara", 403), ("admin", 403)])
def test_only_citizens_have_a_contact_map(client, auth, demo, who, status):
    auth.login(who)
    assert client.get("/contacts").status_code == status


def test_anonymous_visitors_are_asked_to_log_in(client, demo):
    response = client.get("/contacts")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_vcard_export_holds_every_contact(app, client, auth, demo):
    auth.login("anna")
    response = client.get("/contacts/contacts.vcf")
    assert response.status_code == 200
    assert response.mimetype == "text/vcard"
    assert "attachment" in response.headers["Content-Disposition"]
    cards = list(vobject.readComponents(response.get_data(as_text=True)))
    assert len(cards) == len(_contacts(app))
    lena = next(card for card in cards if card.fn.value == "Lena Berg")
    assert lena.tel.value == "+4687778120"
    assert lena.email.value == "lena@example.org"
    assert lena.org.value == ["Brandbergens vårdcentral"]
    assert lena.title.value == "Distriktssköterska"
    assert "Health care in the region" in lena.categories.value
    assert "Regular meetings: Varannan tisdag" in lena.note.value


def test_print_view_is_laid_out_for_a4(client, auth, demo):
    auth.login("anna")
    response = client.get("/contacts/print")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Contact map for Anna Andersson" in text(response)
    assert 'media="print"' in body and "<svg" in body
    assert "/edit" not in body and "/remove" not in body  # no editing links on paper


def test_a_contact_without_phone_or_email_is_not_a_link_in_the_picture(app, client, auth, demo):
    auth.login("anna")
    client.post("/contacts/new", data={**GOOD, "phone": "", "email": "", "name": "Grannen Olle", "sector": "relative"})
    body = client.get("/contacts").get_data(as_text=True)
    assert "Grannen Olle" in body
    assert "contact-map__entry contact-map__entry--link\">\n        <title>Grannen Olle" not in body
