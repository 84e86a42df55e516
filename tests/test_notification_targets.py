"""Where a notification leads: the exact page for each subject and side, then the fallbacks."""
from __future__ import annotations

import pytest

from webapp.models import Role, User
from webapp.services.notification_targets import TARGETS, target

#: Pages other parts of issue 5 add (helper B: meetings; C: the plan editor); until then the case page.
ADDED_BY_OTHER_PARTS = {"work.meeting", "work.plan"}

CITIZEN, STAFF = User(role=Role.CITIZEN), User(role=Role.PROFESSIONAL)
FULL = {"reference": "SIP-7KQ4-M2", "meeting_id": 5, "report_id": 7}


def test_every_page_named_exists(app):
    named = {endpoint for choices in TARGETS.values() for endpoint, *_rest in choices}
    assert named - set(app.view_functions) <= ADDED_BY_OTHER_PARTS


@pytest.mark.parametrize(("subject", "reader", "expected"), [
    ("request", CITIZEN, "/requests/SIP-7KQ4-M2"),
    ("sip", CITIZEN, "/sips/SIP-7KQ4-M2"),
    ("consent", CITIZEN, "/sips/SIP-7KQ4-M2/consent"),
    ("relatives", CITIZEN, "/relatives"),
    ("meeting", CITIZEN, "/meetings/5"),
    ("plan", CITIZEN, "/sips/SIP-7KQ4-M2/plan"),
    ("report", CITIZEN, "/reports/7"),
    ("request", STAFF, "/work/sips/SIP-7KQ4-M2"),
    ("sip", STAFF, "/work/sips/SIP-7KQ4-M2"),
    ("consent", STAFF, "/work/sips/SIP-7KQ4-M2"),
    ("report", STAFF, "/work/reports/7"),
    ("nothing known", STAFF, "/"),
])
def test_each_subject_leads_to_its_page(app, subject, reader, expected):
    with app.test_request_context():
        assert target(subject, reader, FULL) == expected


def test_staff_meeting_and_plan_lead_to_their_pages_or_the_case(app):
    with app.test_request_context():
        meeting = target("meeting", STAFF, FULL)
        plan = target("plan", STAFF, FULL)
    assert meeting == ("/work/meetings/5" if "work.meeting" in app.view_functions else "/work/sips/SIP-7KQ4-M2")
    assert plan == ("/work/sips/SIP-7KQ4-M2/plan" if "work.plan" in app.view_functions else "/work/sips/SIP-7KQ4-M2")


@pytest.mark.parametrize(("subject", "reader", "expected"), [
    ("request", CITIZEN, "/requests"),
    ("meeting", CITIZEN, "/meetings"),
    ("report", CITIZEN, "/meetings"),
    ("request", STAFF, "/work/"),
    ("report", STAFF, "/work/reports"),
])
def test_without_the_id_a_list_page(app, subject, reader, expected):
    with app.test_request_context():
        assert target(subject, reader, {}) == expected
