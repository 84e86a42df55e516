"""My data: download everything as JSON and as a readable PDF; delete the account, erasing what is the
person's own and keeping, anonymised, what others must keep."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.consent_fixtures import EN, add_meeting, anna_sip_id
from tests.helpers import text
from webapp.extensions import db
from webapp.models import (
    RequestDraft,
    AccessLogEntry,
    ConsentRecord,
    Contact,
    Event,
    LoginAttempt,
    MeetingFeedback,
    Notification,
    NotificationPreference,
    PushSubscription,
    RelativeInvitation,
    RelativeLink,
    Sector,
    Sip,
    User,
    UserSession,
)
from webapp.services import events, my_data


@pytest.fixture
def anna(app, client, auth, clock, demo):
    """Anna logged in, with a contact, a notification, a push subscription and an open invitation."""
    meeting = add_meeting(app, anna_sip_id(app), timedelta(days=-7))
    with app.app_context():
        db.begin_write()
        anna_id = demo["anna"].id
        db.session.add_all([
            Contact(owner_id=anna_id, name="Dr Petra Ek", role_title="GP", sector=Sector.REGION_HEALTH,
                    organisation_name="Brandbergens vårdcentral", phone="+4687778100"),
            Notification(user_id=anna_id, kind=events.CONSENT_GIVEN, url="/"),
            NotificationPreference(user_id=anna_id, kind=events.CONSENT_GIVEN, inbox=True, push=False),
            PushSubscription(user_id=anna_id, endpoint="https://push.example/anna", p256dh="k", auth="a",
                             label="Anna's phone"),
            MeetingFeedback(meeting_id=meeting, user_id=anna_id, listened_to=5, knows_who_is_responsible=4,
                            knows_what_happens_next=4, understood_everything=5, overall=5, comment="Lena was kind"),
        ])
        db.session.commit()
    auth.login("anna")
    with app.app_context():
        eriks_request = db.session.scalars(sa.select(Sip.id).where(Sip.reference == "SIP-E4RK-2B")).one()
    client.post("/relatives/invite", data={"label": "My neighbour", f"sip_{anna_sip_id(app)}": "see",
                                           f"sip_{eriks_request}": "none"})
    return anna_id


def test_the_json_download_holds_everything_that_is_hers(app, client, anna):
    response = client.get("/privacy/my-data.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == 'attachment; filename="min-sip-my-data-2026-03-02.json"'
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == "anna@example.org" and data["account"]["name"] == "Anna Andersson"
    names = [c["name"] for c in data["contacts"]]
    assert "Dr Petra Ek" in names and "Lena Berg" in names and len(names) == 10  # nine from the demo, and hers
    assert {s["reference"] for s in data["sips"]} == {"SIP-7KQ4-M2", "SIP-E4RK-2B"}
    [sip] = [s for s in data["sips"] if s["reference"] == "SIP-7KQ4-M2"]
    assert sip["reference"] == "SIP-7KQ4-M2" and sip["sent_to"] == ["Haninge kommun", "Brandbergens vårdcentral"]
    assert [r["action"] for r in sip["consent_history"]] == ["give", "withdraw", "give"]
    assert sip["consent_history"][0]["method"] == "oral" and sip["consent_history"][0]["recorded_by"] == "Sara Lind"
    assert len(sip["meetings"]) == 1
    assert [r["relative"] for r in data["relatives"]] == ["Erik Andersson"]
    assert {"reference": "SIP-7KQ4-M2", "can_act": True} in data["relatives"][0]["sips"]
    assert [i["label"] for i in data["relative_invitations"]] == ["My neighbour"]
    assert "consent_given" in [n["kind"] for n in data["notifications"]]  # hers, and the demo's
    assert data["push_subscriptions"][0]["label"] == "Anna's phone"
    assert data["meeting_feedback"][0]["comment"] == "Lena was kind"
    assert len(data["access_log"]) == 5 and {e["actor_name"] for e in data["access_log"]} == {"Sara Lind", "Lena Berg"}
    body = response.get_data(as_text=True)
    assert "argon2" not in body and "token" not in body and "p256dh" not in body


def test_the_pdf_is_a_readable_copy_of_the_same(app, client, anna, monkeypatch):
    seen = {}
    real = my_data.render_pdf

    def keep_html(html, css):
        seen["html"] = html
        return real(html, css)

    monkeypatch.setattr(my_data, "render_pdf", keep_html)
    response = client.get("/privacy/my-data.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == 'attachment; filename="min-sip-my-data-2026-03-02.pdf"'
    assert response.data.startswith(b"%PDF-") and response.data.rstrip().endswith(b"%%EOF")
    page = text(seen["html"])
    for words in ("My data in Min SIP", "anna@example.org", "Dr Petra Ek", "SIP-7KQ4-M2 · Consent confirmed",
                  "Consent withdrawn (In the app, Anna Andersson)", "Consent given (Orally, Sara Lind)",
                  "Erik Andersson", "Sara Lind, Haninge kommun, read your consent", "Consent given",
                  "Lena Berg, Brandbergens vårdcentral, read your request"):
        assert words in page, words


def test_the_pdf_refuses_to_fetch_anything(app, caplog):
    caplog.set_level("WARNING", logger="webapp.services.documents")
    pdf = my_data.render_pdf('<p>Hello</p><img src="http://example.org/tracker.png">',
                             '@import url("http://example.org/x.css");')
    assert pdf.startswith(b"%PDF-")
    refused = {r.args[0] for r in caplog.records if r.name == "webapp.services.documents"}
    assert refused == {"http://example.org/tracker.png", "http://example.org/x.css"}


def test_the_page_explains_what_is_erased_and_what_stays_before_confirming(client, anna):
    page = text(client.get("/privacy/my-data"))
    assert "What is erased" in page and "What is kept, and why" in page
    assert "Care and social services must keep their records by law" in page
    assert "Deleting your account does not withdraw your consent or end your SIP." in page
    assert "Your consent is in force for: SIP-7KQ4-M2" in page


def test_deleting_needs_the_persons_own_email_typed(app, client, anna):
    for typed, message in (("", "Type your e-mail address to confirm."),
                           ("erik@example.org", "That is not your e-mail address. Type it exactly as shown above.")):
        response = client.post("/privacy/my-data/delete", data={"confirm_email": typed})
        assert response.status_code == 422
        assert message in text(response)
        assert f'value="{typed}"' in response.get_data(as_text=True) or not typed
    with app.app_context():
        assert db.session.get(User, anna).active


def test_deleting_erases_her_own_data_and_keeps_what_others_must_keep_anonymised(app, client, auth, anna, demo):
    client.get("/ask/")  # a request half-way through the form: a draft that is hers alone
    client.post("/ask/for_whom", data={"choice": "self"})
    client.post("/ask/purpose", data={"purpose": "Half-written"})
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(RequestDraft.id)).where(RequestDraft.user_id == anna)) == 1
    erik = app.test_client()
    type(auth)(erik).login("erik")
    assert erik.get("/sips/SIP-7KQ4-M2/consent").status_code == 200
    response = client.post("/privacy/my-data/delete", data={"confirm_email": "Anna@Example.org"})
    assert response.status_code == 303 and response.headers["Location"] == "/"
    assert "Your account is deleted." in text(client.get("/", headers=EN))
    assert client.get("/privacy/my-data").status_code == 302             # logged out
    with app.app_context():
        user = db.session.get(User, anna)
        assert user.name == "Deleted account" and "@" not in user.email and not user.active
        assert user.password_hash.startswith("!") and user.phone == ""
        for model, column in ((Contact, Contact.owner_id), (RelativeInvitation, RelativeInvitation.person_id),
                              (Notification, Notification.user_id), (PushSubscription, PushSubscription.user_id),
                              (NotificationPreference, NotificationPreference.user_id),
                              (UserSession, UserSession.user_id), (RequestDraft, RequestDraft.user_id)):
            assert db.session.scalar(sa.select(sa.func.count()).select_from(model).where(column == anna)) == 0, model
        assert db.session.scalar(sa.select(sa.func.count(RelativeLink.id)).where(
            sa.or_(RelativeLink.person_id == anna, RelativeLink.relative_id == anna))) == 0
        assert db.session.scalar(sa.select(sa.func.count(LoginAttempt.id)).where(
            LoginAttempt.email == "anna@example.org")) == 0
        feedback = db.session.scalars(sa.select(MeetingFeedback)).one()
        assert (feedback.user_id, feedback.comment, feedback.overall) == (None, "", 5)
        # Kept: the SIP, its consent history and the access log, pointing at the anonymised account.
        assert db.session.scalars(sa.select(Sip.person_id).where(Sip.reference == "SIP-7KQ4-M2")).one() == anna
        assert db.session.scalar(sa.select(sa.func.count(ConsentRecord.id))) == 3
        assert db.session.scalar(sa.select(sa.func.count(AccessLogEntry.id)).where(
            AccessLogEntry.person_id == anna)) == 6
        removed = db.session.scalars(sa.select(Event).where(Event.kind == events.RELATIVE_REMOVED)).one()
        assert removed.data["relative_id"] == demo["erik"].id
    assert auth.login("anna").status_code == 422                           # the account is gone
    # Erik loses access at once.
    assert erik.get("/sips/SIP-7KQ4-M2/consent").status_code == 404


def test_privacy_pages_are_for_citizens_only(app, auth, clock, demo):
    sara = app.test_client()
    type(auth)(sara).login("sara")
    for path in ("/privacy", "/privacy/my-data", "/privacy/my-data.json", "/privacy/my-data.pdf"):
        assert sara.get(path).status_code == 403
    assert sara.post("/privacy/my-data/delete", data={"confirm_email": "sara@example.org"}).status_code == 403
    with app.app_context():
        with pytest.raises(PermissionError):
            my_data.delete_account(db.session.get(User, demo["sara"].id))
