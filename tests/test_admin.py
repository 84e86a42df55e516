"""Administrators manage organisations and staff accounts."""
from __future__ import annotations

import re

import sqlalchemy as sa

from tests.helpers import text
from webapp.extensions import db
from webapp.models import AccountInvitation, Organisation, OrganisationKind, Role, User


def _as_admin(client, auth):
    auth.login("admin")
    client.post("/language", data={"lang-language": "en", "next": "/"})


def test_admin_adds_an_organisation(app, client, auth, demo):
    _as_admin(client, auth)
    response = client.post("/admin/organisations/new", data={
        "name": "Tyresö kommun", "kind": "municipality", "part_of": "", "phone": "08-578 291 00",
        "email": "kommun@tyreso.example.se", "address": "", "website": "",
    })
    assert response.status_code == 303
    assert "Tyresö kommun" in text(client.get("/admin/organisations"))
    with app.app_context():
        org = db.session.scalars(sa.select(Organisation).where(Organisation.name == "Tyresö kommun")).one()
        assert org.kind == OrganisationKind.MUNICIPALITY
        assert org.phone == "+46857829100"


def test_organisation_form_errors_keep_input(client, auth, demo):
    _as_admin(client, auth)
    response = client.post("/admin/organisations/new", data={
        "name": "Haninge kommun", "kind": "municipality", "phone": "12", "email": "not-an-address",
    })
    assert response.status_code == 422
    page = text(response)
    assert "Enter a phone number" in page and "Enter an e-mail address" in page
    response = client.post("/admin/organisations/new", data={"name": "haninge KOMMUN", "kind": "municipality"})
    assert "There is already an organisation with this name." in text(response)


def test_admin_edits_an_organisation(app, client, auth, demo):
    _as_admin(client, auth)
    with app.app_context():
        org_id = db.session.scalars(sa.select(Organisation.id).where(Organisation.name == "Haninge kommun")).one()
    page = client.get(f"/admin/organisations/{org_id}")
    assert 'value="Haninge kommun"' in page.get_data(as_text=True)
    response = client.post(f"/admin/organisations/{org_id}", data={
        "name": "Haninge kommun", "kind": "municipality", "phone": "", "email": "", "address": "Ny adress 1",
        "website": "",
    })
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Organisation, org_id).address == "Ny adress 1"
    assert client.get("/admin/organisations/9999").status_code == 404


def test_admin_invites_a_professional_who_sets_a_password_and_logs_in(app, client, auth, demo):
    _as_admin(client, auth)
    with app.app_context():
        org_id = db.session.scalars(sa.select(Organisation.id).where(Organisation.name == "Nynäshamns kommun")).one()
    response = client.post("/admin/staff/new", data={
        "name": "Maja Holm", "email": "maja@nynashamn.example.se", "role": "professional",
        "organisation_id": str(org_id), "title": "Socialsekreterare", "phone": "", "language": "sv",
    })
    assert response.status_code == 200
    link = re.search(r'value="(http://localhost/welcome/[^"]+)"', response.get_data(as_text=True)).group(1)
    auth.logout()
    path = link.replace("http://localhost", "")
    assert client.post(path, data={"password": "short"}).status_code == 422
    assert client.post(path, data={"password": "fjordic tangerine walrus"}).status_code == 303
    with app.app_context():
        user = db.session.scalars(sa.select(User).where(User.email == "maja@nynashamn.example.se")).one()
        assert user.role == Role.PROFESSIONAL and user.organisation_id == org_id
        assert db.session.scalars(sa.select(AccountInvitation)).one().used_at is not None
    auth.logout()
    assert client.get(path).status_code == 404  # single use
    assert auth.login("maja@nynashamn.example.se", "fjordic tangerine walrus").status_code == 303


def test_an_invited_account_cannot_log_in_before_setting_a_password(client, auth, demo):
    _as_admin(client, auth)
    client.post("/admin/staff/new", data={"name": "Ny Admin", "email": "ny@example.org", "role": "admin",
                                          "organisation_id": "0", "language": "sv"})
    auth.logout()
    for guess in ("", "!", "sip-demo-password"):
        assert auth.login("ny@example.org", guess).status_code in (422,)


def test_a_professional_needs_an_organisation(client, auth, demo):
    _as_admin(client, auth)
    response = client.post("/admin/staff/new", data={"name": "X Y", "email": "xy@example.org",
                                                      "role": "professional", "organisation_id": "0",
                                                      "language": "sv"})
    assert response.status_code == 422
    assert "A professional belongs to an organisation." in text(response)


def test_deactivating_ends_every_session_at_once(app, client, auth, demo):
    sara = app.test_client()
    type(auth)(sara).login("sara")
    assert sara.get("/account").status_code == 200
    _as_admin(client, auth)
    response = client.post(f"/admin/staff/{demo['sara'].id}/active", data={"active": "0"})
    assert response.status_code == 303
    assert sara.get("/account").status_code == 302
    assert type(auth)(app.test_client()).login("sara").status_code == 422
    client.post(f"/admin/staff/{demo['sara'].id}/active", data={"active": "1"})
    assert type(auth)(app.test_client()).login("sara").status_code == 303


def test_admin_cannot_deactivate_themself_nor_touch_citizens(app, client, auth, demo):
    _as_admin(client, auth)
    client.post(f"/admin/staff/{demo['admin'].id}/active", data={"active": "0"})
    with app.app_context():
        assert db.session.get(User, demo["admin"].id).active
    assert client.post(f"/admin/staff/{demo['anna'].id}/active", data={"active": "0"}).status_code == 404


def test_a_new_login_link_replaces_the_old_one(app, client, auth, demo):
    _as_admin(client, auth)
    first = client.post("/admin/staff/new", data={"name": "Pia Ro", "email": "pia@example.org", "role": "admin",
                                                  "organisation_id": "0", "language": "sv"})
    first_link = re.search(r'value="http://localhost(/welcome/[^"]+)"', first.get_data(as_text=True)).group(1)
    with app.app_context():
        pia = db.session.scalars(sa.select(User).where(User.email == "pia@example.org")).one()
    second = client.post(f"/admin/staff/{pia.id}/invitation")
    second_link = re.search(r'value="http://localhost(/welcome/[^"]+)"', second.get_data(as_text=True)).group(1)
    assert client.get(first_link).status_code == 404
    assert client.get(second_link).status_code == 200


def test_the_dashboard_and_lists(client, auth, demo):
    _as_admin(client, auth)
    page = text(client.get("/admin"))
    assert "Organisations" in page and "Professionals" in page
    staff = text(client.get("/admin/staff"))
    assert "Sara Lind" in staff and "Lena Berg" in staff and "Anna Andersson" not in staff
