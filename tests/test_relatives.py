"""Relatives through HTTP: inviting with a one-time link and QR code, accepting after logging in or
registering, choosing per SIP what they may do, removing them, and stepping back."""
from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from tests.consent_fixtures import EN, anna_sip_id, link_relative, make_citizen, make_sip
from tests.helpers import text
from webapp.extensions import db
from webapp.models import Event, RelativeGrant, RelativeInvitation, RelativeLink
from webapp.services import events

ANNA_CONSENT = "/sips/SIP-7KQ4-M2/consent"


@pytest.fixture
def anna(app, client, auth, clock, demo):
    auth.login("anna")
    return {"sip": anna_sip_id(app), "id": demo["anna"].id}


def _invite(app, client, sip_id, level="see", others=(), **extra):
    # Every other SIP of the person is left at the form's default ("nothing"), as a browser sends it.
    form = client.get("/relatives/invite").get_data(as_text=True)
    data = {name: "none" for name in set(re.findall(r'name="(sip_\d+)"', form))}
    data.update({"label": "Maria, my neighbour", f"sip_{sip_id}": level, "ends_on": "", **extra})
    data.update({f"sip_{other}": "none" for other in others})
    response = client.post("/relatives/invite", data=data)
    token = None
    if response.status_code == 200:
        token = re.search(r'value="http://localhost/join/([A-Za-z0-9_-]+)"', response.get_data(as_text=True)).group(1)
    return response, token


def _links(app, **filters):
    with app.app_context():
        query = sa.select(RelativeLink)
        for name, value in filters.items():
            query = query.where(getattr(RelativeLink, name) == value)
        return db.session.scalars(query.order_by(RelativeLink.id)).all()


def _kinds(app):
    with app.app_context():
        return db.session.scalars(sa.select(Event.kind).order_by(Event.id)).all()


def test_the_person_invites_with_a_one_time_link_and_a_qr_code_stored_only_as_a_hash(app, client, anna, clock):
    form = client.get("/relatives/invite")
    assert "What may they do in SIP-7KQ4-M2?" in text(form)
    response, token = _invite(app, client, anna["sip"], level="act", can_request="y")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Invitation for Maria, my neighbour" in text(response)
    assert re.search(r'<img class="qr" src="data:image/svg\+xml;charset=utf-8,[^"]+" alt="QR code with the invitation link"', body)
    assert "mailto:?subject=" in body and "sms:?&amp;body=" in body and token in body
    with app.app_context():
        invitation = db.session.scalars(sa.select(RelativeInvitation)).one()
        assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert token not in repr([getattr(invitation, c.key) for c in RelativeInvitation.__table__.columns])
        assert invitation.grants == [{"sip_id": anna["sip"], "can_act": True}] and invitation.can_request
        assert invitation.expires_at - invitation.created_at == timedelta(days=7)
    assert _kinds(app)[-1] == events.RELATIVE_INVITED
    listing = text(client.get("/relatives"))
    assert "Invitations not yet accepted Maria, my neighbour" in listing


@pytest.mark.parametrize("data, message", [
    ({"label": ""}, "Write who you are inviting."),
    ({"ends_on": "2026-03-01"}, "The end date cannot be in the past."),
    ({"ends_on": "next week"}, "Enter a date like 2027-03-01 (year, month, day)."),
    ({"level": "everything"}, "Choose one of the options."),
])
def test_a_bad_invitation_says_what_to_fix(app, client, anna, data, message):
    level = data.pop("level", "see")
    response, _token = _invite(app, client, anna["sip"], level=level, **data)
    assert response.status_code == 422
    assert message in text(response)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(RelativeInvitation.id))) == 0


def test_a_new_relative_opens_the_link_registers_comes_back_and_accepts(app, client, anna, clock):
    _response, token = _invite(app, client, anna["sip"], level="act", can_request="y")
    visitor = app.test_client()
    landing = visitor.get(f"/join/{token}", headers=EN)
    assert landing.status_code == 200
    page = text(landing)
    assert "Anna Andersson invites you to follow along" in page
    assert f"/login?next=/join/{token}" in landing.get_data(as_text=True)
    assert "Create an account" in page
    registered = visitor.post("/register", data={"name": "Maria Holm", "email": "maria@example.org",
                                                 "password": "mossy granite lanterns", "language": "en"})
    assert registered.status_code == 303 and registered.headers["Location"] == "/"
    back = visitor.get("/")
    assert back.status_code == 302 and back.headers["Location"] == f"/join/{token}"
    accept_page = visitor.get(f"/join/{token}")
    assert "Accept and follow Anna Andersson" in text(accept_page)
    accepted = visitor.post(f"/join/{token}")
    assert accepted.status_code == 303 and accepted.headers["Location"] == "/following"
    following = text(visitor.get("/following"))
    assert "You now follow Anna Andersson." in following
    assert "Consent for SIP-7KQ4-M2" in following
    assert "You see the plan and meetings, and may act for them." in following
    assert "You may ask for a new SIP for Anna Andersson." in following
    assert visitor.get("/").status_code == 200                       # the way back is forgotten
    [link] = _links(app, person_id=anna["id"], relative_id=_user_id(app, "maria@example.org"))
    assert link.can_request
    with app.app_context():
        grant = db.session.scalars(sa.select(RelativeGrant).where(RelativeGrant.link_id == link.id)).one()
        assert (grant.sip_id, grant.can_act) == (anna["sip"], True)
    assert _kinds(app)[-1] == events.RELATIVE_ACCEPTED
    # Single use: the link does not work again, for anyone.
    reused = app.test_client().get(f"/join/{token}", headers=EN)
    assert reused.status_code == 404 and "The link does not work" in text(reused)
    # And the person sees Maria and her rights.
    listing = text(client.get("/relatives"))
    assert "Maria Holm" in listing and "SIP-7KQ4-M2: sees the plan and meetings, and may act for you." in listing


def _user_id(app, email):
    from webapp.models import User

    with app.app_context():
        return db.session.scalars(sa.select(User.id).where(User.email == email)).one()


def test_an_existing_account_logs_in_from_the_link_and_accepts(app, client, anna, auth):
    _response, token = _invite(app, client, anna["sip"])
    omar = app.test_client()
    login = omar.post(f"/login?next=/join/{token}", data={"email": "omar@example.org",
                                                          "password": "sip-demo-password"})
    assert login.headers["Location"] == f"/join/{token}"
    assert omar.post(f"/join/{token}").status_code == 303
    assert len(_links(app, person_id=anna["id"], relative_id=_user_id(app, "omar@example.org"))) == 1


def test_an_anonymous_post_to_the_link_asks_to_log_in(app, client, anna):
    _response, token = _invite(app, client, anna["sip"])
    response = app.test_client().post(f"/join/{token}")
    assert response.status_code == 303 and response.headers["Location"] == f"/login?next=/join/{token}"


def test_the_link_expires_after_7_days(app, client, anna, clock):
    _response, token = _invite(app, client, anna["sip"])
    clock.advance(days=6, hours=23)
    assert app.test_client().get(f"/join/{token}").status_code == 200
    clock.advance(hours=1)
    assert app.test_client().get(f"/join/{token}").status_code == 404


def test_the_person_cancels_an_unused_invitation(app, client, anna):
    _response, token = _invite(app, client, anna["sip"])
    with app.app_context():
        invitation_id = db.session.scalars(sa.select(RelativeInvitation.id)).one()
    assert client.post(f"/relatives/invitations/{invitation_id}/cancel").status_code == 303
    assert "The invitation is cancelled." in text(client.get("/relatives"))
    assert app.test_client().get(f"/join/{token}").status_code == 404
    assert client.post(f"/relatives/invitations/{invitation_id}/cancel").status_code == 404


def test_staff_and_the_person_themselves_cannot_accept(app, client, anna, auth):
    _response, token = _invite(app, client, anna["sip"])
    own = client.get(f"/join/{token}")
    assert "This is your own invitation." in text(own) and "Accept and follow" not in text(own)
    assert client.post(f"/join/{token}").status_code == 409
    sara = app.test_client()
    type(auth)(sara).login("sara")
    page = sara.get(f"/join/{token}")
    assert "Staff accounts cannot follow someone." in text(page)
    assert sara.post(f"/join/{token}").status_code == 409
    assert len(_links(app, person_id=anna["id"])) == 1                  # only Erik's, from the demo


def test_accepting_again_adds_to_the_live_link_instead_of_a_second_one(app, client, anna, auth, demo):
    other_sip = make_sip(app, anna["id"], "SIP-ANNA-02")
    _response, token = _invite(app, client, other_sip, level="see", others=[anna["sip"]])
    erik = app.test_client()
    type(auth)(erik).login("erik")
    assert erik.post(f"/join/{token}").status_code == 303
    [link] = _links(app, person_id=anna["id"], relative_id=demo["erik"].id)
    with app.app_context():
        grants = dict(db.session.execute(sa.select(RelativeGrant.sip_id, RelativeGrant.can_act)
                                         .where(RelativeGrant.link_id == link.id)).all())
    # Erik keeps what he had (SIP-7KQ4-M2 and the request he sent for Anna) and sees the new one.
    assert grants == {anna["sip"]: True, _sip_id(app, "SIP-E4RK-2B"): True, other_sip: False}


def _sip_id(app, reference):
    with app.app_context():
        from webapp.models import Sip

        return db.session.scalars(sa.select(Sip.id).where(Sip.reference == reference)).one()


def test_the_person_changes_what_a_relative_may_do_per_sip(app, client, anna, auth, demo, clock):
    [link] = _links(app, person_id=anna["id"], relative_id=demo["erik"].id)
    eriks_request = {f"sip_{_sip_id(app, 'SIP-E4RK-2B')}": "act"}  # unchanged: the request Erik sent
    page = client.get(f"/relatives/{link.id}")
    assert re.search(rf'<input checked id="sip_{anna["sip"]}-2" name="sip_{anna["sip"]}" required type="radio" '
                     rf'value="act">',
                     page.get_data(as_text=True))
    saved = client.post(f"/relatives/{link.id}", data={f"sip_{anna['sip']}": "see", "ends_on": "2026-06-30",
                                                       **eriks_request})
    assert saved.status_code == 303
    listing = text(client.get("/relatives"))
    assert "Saved. Erik Andersson has these rights from now on." in listing
    assert "SIP-7KQ4-M2: sees the plan and meetings." in listing and "Until June 30, 2026" in listing
    assert "May ask for a new SIP for you." not in listing
    with app.app_context():
        assert db.session.scalars(sa.select(RelativeGrant.can_act).where(
            RelativeGrant.sip_id == anna["sip"])).one() is False
    # Nothing: Erik no longer sees this SIP, from his very next request.
    erik = app.test_client()
    type(auth)(erik).login("erik")
    assert erik.get(ANNA_CONSENT).status_code == 200
    client.post(f"/relatives/{link.id}", data={f"sip_{anna['sip']}": "none", **eriks_request})
    assert erik.get(ANNA_CONSENT).status_code == 404
    assert "SIP-7KQ4-M2" not in text(erik.get("/following"))
    assert client.post(f"/relatives/{link.id}", data={f"sip_{anna['sip']}": "see", "ends_on": "2026-03-01",
                                                      **eriks_request}).status_code == 422


def test_removing_a_relative_is_one_step_with_immediate_effect(app, client, anna, auth, demo):
    erik = app.test_client()
    type(auth)(erik).login("erik")
    assert erik.get(ANNA_CONSENT).status_code == 200
    [link] = _links(app, person_id=anna["id"], relative_id=demo["erik"].id)
    removed = client.post(f"/relatives/{link.id}/remove")
    assert removed.status_code == 303
    assert "Erik Andersson is removed and can no longer see anything of yours." in text(client.get("/relatives"))
    assert erik.get(ANNA_CONSENT).status_code == 404
    assert "You do not follow anyone." in text(erik.get("/following"))
    with app.app_context():
        event = db.session.scalars(sa.select(Event).where(Event.kind == events.RELATIVE_REMOVED)).one()
        assert event.data["by_relative"] is False and event.person_id == anna["id"]
    assert client.post(f"/relatives/{link.id}/remove").status_code == 404
    assert client.get(f"/relatives/{link.id}").status_code == 404


def test_a_relative_steps_back_themselves_and_the_person_is_told(app, client, anna, auth, demo):
    erik = app.test_client()
    type(auth)(erik).login("erik")
    [link] = _links(app, person_id=anna["id"], relative_id=demo["erik"].id)
    following = text(erik.get("/following"))
    assert "Anna Andersson" in following and "Stop following Anna Andersson" in following
    assert erik.post(f"/following/{link.id}/leave").status_code == 303
    assert "You no longer follow Anna Andersson." in text(erik.get("/following"))
    assert erik.get(ANNA_CONSENT).status_code == 404
    assert "Nobody follows you yet." in text(client.get("/relatives"))
    with app.app_context():
        event = db.session.scalars(sa.select(Event).where(Event.kind == events.RELATIVE_REMOVED)).one()
        assert event.data["by_relative"] is True and event.person_id == anna["id"]
    assert client.post(f"/following/{link.id}/leave").status_code == 404   # not Anna's to leave


def test_a_relative_sees_nothing_of_someone_who_has_not_granted_it_or_after_the_end_date(app, auth, clock, demo):
    karin = make_citizen(app, "Karin Persson", "karin@example.org")
    sip = make_sip(app, karin, "SIP-KARN-01")
    link_relative(app, karin, demo["omar"].id, grants={}, ends_on=date(2026, 3, 10))
    omar = app.test_client()
    type(auth)(omar).login("omar")
    assert omar.get("/sips/SIP-KARN-01/consent").status_code == 404      # linked, but no grant
    assert "Nothing is shared with you right now." in text(omar.get("/following"))
    with app.app_context():
        db.begin_write()
        link = db.session.scalars(sa.select(RelativeLink).where(RelativeLink.person_id == karin)).one()
        link.grants.append(RelativeGrant(sip_id=sip, can_act=False))
        db.session.commit()
    assert omar.get("/sips/SIP-KARN-01/consent").status_code == 200
    clock.advance(days=9)                                                  # 11 March: past the end date
    type(auth)(omar).login("omar")
    assert omar.get("/sips/SIP-KARN-01/consent").status_code == 404
    assert "You do not follow anyone." in text(omar.get("/following"))


def test_relatives_pages_are_for_citizens_only(app, auth, demo, clock):
    sara = app.test_client()
    type(auth)(sara).login("sara")
    for path in ("/relatives", "/relatives/invite", "/following"):
        assert sara.get(path).status_code == 403
