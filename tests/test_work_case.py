"""The case page (``work.case``) and its actions: acknowledge, take, decline, record consent, close."""
from __future__ import annotations

import sqlalchemy as sa

from tests.consent_fixtures import log_count
from tests.helpers import text
from tests.request_fixtures import org_id, user_id
from tests.request_fixtures import sip as sip_of
from webapp.extensions import db
from webapp.models import ConsentMethod, Event, Resource, SipStatus
from webapp.services import events

ANNA, OMAR = "SIP-7KQ4-M2", "SIP-H3RA-9P"
REASON = "Vi erbjuder inte den här hjälpen. Kontakta vårdcentralen i stället."


def _consent_form(app, **overrides) -> dict:
    data = {"method": "oral", "given_on": "2026-03-02", "purpose": "Samordna hemtjänst och vård",
            "organisation_ids": [org_id(app, "Haninge kommun")], "not_agreed": "Min ekonomi",
            "valid_until": "2026-12-31", "note": "Sagt i telefon"}
    data.update(overrides)
    return data


def test_the_case_page_shows_the_request_and_the_consent_and_is_logged(app, client, auth, clock, demo):
    auth.login("sara")
    before = log_count(app, actor_id=user_id(app, "sara"), resource=Resource.REQUEST)
    response = client.get(f"/work/sips/{OMAR}")
    assert response.status_code == 200
    page = text(response)
    assert f"SIP {OMAR}" in page and "For Omar Haddad" in page
    assert "Arabic" in page and "Easy-to-read text" in page and "070-123 45 03" in page
    assert "5 working days" in page and "Nobody has taken it" in page
    assert "What has happened" in page and "Not given yet" in page
    assert "Acknowledge the request" in page and "Decline the request" in page
    assert log_count(app, actor_id=user_id(app, "sara"), resource=Resource.REQUEST) == before + 1
    # Anna's SIP: consent given in the app, in force; the details read is logged as the SIP.
    page = text(client.get(f"/work/sips/{ANNA}"))
    assert "In force" in page and "Brandbergens vårdcentral and Haninge kommun" in page
    assert log_count(app, actor_id=user_id(app, "sara"), resource=Resource.SIP) >= 1


def test_the_old_request_address_leads_to_the_case_page(client, auth, demo):
    auth.login("sara")
    response = client.get(f"/work/requests/{OMAR}")
    assert response.status_code == 301 and response.headers["Location"].endswith(f"/work/sips/{OMAR}")


def test_acknowledging_shows_the_person_received_and_who_took_it(app, client, auth, clock, demo):
    auth.login("sara")
    response = client.post(f"/work/sips/{OMAR}/acknowledge")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/work/sips/{OMAR}")
    page = text(client.get(f"/work/sips/{OMAR}"))
    assert "Acknowledged. The person sees" in page
    assert "Mar 2, 2026 by Sara Lind" in page and "Acknowledge the request" not in page
    assert sip_of(app, OMAR).status == SipStatus.RECEIVED
    auth.logout()
    auth.login("omar")
    page = text(client.get(f"/requests/{OMAR}"))
    assert "Received Mar 2, 2026" in page and "Taken by Sara Lind" in page


def test_taking_the_case_makes_it_ones_own(app, client, auth, clock, demo):
    auth.login("sara")
    assert client.post(f"/work/sips/{OMAR}/take").status_code == 303
    page = text(client.get(f"/work/sips/{OMAR}"))
    assert "It is your case now." in page and "Case owner Sara Lind" in page
    assert "Take it as my case" not in page
    assert sip_of(app, OMAR).owner_id == user_id(app, "sara")
    auth.logout()
    auth.login("omar")
    assert "Sara Lind, Haninge kommun, has taken the request as their case." in text(client.get(f"/requests/{OMAR}"))


def test_declining_needs_a_written_reason_which_the_person_sees_with_where_to_turn(app, client, auth, clock, demo):
    auth.login("sara")
    response = client.post(f"/work/sips/{OMAR}/decline", data={"reason": "  "})
    assert response.status_code == 422
    assert "Write the reason for declining." in text(response) and "There is a problem" in text(response)
    response = client.post(f"/work/sips/{OMAR}/decline", data={"reason": "Nej tack"})
    assert response.status_code == 422
    assert "at least 10 characters" in text(response)
    assert "Nej tack</textarea>" in response.get_data(as_text=True)  # kept
    assert sip_of(app, OMAR).status == SipStatus.SENT
    assert client.post(f"/work/sips/{OMAR}/decline", data={"reason": REASON}).status_code == 303
    assert sip_of(app, OMAR).status == SipStatus.DECLINED
    assert "Declined on March 2, 2026" in text(client.get(f"/work/sips/{OMAR}"))
    auth.logout()
    auth.login("omar")
    page = text(client.get(f"/requests/{OMAR}"))
    assert "The request was declined" in page and REASON in page
    assert "patient advisory board" in page and "Haninge kommun" in page


def test_recording_an_oral_consent(app, client, auth, clock, demo):
    auth.login("sara")
    client.post(f"/work/sips/{OMAR}/acknowledge")
    form = client.get(f"/work/sips/{OMAR}/consent")
    assert form.status_code == 200
    assert "What does the person agree to?" in text(form) and "Orally" in text(form)
    response = client.post(f"/work/sips/{OMAR}/consent", data=_consent_form(app, organisation_ids=[]))
    assert response.status_code == 422
    assert "Choose at least one organisation." in text(response)
    assert "Sagt i telefon" in response.get_data(as_text=True)  # what was typed is kept
    response = client.post(f"/work/sips/{OMAR}/consent", data=_consent_form(app, valid_until="2027-06-01"))
    assert response.status_code == 422 and "Consent lasts at most one year." in text(response)
    response = client.post(f"/work/sips/{OMAR}/consent", data=_consent_form(app, given_on="2026-04-01"))
    assert response.status_code == 422 and "cannot be in the future" in text(response)
    response = client.post(f"/work/sips/{OMAR}/consent", data=_consent_form(app, method="app"))
    assert response.status_code == 422
    response = client.post(f"/work/sips/{OMAR}/consent", data=_consent_form(app))
    assert response.status_code == 303
    page = text(client.get(f"/work/sips/{OMAR}"))
    assert "The consent is recorded." in page and "In force" in page
    assert "Orally, recorded by Sara Lind" in page and "Min ekonomi" in page
    assert sip_of(app, OMAR).status == SipStatus.CONSENT_CONFIRMED
    auth.logout()
    auth.login("omar")
    page = text(client.get(f"/sips/{OMAR}/consent"))
    assert "Samordna hemtjänst och vård" in page and "Sara Lind" in page
    assert client.get(f"/sips/{OMAR}/consent/withdraw").status_code == 200
    assert client.post(f"/sips/{OMAR}/consent/withdraw").status_code == 303
    auth.logout()
    auth.login("sara")
    page = text(client.get(f"/work/sips/{OMAR}"))  # the stub: that it was withdrawn, nothing more
    assert "withdrew their consent" in page and "Omar" not in page and "Arabic" not in page
    assert client.get(f"/work/sips/{OMAR}/consent").status_code == 404


def test_closing_needs_a_reason_and_tells_everyone(app, client, auth, clock, demo):
    auth.login("sara")
    response = client.post(f"/work/sips/{ANNA}/close", data={"reason": "kort"})
    assert response.status_code == 422 and "at least 10 characters" in text(response)
    assert sip_of(app, ANNA).status != SipStatus.CLOSED
    assert client.post(f"/work/sips/{ANNA}/close", data={"reason": "Målen är nådda, Anna klarar sig."}).status_code == 303
    assert sip_of(app, ANNA).status == SipStatus.CLOSED
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Event.id)).where(Event.kind == events.SIP_CLOSED)) == 1
    page = text(client.get(f"/work/sips/{ANNA}"))
    assert "Closed on March 2, 2026" in page and "What you can do" not in page
    # An ended SIP takes no more actions.
    client.post(f"/work/sips/{ANNA}/acknowledge")
    assert "This SIP has ended." in text(client.get(f"/work/sips/{ANNA}"))
    owner = sip_of(app, ANNA).owner_id
    assert client.post(f"/work/sips/{ANNA}/take").status_code == 303
    assert "This SIP has ended." in text(client.get(f"/work/sips/{ANNA}"))
    assert sip_of(app, ANNA).owner_id == owner
    response = client.get(f"/work/sips/{ANNA}/consent")
    assert response.status_code == 303


def test_nils_outside_the_consent_sees_nothing_and_gets_no_action(app, client, auth, clock, demo):
    auth.login("nils")
    before = sip_of(app, ANNA)
    for url in [f"/work/sips/{ANNA}", f"/work/sips/{ANNA}/consent", f"/work/sips/{OMAR}"]:
        assert client.get(url).status_code == 404
    for action, data in [("acknowledge", {}), ("take", {}), ("decline", {"reason": REASON}),
                         ("close", {"reason": REASON}), ("consent", _consent_form(app))]:
        assert client.post(f"/work/sips/{ANNA}/{action}", data=data).status_code == 404
        assert client.post(f"/work/sips/{OMAR}/{action}", data=data).status_code == 404
    after = sip_of(app, ANNA)
    assert (after.status, after.owner_id, after.closed_at) == (before.status, before.owner_id, before.closed_at)
    assert sip_of(app, OMAR).status == SipStatus.SENT
    assert log_count(app, actor_id=user_id(app, "nils")) == 0


def test_an_organisation_the_request_never_went_to_gets_404(app, client, auth, clock, demo):
    auth.login("lena")  # Omar's request went to Haninge kommun only
    assert client.get(f"/work/sips/{OMAR}").status_code == 404
    assert client.post(f"/work/sips/{OMAR}/acknowledge").status_code == 404


def test_citizens_have_no_case_page(client, auth, demo):
    auth.login("anna")
    assert client.get(f"/work/sips/{ANNA}").status_code == 403
    assert client.post(f"/work/sips/{ANNA}/close", data={"reason": REASON}).status_code == 403


def test_the_consent_method_is_stored(app, client, auth, clock, demo):
    auth.login("sara")
    client.post(f"/work/sips/{OMAR}/consent", data=_consent_form(app, method="paper"))
    with app.app_context():
        from webapp.services.consent_state import state_of
        assert state_of(sip_of(app, OMAR).id).record.method == ConsentMethod.PAPER
