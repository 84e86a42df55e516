"""The access matrix: every URL of this feature that shows a person's data, and the access service
for a SIP's request and details, asked by everyone who might ask, with exactly the expected outcome.

Anna's SIP-7KQ4-M2 (demo) has a live consent for Haninge kommun and Brandbergens vårdcentral.
Who asks:

- ``anna``  the person;
- ``erik``  a relative with a live link and a grant for the SIP;
- ``rita``  a relative whose link Anna removed (she had a grant);
- ``ulf``   a relative whose link ended yesterday (he had a grant);
- ``gun``   a relative with a live link whose grant for the SIP was removed;
- ``omar``  another person;
- ``sara``  a professional of an organisation inside the consent (Haninge kommun);
- ``nils``  a professional outside it (Nynäshamns kommun);
- ``None``  anonymous.
"""
from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from tests.consent_fixtures import anna_sip_id, link_relative, log_count, make_citizen, user
from webapp.extensions import db
from webapp.models import RelativeGrant, RelativeLink, Resource, Sip
from webapp.services import access, consent
from webapp.services import clock as app_clock
from webapp.services.access import Standing

VIEWERS = ["anna", "erik", "rita", "ulf", "gun", "omar", "sara", "nils", None]
OWN = "own"   # 200, the viewer's own page: none of Anna's data on it
SHOWN = 200   # 200, with Anna's data on it

CONSENT = "/sips/SIP-7KQ4-M2/consent"
WORK_CASE = "/work/sips/SIP-7KQ4-M2"
PURPOSE = "Jag vill att hemtjänsten, distriktssköterskan och rehab"

#: url → (words that only Anna's data has, expected outcome per viewer). One table.
MATRIX = {
    CONSENT: (PURPOSE, dict(anna=SHOWN, erik=SHOWN, rita=404, ulf=404, gun=404, omar=404, sara=SHOWN, nils=404, anonymous=302)),
    CONSENT + "/change": (PURPOSE, dict(anna=SHOWN, erik=404, rita=404, ulf=404, gun=404, omar=404, sara=404, nils=404, anonymous=302)),
    CONSENT + "/withdraw": ("Brandbergens vårdcentral and Haninge kommun may no longer share",
                            dict(anna=SHOWN, erik=404, rita=404, ulf=404, gun=404, omar=404, sara=404, nils=404, anonymous=302)),
    CONSENT + "/give": ("", dict(anna=303, erik=404, rita=404, ulf=404, gun=404, omar=404, sara=404, nils=404, anonymous=302)),
    CONSENT + "/renew": ("", dict(anna=303, erik=404, rita=404, ulf=404, gun=404, omar=404, sara=404, nils=404, anonymous=302)),
    # Issue 5, part A: the professional's case page and its consent form (citizens have no workspace).
    WORK_CASE: (PURPOSE, dict(anna=403, erik=403, rita=403, ulf=403, gun=403, omar=403, sara=SHOWN, nils=404, anonymous=302)),
    WORK_CASE + "/consent": (PURPOSE, dict(anna=403, erik=403, rita=403, ulf=403, gun=403, omar=403, sara=SHOWN, nils=404, anonymous=302)),
    # The workspace's meetings (issue 5): the booking form shows the request's purpose; the list of a
    # professional's own invitations shows no one else's.
    "/work/sips/SIP-7KQ4-M2/meetings/new": (PURPOSE, dict(anna=403, erik=403, rita=403, ulf=403, gun=403, omar=403, sara=SHOWN, nils=404, anonymous=302)),
    "/work/invitations": (PURPOSE, dict(anna=403, erik=403, rita=403, ulf=403, gun=403, omar=403, sara=OWN, nils=OWN, anonymous=302)),
    "/relatives": ("Erik Andersson", dict(anna=SHOWN, erik=OWN, rita=OWN, ulf=OWN, gun=OWN, omar=OWN, sara=403, nils=403, anonymous=302)),
    "/following": ("Anna Andersson", dict(anna=OWN, erik=SHOWN, rita=OWN, ulf=OWN, gun=SHOWN, omar=OWN, sara=403, nils=403, anonymous=302)),
    "/privacy/access-log": ("Sara Lind, Haninge kommun, read your",
                            dict(anna=SHOWN, erik=OWN, rita=OWN, ulf=OWN, gun=OWN, omar=OWN, sara=403, nils=403, anonymous=302)),
    "/privacy/my-data": ("SIP-7KQ4-M2", dict(anna=SHOWN, erik=OWN, rita=OWN, ulf=OWN, gun=OWN, omar=OWN, sara=403, nils=403, anonymous=302)),
    "/privacy/my-data.json": ("SIP-7KQ4-M2", dict(anna=SHOWN, erik=OWN, rita=OWN, ulf=OWN, gun=OWN, omar=OWN, sara=403, nils=403, anonymous=302)),
}

#: The plan on the professional's side (issue 5): only staff inside the consent, every read logged.
WORK_PLAN = "/work/sips/SIP-7KQ4-M2/plan"
STAFF_ONLY = dict(anna=403, erik=403, rita=403, ulf=403, gun=403, omar=403, sara=SHOWN, nils=404, anonymous=302)
MATRIX.update({
    WORK_PLAN: ("The plan of Anna Andersson", STAFF_ONLY),
    WORK_PLAN + "/versions": ("All versions of the plan of Anna Andersson", STAFF_ONLY),
    WORK_PLAN + "/compare": ("Compare versions of the plan of Anna Andersson", STAFF_ONLY),
})

#: Reads of the SIP itself, which are logged for everyone but the person.
LOGGED = {CONSENT, WORK_CASE, WORK_CASE + "/consent", "/work/sips/SIP-7KQ4-M2/meetings/new", WORK_PLAN,
          WORK_PLAN + "/versions", WORK_PLAN + "/compare"}


@pytest.fixture
def world(app, clock, demo):
    """The demo, plus Rita (removed), Ulf (ended yesterday) and Gun (no grant any more)."""
    sip = anna_sip_id(app)
    anna = demo["anna"].id
    rita = make_citizen(app, "Rita Berg", "rita@example.org")
    ulf = make_citizen(app, "Ulf Berg", "ulf@example.org")
    gun = make_citizen(app, "Gun Berg", "gun@example.org")
    rita_link = link_relative(app, anna, rita, {sip: True})
    link_relative(app, anna, ulf, {sip: True}, ends_on=date(2026, 3, 1))
    gun_link = link_relative(app, anna, gun, {sip: False})
    with app.app_context():
        db.begin_write()
        removed = db.session.get(RelativeLink, rita_link)
        removed.removed_at, removed.removed_by_id = app_clock.now(), anna
        db.session.execute(sa.delete(RelativeGrant).where(RelativeGrant.link_id == gun_link))
        db.session.commit()
    return {"sip": sip}


def _client(app, auth, who):
    client = app.test_client()
    if who is not None:
        email = f"{who}@example.org"
        assert type(auth)(client).login(email).status_code == 303
    return client


CASES = [(url, who) for url in MATRIX for who in VIEWERS]


@pytest.mark.parametrize("url, who", CASES, ids=[f"{url} as {who or 'anonymous'}" for url, who in CASES])
def test_the_access_matrix(app, auth, world, url, who):
    marker, expected_by = MATRIX[url]
    expected = expected_by[who or "anonymous"]
    client = _client(app, auth, who)
    before = log_count(app)
    response = client.get(url, headers={"Accept-Language": "en"})
    body = response.get_data(as_text=True)
    if expected in (SHOWN, OWN):
        assert response.status_code == 200
        assert (marker in body) is (expected == SHOWN), (url, who, marker)
    else:
        assert response.status_code == expected
        if expected == 302:
            assert response.headers["Location"].startswith("/login?next=")
        assert PURPOSE not in body
    # The log has exactly one record per read by someone else, and none for the person or a refusal.
    logged = 1 if url in LOGGED and expected == SHOWN and who != "anna" else 0
    assert log_count(app) == before + logged


#: The access service itself, for the request and the details: standing, request, details, act, work.
LIVE = {
    "anna": (Standing.PERSON, True, True, True, False),
    "erik": (Standing.RELATIVE, True, True, True, False),
    "rita": (Standing.NONE, False, False, False, False),
    "ulf": (Standing.NONE, False, False, False, False),
    "gun": (Standing.NONE, False, False, False, False),
    "omar": (Standing.NONE, False, False, False, False),
    "sara": (Standing.PROFESSIONAL, True, True, False, True),
    "lena": (Standing.PROFESSIONAL, True, True, False, True),
    "nils": (Standing.NONE, False, False, False, False),
    "admin": (Standing.NONE, False, False, False, False),
}
#: Once the consent is withdrawn or expired: the person alone; staff involved keep the stub.
LOST = {**{who: (Standing.NONE, False, False, False, False) for who in LIVE},
        "anna": (Standing.PERSON, True, True, True, False),
        "sara": (Standing.STUB, False, False, False, False),
        "lena": (Standing.STUB, False, False, False, False)}


def _decisions(sip_id):
    sip = db.session.get(Sip, sip_id)
    result = {}
    for who in LIVE:
        decided = access.access_to(user(who), sip)
        result[who] = (decided.standing, decided.can_read_request, decided.can_read_details, decided.can_act,
                       decided.can_work)
    return result


def test_the_access_service_decides_for_each_viewer_and_withdrawal_cuts_it_at_once(app, world, clock):
    with app.test_request_context():
        assert _decisions(world["sip"]) == LIVE
        assert access.access_to(None, db.session.get(Sip, world["sip"])).standing == Standing.NONE
        consent.withdraw(user("anna"), db.session.get(Sip, world["sip"]))
        assert _decisions(world["sip"]) == LOST


def test_expiry_cuts_access_on_the_very_next_day(app, world, clock):
    with app.test_request_context():
        last_day = consent.consents_ending_between(date(2026, 1, 1), date(2030, 1, 1))[0].valid_until
        clock.set(clock.current.replace(year=last_day.year, month=last_day.month, day=last_day.day))
        # On its last day the consent is still in force (Rita, Ulf and Gun are out either way)...
        decisions = _decisions(world["sip"])
        assert decisions["sara"] == LIVE["sara"] and decisions["erik"] == LIVE["erik"]
        clock.set(clock.current.replace(hour=23, minute=1))        # ...past midnight in Sweden, it is not
        assert app_clock.today() > last_day
        assert _decisions(world["sip"]) == LOST


def test_before_any_consent_only_the_request_is_shared_with_the_organisations_it_went_to(app, clock, demo):
    karin = make_citizen(app, "Karin Persson", "karin@example.org")
    from tests.consent_fixtures import make_sip

    sip_id = make_sip(app, karin, "SIP-KARN-01", organisations=("Haninge kommun",))
    with app.test_request_context():
        sip = db.session.get(Sip, sip_id)
        sara, lena, nils = (access.access_to(user(who), sip) for who in ("sara", "lena", "nils"))
        assert (sara.standing, sara.can_read_request, sara.can_read_details, sara.can_work) == (
            Standing.PROFESSIONAL, True, False, True)
        assert lena.standing == nils.standing == Standing.NONE


def test_every_read_through_the_wrappers_writes_one_entry_in_the_same_transaction(app, world, clock):
    with app.test_request_context():
        sip = db.session.get(Sip, world["sip"])
        before = log_count(app)
        access.require_request(user("sara"), sip)
        access.require_details(user("erik"), sip, Resource.PLAN)
        access.require_act(user("erik"), sip)
        access.require_work(user("lena"), sip, details=True)
        access.require_details(user("anna"), sip, Resource.PLAN)        # the person: not logged
        assert access.require_person(user("anna"), sip).is_person
        db.session.commit()
        assert log_count(app) == before + 4
        from werkzeug.exceptions import NotFound

        for call in (lambda: access.require_details(user("nils"), sip, Resource.PLAN),
                     lambda: access.require_request(user("omar"), sip),
                     lambda: access.require_act(user("sara"), sip),
                     lambda: access.require_work(user("erik"), sip),
                     lambda: access.require_person(user("erik"), sip)):
            with pytest.raises(NotFound):
                call()
        db.session.commit()
        assert log_count(app) == before + 4


def test_a_requester_follows_the_request_only_while_the_person_lets_them(app, clock, demo):
    """A relative who sent the request on the person's behalf sees the request itself; once the
    consent is withdrawn (or the link removed) they see nothing, like every relative."""
    from tests.consent_fixtures import make_sip

    karin = make_citizen(app, "Karin Persson", "karin@example.org")
    bo = make_citizen(app, "Bo Persson", "bo@example.org")
    sip_id = make_sip(app, karin, "SIP-KARN-01", requested_by_id=bo)
    link_id = link_relative(app, karin, bo)
    with app.test_request_context():
        sip = db.session.get(Sip, sip_id)
        bo_user = user("bo@example.org")
        decided = access.access_to(bo_user, sip)
        assert (decided.standing, decided.can_read_request, decided.can_read_details) == (Standing.REQUESTER, True, False)
        consent.give(user("karin@example.org"), sip, consent.ConsentTerms(
            purpose="Help", organisation_ids=[r.organisation_id for r in sip.recipients],
            valid_until=date(2026, 12, 31)))
        assert access.access_to(bo_user, sip).standing == Standing.REQUESTER
        consent.withdraw(user("karin@example.org"), sip)
        assert access.access_to(bo_user, sip).standing == Standing.NONE
        consent.give(user("karin@example.org"), sip, consent.ConsentTerms(
            purpose="Help", organisation_ids=[r.organisation_id for r in sip.recipients],
            valid_until=date(2026, 12, 31)))
        db.begin_write()
        db.session.get(RelativeLink, link_id).removed_at = app_clock.now()
        db.session.commit()
        assert access.access_to(bo_user, sip).standing == Standing.NONE
