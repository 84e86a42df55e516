"""My plan: the plan in force in plain language, the version waiting for approval and what it changes,
approving (the person only, one confirmation) or asking for a change, earlier versions, print, PDF and
the copy saved on the phone."""
from __future__ import annotations

import sqlalchemy as sa

from tests.consent_fixtures import link_relative, log_count, make_citizen
from tests.helpers import text
from tests.my_sip_fixtures import ANNA, anna_world  # noqa: F401 - fixture
from tests.factories import user
from webapp.extensions import db
from webapp.models import PlanStatus, PlanVersion, Resource
from webapp.services import documents, plans

PLAN = f"/sips/{ANNA}/plan"


def _status(app, version_id):
    with app.app_context():
        return db.session.get(PlanVersion, version_id).status


def test_the_plan_in_force_says_who_does_what_in_plain_language(client, auth, anna_world):
    auth.login("anna")
    page = text(client.get(PLAN))
    assert "Your plan" in page and "Version 1" in page and "In force since March 2, 2026" in page
    assert "Documented by Sara Lind, Biståndshandläggare, Haninge kommun" in page
    # The coordinator and the overall responsibility first, then goals, then each group of the law.
    responsible = page.index("Who is responsible")
    assert responsible < page.index("Goals") < page.index("Who does what")
    assert "Coordinator Sara Lind , Biståndshandläggare, Haninge kommun Call 08-606 71 20" in page
    assert "Overall responsibility The municipality" in page
    assert "Next follow-up Monday, March 16, 2026" in page
    assert "Long term Keep living at home Short term Walk to the shop by May" in page
    groups = [page.index(name) for name in ("The municipality Home help", "The region Wound care",
                                            "Others Nobody else provides anything in this plan.",
                                            "Me and my relatives A short walk with my son")]
    assert groups == sorted(groups)
    assert ("Home help in the morning Who Sara Lind, Haninge kommun Call 08-606 71 20 E-mail "
            "kontakt@haninge.example.se When Mornings at 8 How often Every day Where At home "
            "The goal it serves Keep living at home") in page
    html = client.get(PLAN).get_data(as_text=True)
    assert 'href="tel:+4686067120"' in html and 'href="mailto:lena@example.org"' in html
    assert "A new version of your plan is waiting for your approval." in page


def test_without_an_approved_plan_the_page_says_what_happens_next(client, auth, demo):
    auth.login("anna")
    page = text(client.get(PLAN))
    assert "There is no approved plan yet." in page
    assert "The plan is written at the SIP meeting, together with you." in page
    assert client.get(f"{PLAN}/plan.pdf").status_code == 404


def test_the_waiting_version_shows_each_change_in_words(client, auth, anna_world):
    auth.login("anna")
    page = text(client.get(f"{PLAN}/waiting"))
    assert "Version 2 is waiting for your approval. Until you approve it, the plan you have now stays in force." in page
    assert "Changed: Home help in the morning how often: from “Every day” to “Twice a day”" in page
    assert "Added: Physiotherapy for balance" in page
    assert "Removed:" not in page
    assert "Approve version 2" in page and "Ask for a change" in page


def test_approving_takes_one_confirmation_and_makes_the_version_the_plan(app, client, auth, anna_world):
    auth.login("anna")
    confirm = client.get(f"{PLAN}/waiting/approve")
    assert "Approve version 2 of your plan?" in text(confirm)
    assert _status(app, anna_world.version_2) == PlanStatus.PENDING_APPROVAL  # the GET changed nothing
    done = client.post(f"{PLAN}/waiting/approve", data={"version": "2"})
    assert done.status_code == 303 and done.headers["Location"] == PLAN
    assert _status(app, anna_world.version_2) == PlanStatus.APPROVED
    assert _status(app, anna_world.version_1) == PlanStatus.SUPERSEDED
    page = text(client.get(PLAN))
    assert "Thank you. Version 2 is now your plan." in page and "How often Twice a day" in page
    assert "waiting for your approval" not in page


def test_a_stale_confirmation_approves_nothing(app, client, auth, anna_world):
    auth.login("anna")
    response = client.post(f"{PLAN}/waiting/approve", data={"version": "1"})
    assert response.status_code == 303
    assert _status(app, anna_world.version_2) == PlanStatus.PENDING_APPROVAL
    assert "The version you read is no longer waiting for your approval." in text(client.get(PLAN))


def test_asking_for_a_change_needs_a_comment_and_keeps_the_plan_in_force(app, client, auth, anna_world):
    auth.login("anna")
    empty = client.post(f"{PLAN}/waiting/change", data={"version": "2", "comment": "   "})
    assert empty.status_code == 422
    assert text(empty).count("Write what you would like changed.") == 2  # the summary and the field
    too_long = client.post(f"{PLAN}/waiting/change", data={"version": "2", "comment": "x" * 2001})
    assert too_long.status_code == 422 and "x" * 2001 in too_long.get_data(as_text=True)
    sent = client.post(f"{PLAN}/waiting/change", data={"version": "2", "comment": "The evening visit at 20, please."})
    assert sent.status_code == 303
    with app.app_context():
        version = db.session.get(PlanVersion, anna_world.version_2)
        assert version.status == PlanStatus.CHANGE_REQUESTED
        assert version.change_comment == "The evening visit at 20, please."
        assert plans.current(anna_world.sip_id).id == anna_world.version_1
    page = text(client.get(PLAN))
    assert "Your request is sent to your coordinator." in page and "How often Every day" in page


def test_a_relative_reads_the_plan_and_the_changes_but_never_approves(app, client, auth, anna_world):
    auth.login("erik")
    page = text(client.get(PLAN))
    assert "The plan of Anna Andersson" in page and "Anna Andersson and relatives A short walk" in page
    waiting = text(client.get(f"{PLAN}/waiting"))
    assert "Version 2 is waiting for the approval of Anna Andersson. Only Anna Andersson can approve it." in waiting
    assert "Changed: Home help in the morning how often" in waiting and "Approve version 2" not in waiting
    assert client.get(f"{PLAN}/waiting/approve").status_code == 404
    assert client.post(f"{PLAN}/waiting/approve", data={"version": "2"}).status_code == 404
    assert client.post(f"{PLAN}/waiting/change", data={"version": "2", "comment": "No"}).status_code == 404
    assert _status(app, anna_world.version_2) == PlanStatus.PENDING_APPROVAL  # the plan never changed


def test_every_read_of_the_plan_by_a_relative_is_logged_once(app, client, auth, anna_world):
    auth.login("erik")
    erik = _id(app, "erik")
    before = log_count(app, actor_id=erik, resource=Resource.PLAN)
    client.get(PLAN)
    client.get(f"{PLAN}/waiting")
    assert log_count(app, actor_id=erik, resource=Resource.PLAN) == before + 2
    client.get(f"{PLAN}/plan.pdf")
    assert log_count(app, actor_id=erik, resource=Resource.DOCUMENTS) == 1
    auth.logout()
    auth.login("anna")
    anna = _id(app, "anna")
    assert "Your plan" in text(client.get(PLAN))
    assert log_count(app, actor_id=anna) == 0  # the person reading her own plan is not in her log


def _id(app, short):
    with app.app_context():
        return user(short).id


def test_earlier_versions_are_readable_and_say_they_are_not_in_force(client, auth, anna_world):
    auth.login("anna")
    client.post(f"{PLAN}/waiting/approve", data={"version": "2"})
    listing = text(client.get(f"{PLAN}/versions"))
    assert listing.index("Version 2") < listing.index("Version 1")
    assert "In force" in listing and "Replaced by a newer version" in listing
    old = text(client.get(f"{PLAN}/versions/1"))
    assert "This version is not in force. It was replaced by a newer version." in old
    assert "Version 1 of the plan (not in force)" in old and "How often Every day" in old
    assert client.get(f"{PLAN}/versions/2").headers["Location"] == PLAN
    assert client.get(f"{PLAN}/versions/9").status_code == 404
    assert client.get(f"{PLAN}/versions/1/plan.pdf").status_code == 200


def test_a_draft_is_never_shown_to_the_person(app, client, auth, anna_world):
    auth.login("anna")
    client.post(f"{PLAN}/waiting/approve", data={"version": "2"})
    with app.test_request_context():
        from tests.my_sip_fixtures import anna_sip

        draft = plans.start_draft(user("sara"), anna_sip())
        number = draft.number
    assert client.get(f"{PLAN}/versions/{number}").status_code == 404
    assert f"Version {number}" not in text(client.get(f"{PLAN}/versions"))


def test_the_pdf_is_the_plan_in_the_readers_language_with_version_date_and_who_documented_it(
        client, auth, anna_world, monkeypatch):
    rendered = []
    real = documents.render_pdf

    def spy(html, css=""):
        rendered.append((html, css))
        return real(html, css)

    monkeypatch.setattr(documents, "render_pdf", spy)
    auth.login("anna")
    response = client.get(f"{PLAN}/plan.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    assert 'filename=plan-SIP-7KQ4-M2-v1.pdf' in response.headers["Content-Disposition"]
    html, css = rendered[0]
    words = text(html)
    assert '<html lang="en" dir="ltr">' in html
    assert "SIP plan for Anna Andersson" in words and "Version 1" in words
    assert "Documented by Sara Lind, Biståndshandläggare, Haninge kommun" in words
    assert "Approved by Anna Andersson on March 2, 2026." in words
    assert "Downloaded March 5, 2026 from Min SIP." in words
    assert "Home help in the morning" in words and documents.FONT_STACK in css


def test_the_pdf_and_print_view_in_arabic_run_right_to_left(client, auth, anna_world, monkeypatch):
    rendered = []
    real = documents.render_pdf
    monkeypatch.setattr(documents, "render_pdf", lambda html, css="": rendered.append(html) or real(html, css))
    auth.login("anna")
    client.post("/language", data={"lang-language": "ar", "next": "/"})
    assert client.get(f"{PLAN}/plan.pdf").status_code == 200
    assert '<html lang="ar" dir="rtl">' in rendered[0]
    printed = client.get(f"{PLAN}/print").get_data(as_text=True)
    assert 'dir="rtl"' in printed and "print-page" in printed


def test_the_print_view_is_the_same_document(client, auth, anna_world):
    auth.login("anna")
    page = text(client.get(f"{PLAN}/print"))
    assert "This page is laid out for printing on A4 paper." in page
    assert "Version 1" in page and "Documented by Sara Lind" in page and "Printed March 5, 2026 from Min SIP." in page


def test_the_copy_for_the_phone_is_dated_and_has_no_forms(client, auth, anna_world):
    auth.login("anna")
    html = client.get(f"{PLAN}?saved=1").get_data(as_text=True)
    assert "Saved on this phone on March 5, 2026 at 9:00 AM." in text(html)
    assert "Home help in the morning" in text(html)
    assert "<form" not in html and "csrf_token" not in html
    page = client.get(PLAN).get_data(as_text=True)
    assert f'data-page-url="{PLAN}"' in page and f'data-copy-url="{PLAN}?saved=1"' in page
    contacts = client.get("/contacts/saved").get_data(as_text=True)
    assert "Saved on this phone on" in text(contacts) and "<form" not in contacts


def test_another_person_a_relative_without_a_grant_and_staff_never_see_the_plan(app, client, auth, anna_world):
    gun = make_citizen(app, "Gun Berg", "gun@example.org")
    link_relative(app, _id(app, "anna"), gun)  # a live link, but no grant for this SIP
    urls = [PLAN, f"{PLAN}/waiting", f"{PLAN}/waiting/approve", f"{PLAN}/versions", f"{PLAN}/versions/1",
            f"{PLAN}/plan.pdf", f"{PLAN}/print", f"{PLAN}?saved=1", f"/sips/{ANNA}"]
    for who, expected in (("omar", 404), ("gun@example.org", 404), ("sara", 403), ("lena", 403)):
        auth.login(who)
        for url in urls:
            assert client.get(url).status_code == expected, (who, url)
        auth.logout()
    for url in urls:
        assert client.get(url).status_code == 302  # anonymous: to the login page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PlanVersion)) == 2
