"""Consent through HTTP: the overview and history, giving with a summary first, changing, renewing,
withdrawing in one confirmation, and the refusals, as the person and others see them."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from tests.consent_fixtures import add_meeting, anna_sip_id, link_relative, log_count, make_citizen, make_sip, organisation, user
from tests.helpers import text
from webapp.extensions import db
from webapp.models import ConsentAction, ConsentMethod, ConsentRecord, Meeting, MeetingStatus, Sip, SipStatus
from webapp.services import consent
from webapp.services.consent_state import ConsentStatus, state_of

ANNA = "/sips/SIP-7KQ4-M2/consent"
KARIN = "/sips/SIP-KARN-01/consent"


@pytest.fixture
def karin(app, clock, demo, client, auth):
    """Karin, logged in, with a SIP sent to Haninge kommun and Brandbergens vårdcentral, and Bo, her relative."""
    karin_id = make_citizen(app, "Karin Persson", "karin@example.org")
    bo_id = make_citizen(app, "Bo Persson", "bo@example.org")
    sip_id = make_sip(app, karin_id, "SIP-KARN-01", purpose="Help at home after my fall")
    link_relative(app, karin_id, bo_id)
    auth.login("karin@example.org")
    return {"id": karin_id, "bo": bo_id, "sip": sip_id}


def _ids(app, *names):
    with app.app_context():
        return [organisation(name).id for name in names]


def _form(app, karin, **overrides):
    data = {"purpose": "Help at home after my fall", "organisation_ids": _ids(app, "Haninge kommun"),
            "not_agreed": "", "relative_ids": [karin["bo"]], "valid_until": "2027-03-01", "step": "preview"}
    data.update(overrides)
    return data


def _records(app, sip_id):
    with app.app_context():
        return db.session.scalars(sa.select(ConsentRecord).where(ConsentRecord.sip_id == sip_id)
                                  .order_by(ConsentRecord.id)).all()


def test_anna_sees_her_consent_in_force_and_its_history_newest_first(client, auth, clock, demo):
    auth.login("anna")
    page = text(client.get(ANNA))
    assert "Your consent is in force until" in page
    assert "Who may share information with each other Brandbergens vårdcentral and Haninge kommun" in page
    assert "Relatives who take part Erik Andersson" in page
    history = page[page.index("History"):]
    given_now, withdrawn, given_orally = (history.index(words) for words in (
        "Consent given By you, in the app.", "Consent withdrawn By you, in the app.",
        "Consent given Given orally. Written down by Sara Lind, Haninge kommun."))
    assert given_now < withdrawn < given_orally
    assert "Anna gav sitt samtycke muntligt vid hembesöket." in history
    assert "Change consent" in page and "Withdraw consent" in page


def test_giving_consent_shows_a_summary_before_anything_is_recorded(app, client, karin):
    form = client.get(f"{KARIN}/give")
    body = form.get_data(as_text=True)
    assert form.status_code == 200
    assert "Help at home after my fall" in body                       # the purpose, from the request
    assert 'value="2027-03-01"' in body and 'max="2027-03-01"' in body  # one year by default, at most
    assert "At most one year: March 1, 2027 at the latest." in text(form)
    for org_id in _ids(app, "Haninge kommun", "Brandbergens vårdcentral"):
        assert re.search(rf'<input checked id="organisation_ids-\d" name="organisation_ids" type="checkbox" '
                         rf'value="{org_id}">', body)                       # those in the request, ticked
    assert "In your request" in text(form) and "Bo Persson" in text(form)

    summary = client.post(f"{KARIN}/give", data=_form(app, karin, not_agreed="My finances"))
    page = text(summary)
    assert summary.status_code == 200 and "Check your consent" in page
    assert "Who may share information about you with each other Haninge kommun" in page
    assert "What you do not agree to My finances" in page
    assert "Relatives who take part Bo Persson" in page
    assert "From March 2, 2026 to March 1, 2027" in page
    assert "Confirm and give consent" in page
    assert _records(app, karin["sip"]) == []

    done = client.post(f"{KARIN}/give", data=_form(app, karin, not_agreed="My finances", step="confirm"))
    assert done.status_code == 303 and done.headers["Location"] == KARIN
    overview = text(client.get(KARIN))
    assert "Thank you. Your consent is given." in overview
    assert "Your consent is in force until March 1, 2027." in overview
    [record] = _records(app, karin["sip"])
    assert (record.action, record.method, record.not_agreed, record.valid_until) == (
        ConsentAction.GIVE, ConsentMethod.APP, "My finances", date(2027, 3, 1))


def test_change_your_answers_goes_back_to_the_form_keeping_them(app, client, karin):
    back = client.post(f"{KARIN}/give", data=_form(app, karin, purpose="Only home help", step="edit"))
    assert back.status_code == 200
    body = back.get_data(as_text=True)
    assert "Only home help" in body and "Continue to the summary" in body
    assert "There is a problem" not in body


@pytest.mark.parametrize("overrides, message, field", [
    ({"purpose": ""}, "Write what the consent is for.", "purpose"),
    ({"organisation_ids": []}, "Choose at least one organisation.", "organisation_ids"),
    ({"valid_until": "2027-03-02"}, "Consent lasts at most one year. Choose March 1, 2027 or earlier.", "valid_until"),
    ({"valid_until": "2026-03-01"}, "The end date cannot be before March 2, 2026.", "valid_until"),
    ({"valid_until": "1/3/2027"}, "Enter a date like 2027-03-01 (year, month, day).", "valid_until"),
    ({"valid_until": ""}, "Enter the date the consent ends.", "valid_until"),
    ({"organisation_ids": ["999999"]}, "Choose from the list.", "organisation_ids"),
    ({"relative_ids": ["x"]}, "Choose from the list.", "relative_ids"),
])
def test_bad_answers_get_a_clear_message_next_to_the_field_and_keep_what_was_typed(app, client, karin, overrides,
                                                                                    message, field):
    response = client.post(f"{KARIN}/give", data=_form(app, karin, not_agreed="Kept text", **overrides))
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "There is a problem" in text(response)
    assert f'<a href="#{field}">{message}</a>' in body                  # in the error summary
    assert f'id="{field}-error"' in body and message in body            # and next to the field
    assert "Kept text" in body
    assert _records(app, karin["sip"]) == []


def test_withdrawing_takes_one_confirmation_and_cuts_access_at_once(app, client, auth, karin, clock):
    add_meeting(app, karin["sip"], timedelta(days=14))
    client.post(f"{KARIN}/give", data=_form(app, karin, step="confirm"))
    confirm = client.get(f"{KARIN}/withdraw")
    page = text(confirm)
    assert confirm.status_code == 200 and "Withdraw your consent?" in page
    assert "Haninge kommun may no longer share information about you." in page
    assert "1 planned meeting is cancelled." in page
    assert "Your relatives can no longer see this SIP." in page

    done = client.post(f"{KARIN}/withdraw")
    assert done.status_code == 303 and done.headers["Location"] == KARIN
    overview = text(client.get(KARIN))
    assert "Your consent is withdrawn." in overview
    assert "You withdrew your consent on March 2, 9:00 AM." not in overview  # in Swedish time:
    assert "You withdrew your consent on March 2, 10:00 AM." in overview
    assert "Give a new consent" in overview
    with app.app_context():
        assert state_of(karin["sip"]).status == ConsentStatus.WITHDRAWN
        assert db.session.scalars(sa.select(Meeting.status)).one() == MeetingStatus.CANCELLED
    # Sara, inside the consent a moment ago, no longer reaches it on her very next request.
    other = app.test_client()
    type(auth)(other).login("sara")
    assert other.get(KARIN).status_code == 404
    # Nothing left to withdraw: the page says so instead of offering it.
    again = client.get(f"{KARIN}/withdraw")
    assert again.status_code == 303
    assert "There is no consent in force to withdraw." in text(client.get(KARIN))


def test_a_change_keeps_the_period_and_cannot_extend_it(app, client, karin):
    client.post(f"{KARIN}/give", data=_form(app, karin, valid_until="2026-12-31", step="confirm"))
    assert client.get(f"{KARIN}/give").status_code == 303                 # already given: change it instead
    page = client.get(f"{KARIN}/change")
    assert "The end can stay or come sooner: December 31, 2026 at the latest." in text(page)
    too_long = client.post(f"{KARIN}/change", data=_form(app, karin, valid_until="2027-01-01"))
    assert too_long.status_code == 422
    assert "A change cannot make the consent last longer." in text(too_long)
    both = _ids(app, "Haninge kommun", "Brandbergens vårdcentral")
    summary = client.post(f"{KARIN}/change", data=_form(app, karin, organisation_ids=both, valid_until="2026-12-31"))
    assert "Confirm the change" in text(summary)
    assert "Bo Persson will no longer see this SIP." not in text(summary)
    leaving = client.post(f"{KARIN}/change", data=_form(app, karin, organisation_ids=both, relative_ids=[],
                                                        valid_until="2026-12-31"))
    assert "Bo Persson will no longer see this SIP." in text(leaving)
    client.post(f"{KARIN}/change", data=_form(app, karin, organisation_ids=both, valid_until="2026-12-31",
                                              step="confirm"))
    records = _records(app, karin["sip"])
    assert [r.action for r in records] == [ConsentAction.GIVE, ConsentAction.CHANGE]
    assert "Your consent is changed." in text(client.get(KARIN))


def test_renewing_is_offered_from_30_days_before_the_end(app, client, auth, karin, clock):
    client.post(f"{KARIN}/give", data=_form(app, karin, valid_until="2026-04-02", step="confirm"))
    assert "Renew it" not in text(client.get(KARIN))                       # 31 days left
    assert client.get(f"{KARIN}/renew").status_code == 303
    clock.advance(days=1)                                                  # 3 March: 30 days left
    auth.login("karin@example.org")                                        # (a day later: a new session)
    overview = text(client.get(KARIN))
    assert "Your consent ends on April 2, 2026. Renew it to keep sharing in this SIP." in overview
    home = text(client.get("/"))
    assert "Your consent for SIP-KARN-01 ends on April 2, 2026. Renew it" in home
    form = client.get(f"{KARIN}/renew")
    assert 'value="2027-03-02"' in form.get_data(as_text=True)             # one more year from today
    done = client.post(f"{KARIN}/renew", data=_form(app, karin, valid_until="2027-03-02", step="confirm"))
    assert done.status_code == 303
    assert "Your consent is renewed." in text(client.get(KARIN))
    assert [r.action for r in _records(app, karin["sip"])] == [ConsentAction.GIVE, ConsentAction.RENEW]
    assert "ends on" not in text(client.get("/"))


def test_a_closed_sip_explains_that_a_new_question_needs_a_new_consent(app, client, karin):
    with app.app_context():
        db.begin_write()
        db.session.get(Sip, karin["sip"]).status = SipStatus.CLOSED
        db.session.commit()
    page = client.get(f"{KARIN}/give")
    assert page.status_code == 200
    assert "This SIP is closed. A new question needs a new SIP, with a new consent" in text(page)
    assert "Continue to the summary" not in text(page)
    refused = client.post(f"{KARIN}/give", data=_form(app, karin, step="confirm"))
    assert refused.status_code == 409
    assert _records(app, karin["sip"]) == []
    assert "Give consent" not in text(client.get(KARIN))


def test_a_consent_recorded_by_staff_shows_in_the_persons_history_and_can_be_withdrawn(app, client, karin):
    with app.test_request_context():
        consent.record_by_professional(
            user("sara"), db.session.get(Sip, karin["sip"]), method=ConsentMethod.PAPER,
            terms=consent.ConsentTerms(purpose="Help at home", organisation_ids=_ids(app, "Haninge kommun"),
                                       valid_until=date(2026, 12, 31)),
            note="Signed form in the case file.")
    page = text(client.get(KARIN))
    assert "Given on paper. Written down by Sara Lind, Haninge kommun." in page
    assert "Signed form in the case file." in page
    assert client.post(f"{KARIN}/withdraw").status_code == 303
    assert [r.action for r in _records(app, karin["sip"])] == [ConsentAction.GIVE, ConsentAction.WITHDRAW]


def test_no_consent_yet_says_what_is_shared_until_then(app, client, karin):
    page = text(client.get(KARIN))
    assert "You have not given consent yet. Until you do, only your request is shared" in page
    assert "Give consent" in page
    assert "SIP-KARN-01 : Not given yet" in text(client.get("/"))


def test_a_relative_reads_the_consent_but_never_gives_or_withdraws_it(app, client, auth, clock, demo):
    auth.login("erik")
    page = client.get(ANNA)
    assert page.status_code == 200
    words = text(page)
    assert "The consent Anna Andersson has given for this SIP." in words
    assert "Only Anna Andersson can give, change or withdraw this consent." in words
    assert "Withdraw consent" not in words and "Change consent" not in words
    assert log_count(app, actor_id=demo["erik"].id) == 1
    for path in ("/withdraw", "/give", "/change"):
        assert client.post(ANNA + path).status_code == 404
    assert client.get(ANNA + "/withdraw").status_code == 404
    with app.app_context():
        assert state_of(anna_sip_id(app)).live


def test_a_professional_inside_the_consent_reads_it_and_the_read_is_logged(app, client, auth, clock, demo):
    auth.login("lena")
    before = log_count(app, actor_id=demo["lena"].id)
    page = client.get(ANNA)
    assert page.status_code == 200
    assert "Given orally. Written down by Sara Lind, Haninge kommun." in text(page)
    assert log_count(app, actor_id=demo["lena"].id) == before + 1
    assert client.get(ANNA + "/give").status_code == 404


def test_an_unknown_reference_is_not_found(client, auth, clock, demo):
    auth.login("anna")
    assert client.get("/sips/SIP-NONE-00/consent").status_code == 404
    assert client.get("/sips/sip-7kq4-m2/consent").status_code == 200   # read aloud: case does not matter
