"""The organisations' queue (minimal): requests sent to one's organisation, oldest first."""
from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from tests.helpers import text
from tests.request_fixtures import org_id, send, user_id
from webapp.extensions import db
from webapp.models import AccessLogEntry, ConsentAction, ConsentMethod, ConsentRecord, Organisation, Sip, SipStatus


def _log(app) -> list[AccessLogEntry]:
    """The log entries the test's requests made (the demo data has its own, from before)."""
    with app.app_context():
        return list(db.session.scalars(sa.select(AccessLogEntry).where(AccessLogEntry.at >= _test_start())
                                       .order_by(AccessLogEntry.id)))


def _test_start():
    return datetime(2026, 3, 2, 9, tzinfo=UTC)  # the frozen clock starts then; the demo wrote before


def test_the_queue_lists_requests_to_the_organisation_oldest_first(app, client, auth, clock, demo):
    auth.login("sara")
    response = client.get("/work/")
    assert response.status_code == 200
    page = text(response)
    assert "Requests for Haninge kommun" in page
    assert page.index("SIP-7KQ4-M2") < page.index("SIP-H3RA-9P") < page.index("SIP-E4RK-2B")
    assert "Anna Andersson" in page and "Omar Haddad" in page and "asked by Erik Andersson" in page
    assert "Jag vill att hemtjänsten" in page  # the purpose
    assert "5 working days" in page and "Nobody has taken it" in page
    assert "Received" in page


def test_each_organisation_sees_only_its_own_queue(app, client, auth, clock, demo):
    auth.login("lena")
    page = text(client.get("/work/"))
    assert "SIP-7KQ4-M2" in page and "SIP-E4RK-2B" in page and "SIP-H3RA-9P" not in page
    auth.logout()
    auth.login("nils")
    page = text(client.get("/work/"))
    assert "No requests are waiting for your organisation." in page
    assert "SIP-" not in page


def test_a_new_request_reaches_each_chosen_organisations_queue(app, client, auth, clock, demo):
    auth.login("anna")
    reference = send(client, app, organisations={"ids": [org_id(app, "Vendelsö vårdcentral"),
                                                         org_id(app, "Nynäshamns kommun")]})
    auth.logout()
    auth.login("nils")
    assert reference in text(client.get("/work/"))
    auth.logout()
    auth.login("sara")
    assert reference not in text(client.get("/work/"))


def test_listing_and_opening_a_request_is_logged_for_the_person(app, client, auth, clock, demo):
    auth.login("sara")
    client.get("/work/")
    entries = _log(app)
    assert {entry.person_id for entry in entries} == {user_id(app, "anna"), user_id(app, "omar")}
    assert all(entry.actor_name == "Sara Lind" and entry.actor_organisation == "Haninge kommun" for entry in entries)
    client.get("/work/")  # the list again the same day: not logged twice
    assert len(_log(app)) == len(entries)
    response = client.get("/work/sips/SIP-H3RA-9P")
    assert response.status_code == 200
    page = text(response)
    assert "SIP SIP-H3RA-9P" in page and "For Omar Haddad" in page
    assert "Arabic" in page and "Easy-to-read text" in page and "070-123 45 03" in page
    assert len(_log(app)) == len(entries) + 1
    clock.advance(days=1)
    auth.login("sara")  # a new working day, a new session
    client.get("/work/")  # the next day the list is logged again
    assert len(_log(app)) == 2 * len(entries) + 1


def test_a_professional_outside_the_request_gets_404(app, client, auth, clock, demo):
    auth.login("nils")
    assert client.get("/work/sips/SIP-7KQ4-M2").status_code == 404
    assert client.get("/work/sips/SIP-NONE-00").status_code == 404
    assert _log(app) == []


def test_withdrawn_requests_leave_the_queue(app, client, auth, clock, demo):
    auth.login("omar")
    client.post("/requests/SIP-H3RA-9P/withdraw")
    auth.logout()
    auth.login("sara")
    assert "SIP-H3RA-9P" not in text(client.get("/work/"))


def test_once_consent_is_given_only_the_organisations_inside_it_see_the_request(app, client, auth, clock, demo):
    with app.app_context():
        anna_sip = db.session.scalars(sa.select(Sip).where(Sip.reference == "SIP-7KQ4-M2")).one()
        record = ConsentRecord(sip_id=anna_sip.id, action=ConsentAction.GIVE, method=ConsentMethod.ORAL,
                               recorded_by_id=user_id(app, "sara"), created_at=datetime(2026, 2, 10, tzinfo=UTC))
        record.organisations = [db.session.get(Organisation, org_id(app, "Haninge kommun"))]
        db.session.add(record)
        anna_sip.status = SipStatus.CONSENT_CONFIRMED
        db.session.commit()
    auth.login("lena")
    assert "SIP-7KQ4-M2" not in text(client.get("/work/"))
    assert client.get("/work/sips/SIP-7KQ4-M2").status_code == 404
    auth.logout()
    auth.login("sara")
    assert "SIP-7KQ4-M2" in text(client.get("/work/"))


def test_the_workspace_points_to_the_queue(client, auth, demo):
    auth.login("sara")
    body = client.get("/").get_data(as_text=True)
    assert 'href="/work/"' in body
    assert "Requests for your organisation" in text(client.get("/"))


def test_citizens_have_no_workspace(client, auth, demo):
    auth.login("anna")
    assert client.get("/work/").status_code == 403
    assert client.get("/work/sips/SIP-7KQ4-M2").status_code == 403
