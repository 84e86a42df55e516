"""A SIP's documents in the reader's language, and in Swedish and the person's language side by side."""
from __future__ import annotations

import io
from datetime import date, datetime, UTC

import pytest
import sqlalchemy as sa
from flask_babel import force_locale, gettext
from pypdf import PdfReader

from tests.consent_fixtures import log_count
from tests.factories import user
from tests.helpers import text
from tests.my_sip_fixtures import ANNA, anna_world, at, book  # noqa: F401 - fixture
from webapp.extensions import db
from webapp.models import MissedKind, Resource, Sip
from webapp.services import missed_meetings
from webapp.services.consent_scope import find_sip

DOCUMENTS = f"/sips/{ANNA}/documents"


def _speaks(app, who: str, language: str) -> None:
    with app.app_context():
        person = user(who)
        person.language = language
        db.session.commit()


def _pdf_text(response) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)


def _translated(language: str, message: str) -> str:
    with force_locale(language):
        return gettext(message)


def test_staff_get_swedish_and_the_persons_language_side_by_side(app, client, auth, anna_world):
    _speaks(app, "anna", "ar")
    auth.login("sara")
    before = log_count(app, resource=Resource.DOCUMENTS)
    listing = client.get(DOCUMENTS)
    assert listing.status_code == 200
    page = text(listing)
    assert "The plan, version 1" in page and "The consent in force" in page
    html = listing.get_data(as_text=True)
    assert f"{DOCUMENTS}/plan?lang=sv&amp;lang=ar" in html
    with app.test_request_context():
        swedish, arabic = (_translated(code, "Relatives who take part") for code in ("sv", "ar"))
    both = client.get(f"{DOCUMENTS}/consent?lang=sv&lang=ar").get_data(as_text=True)
    assert '<section class="side-by-side__column" lang="sv" dir="ltr" aria-label="Svenska">' in both
    assert '<section class="side-by-side__column" lang="ar" dir="rtl" aria-label="العربية">' in both
    assert both.index(swedish) < both.index(arabic)
    plan = client.get(f"{DOCUMENTS}/plan?lang=sv&lang=ar").get_data(as_text=True)
    assert 'id="c0-plan-title"' in plan and 'id="c1-plan-title"' in plan  # no id twice on the page
    # Each read by staff is in the person's access log.
    assert log_count(app, resource=Resource.DOCUMENTS) >= before + 3


def test_a_side_by_side_pdf_holds_both_languages(app, client, auth, anna_world):
    _speaks(app, "anna", "ar")
    auth.login("sara")
    response = client.get(f"{DOCUMENTS}/consent.pdf?lang=sv&lang=ar")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == f'attachment; filename=consent-{ANNA}-sv-ar.pdf'
    reader = PdfReader(io.BytesIO(response.data))
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert width > height  # two columns: landscape A4
    content = _pdf_text(response)
    assert "Anna Andersson" in content and ANNA in content
    with app.test_request_context():
        assert _translated("sv", "Relatives who take part") in content


def test_the_person_reads_documents_in_their_own_language(app, client, auth, anna_world):
    auth.login("anna", english=False)  # Swedish
    before = log_count(app, resource=Resource.DOCUMENTS)
    page = client.get(f"{DOCUMENTS}/plan").get_data(as_text=True)
    assert '<section class="side-by-side__column" lang="sv" dir="ltr"' in page
    assert 'lang="ar"' not in page.split('class="side-by-side')[1]
    response = client.get(f"{DOCUMENTS}/plan.pdf")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == f"attachment; filename=plan-{ANNA}-sv.pdf"
    assert "Anna Andersson" in _pdf_text(response)
    assert log_count(app, resource=Resource.DOCUMENTS) == before  # the person's own reads are not logged


def test_the_complaint_can_be_printed_in_two_languages(app, client, auth, anna_world, clock):
    with app.test_request_context():
        sip = find_sip(ANNA)
        meeting = book(sip, at(date(2026, 3, 6), 10))
    clock.set(datetime(2026, 3, 6, 12, 0, tzinfo=UTC))
    with app.test_request_context():
        report = missed_meetings.file(user("anna"), meeting, MissedKind.NOBODY_CAME, "Nobody came at all.", [])
        report_id = report.id
        db.session.commit()
    auth.login("sara")
    listing = text(client.get(DOCUMENTS))
    assert "Complaint about the meeting on 2026-03-06" in listing
    page = client.get(f"{DOCUMENTS}/complaint?item={report_id}&lang=sv&lang=en").get_data(as_text=True)
    assert "Nobody came at all." in page
    assert "Complaint: a SIP meeting that did not take place as it should" in page
    assert client.get(f"{DOCUMENTS}/complaint?item={report_id + 99}").status_code == 404
    assert client.get(f"{DOCUMENTS}/complaint?item=x").status_code == 404
    pdf = client.get(f"{DOCUMENTS}/complaint.pdf?item={report_id}&lang=sv&lang=en")
    assert "Nobody came at all." in _pdf_text(pdf)


@pytest.mark.parametrize("query", ["lang=xx", "lang=sv&lang=en&lang=ar"])
def test_unknown_or_too_many_languages_are_refused(client, auth, anna_world, query):
    auth.login("sara")
    assert client.get(f"{DOCUMENTS}/plan?{query}").status_code == 404


def test_an_unknown_document_kind_is_not_found(client, auth, anna_world):
    auth.login("sara")
    assert client.get(f"{DOCUMENTS}/secrets").status_code == 404
    assert client.get(f"{DOCUMENTS}/secrets.pdf").status_code == 404


@pytest.mark.parametrize("who", ["nils", "omar"])
def test_nobody_outside_the_consent_gets_a_document(client, auth, anna_world, who):
    auth.login(who)
    for url in (DOCUMENTS, f"{DOCUMENTS}/plan", f"{DOCUMENTS}/plan.pdf", f"{DOCUMENTS}/consent.pdf?lang=sv&lang=ar"):
        assert client.get(url).status_code in (403, 404), url


def test_without_a_plan_or_consent_there_is_nothing_to_print(app, client, auth, demo):
    auth.login("omar")
    with app.app_context():
        reference = db.session.scalars(sa.select(Sip.reference).where(Sip.person_id == user("omar").id)).first()
    page = text(client.get(f"/sips/{reference}/documents"))
    assert "There are no documents yet" in page
    assert client.get(f"/sips/{reference}/documents/plan").status_code == 404
    assert client.get(f"/sips/{reference}/documents/consent.pdf").status_code == 404


def test_the_persons_invitation_side_by_side(app, client, auth, anna_world):
    _speaks(app, "anna", "ar")
    auth.login("sara")
    html = client.get(DOCUMENTS).get_data(as_text=True)
    assert "Invitation to the meeting on 2026-03-16" in html
    assert "Invitation to the meeting on 2026-03-04" not in html  # that one has taken place
    item = int(html.split(f"{DOCUMENTS}/invitation?item=", 1)[1].split("&", 1)[0])
    page = client.get(f"{DOCUMENTS}/invitation?item={item}&lang=sv&lang=ar").get_data(as_text=True)
    with app.test_request_context():
        swedish, arabic = (_translated(code, "Who is invited") for code in ("sv", "ar"))
    assert swedish in page and arabic in page and page.index(swedish) < page.index(arabic)
    assert "Follow up the plan" in page
    pdf = client.get(f"{DOCUMENTS}/invitation.pdf?item={item}&lang=sv&lang=ar")
    assert "Follow up the plan" in _pdf_text(pdf)
    assert client.get(f"{DOCUMENTS}/invitation?item=999999").status_code == 404
