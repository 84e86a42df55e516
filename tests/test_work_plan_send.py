"""Sending the plan: refused with what is missing until the legal minimum is stated; then a version
waits for the person, who approves it (it becomes current) or asks for a change (the professional reads
the comment). Versions are read and compared in words."""
from __future__ import annotations

import sqlalchemy as sa
from markupsafe import escape

from tests.helpers import text
from tests.my_sip_fixtures import ANNA, anna_world  # noqa: F401 - fixture
from tests.factories import organisation, user
from tests.test_work_plan_editor import PLAN, _intervention, _read, draft, met  # noqa: F401 - fixtures
from webapp.extensions import db
from webapp.models import Notification, PlanStatus, PlanVersion


def _fill_legal_minimum(app, client):
    with app.app_context():
        sara = user("sara").id
        haninge = organisation("Haninge kommun").id
    client.post(f"{PLAN}/interventions/new", data=_intervention(organisation_id=str(haninge)))
    client.post(f"{PLAN}/interventions/new", data=_intervention(
        what="Wound care", principal="region", responsible_name="Lena Berg", responsible_phone="",
        responsible_email="", organisation_name="Brandbergens vårdcentral"))
    client.post(f"{PLAN}/none", data={"no_other_interventions": "y"})
    client.post(f"{PLAN}/responsibility", data={"coordinator_id": str(sara), "overall_responsibility": "municipality"})
    client.post(f"{PLAN}/next-follow-up", data={"next_follow_up_on": "2026-03-26"})


def test_sending_is_refused_with_each_missing_part_linked_to_its_section(app, client, auth, draft):
    page = client.get(PLAN).get_data(as_text=True)
    assert "Before the plan can be sent, it must state:" in text(page)
    response = client.post(f"{PLAN}/send")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "The plan cannot be sent yet" in text(html)
    for section, message in (
            ("interventions", "State the municipality's interventions, or tick that it has none."),
            ("interventions", "State the region's interventions, or tick that it has none."),
            ("interventions",
             "State what others provide (school, Försäkringskassan, others), or tick that there is nothing."),
            ("responsibility", "State whether the municipality or the region holds the overall responsibility."),
            ("responsibility", "Appoint the coordinator, agreed with the person."),
            ("next-follow-up", "Give the date of the next follow-up, or the reason there is none.")):
        assert f'<a href="#{section}">{escape(message)}</a>' in html
    assert _read(app, lambda v: v.status) == PlanStatus.DRAFT


def test_a_none_ticked_with_interventions_is_refused(app, client, auth, draft):
    _fill_legal_minimum(app, client)
    client.post(f"{PLAN}/none", data={"no_other_interventions": "y", "no_region_interventions": "y"})
    response = client.post(f"{PLAN}/send")
    assert response.status_code == 422
    assert "You ticked \"none\" but the plan has such interventions." in text(response)


def test_sent_approved_by_anna_and_in_force(app, client, auth, draft):
    _fill_legal_minimum(app, client)
    assert "The plan states everything the law asks for." in text(client.get(PLAN))
    response = client.post(f"{PLAN}/send")
    assert response.status_code == 303 and response.headers["Location"].endswith("/plan/versions/1")
    page = text(client.get(response.headers["Location"]))
    assert "Version 1 is sent to Anna Andersson for approval." in page
    assert "Waiting for the person's approval" in page
    assert _read(app, lambda v: v.status) == PlanStatus.PENDING_APPROVAL
    # The editor now has no draft: it says a version waits.
    assert "Version 1 is waiting for the approval of Anna Andersson." in text(client.get(PLAN))
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Notification.id))
                                 .where(Notification.user_id == user("anna").id)) >= 1

    auth.logout()
    auth.login("anna")
    page = text(client.get(f"/sips/{ANNA}/plan/waiting"))
    assert "Version 1 is waiting for your approval." in page and "Added: Home help in the morning" in page
    response = client.post(f"/sips/{ANNA}/plan/waiting/approve", data={"version": "1"})
    assert response.status_code == 303
    assert _read(app, lambda v: (v.status, v.decided_by_id is not None)) == (PlanStatus.APPROVED, True)
    page = text(client.get(f"/sips/{ANNA}/plan"))
    assert "Version 1" in page and "Wound care" in page

    auth.logout()
    auth.login("sara")
    page = text(client.get(f"{PLAN}/versions"))
    assert "Version 1 In force" in page
    assert "Version 1 is in force. A new draft starts as a copy of it." in text(client.get(PLAN))


def test_a_change_request_comes_back_to_the_editor(app, client, auth, draft):
    _fill_legal_minimum(app, client)
    client.post(f"{PLAN}/send")
    auth.logout()
    auth.login("anna")
    response = client.post(f"/sips/{ANNA}/plan/waiting/change",
                           data={"version": "1", "comment": "I would rather have the home help at nine."})
    assert response.status_code == 303
    auth.logout()
    auth.login("sara")
    page = text(client.get(PLAN))
    assert "Anna Andersson asked for a change I would rather have the home help at nine." in page
    client.post(f"{PLAN}/interventions/{_read(app, lambda v: v.interventions[0].id)}",
                data=_intervention(when="Mornings at 9"))
    assert client.post(f"{PLAN}/send").status_code == 303
    assert _read(app, lambda v: (v.number, v.status, v.change_comment)) == (1, PlanStatus.PENDING_APPROVAL, "")


def test_versions_are_listed_read_and_compared_in_words(app, client, auth, anna_world):
    auth.login("sara")
    page = text(client.get(f"{PLAN}/versions"))
    assert page.index("Version 2 Waiting for the person's approval") < page.index("Version 1 In force")
    assert "What version 2 changes from version 1" in page
    page = text(client.get(f"{PLAN}/versions/1"))
    assert "Version 1 of the plan of Anna Andersson" in page and "Home help in the morning" in page
    assert "Who attended" not in page  # nobody's attendance was recorded at that meeting
    page = text(client.get(f"{PLAN}/compare?old=1&new=2"))
    assert "What version 2 changes from version 1" in page
    assert "Changed: Home help in the morning how often: from “Every day” to “Twice a day”" in page
    assert "Added: Physiotherapy for balance" in page
    # Without a choice, the two newest; the first version alone shows what it says.
    assert "What version 2 changes from version 1" in text(client.get(f"{PLAN}/compare"))
    page = text(client.get(f"{PLAN}/compare?new=1"))
    assert "What version 1 says" in page and "Added: Wound care" in page
    assert client.get(f"{PLAN}/compare?old=7&new=2").status_code == 404
    assert client.get(f"{PLAN}/versions/9").status_code == 404
    assert client.get(f"{PLAN}/compare?old=x&new=99999999999").status_code == 200


def test_a_draft_is_readable_by_staff_and_never_by_the_person(app, client, auth, draft):
    client.post(f"{PLAN}/situation", data={"current_situation": "Only staff read drafts"})
    page = text(client.get(f"{PLAN}/versions/1"))
    assert "Draft" in page and "Only staff read drafts" in page
    auth.logout()
    auth.login("anna")
    assert client.get(f"/sips/{ANNA}/plan/versions/1").status_code == 404


def test_the_case_page_partial_shows_where_the_plan_stands(app, client, auth, anna_world):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        from flask import render_template_string

        from webapp.models import Sip
        sip = db.session.scalars(sa.select(Sip).where(Sip.reference == ANNA)).one()
        html = render_template_string('{% include "work/_case_plan.html" %}', sip=sip)
    page = text(html)
    assert "Version 1 is in force, approved March 2, 2026." in page
    assert "Version 2 is waiting for the person's approval, sent March 2, 2026." in page
    assert "Document the plan" in page and "All versions" in page
