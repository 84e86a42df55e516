"""Sara documents a plan in Chromium with the keyboard only: starts the draft, is refused sending while
the legal minimum is missing, records who attended, writes the situation, a goal, the municipality's
and the region's interventions, ticks "none" for others, appoints herself coordinator with the
municipality holding the overall responsibility, gives the reason there is no follow-up, and sends it.
Every page checked with axe-core and for sideways scrolling at 320 px."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.browser.test_my_plan import check
from tests.consent_fixtures import make_citizen, make_sip
from tests.factories import give_consent
from tests.my_sip_fixtures import book
from webapp.extensions import db
from webapp.models import PlanStatus, Sip
from webapp.services import plans


@pytest.fixture
def met(live_server):
    """A new person with a consented SIP whose first meeting began an hour ago; no plan yet."""
    app = live_server.app
    slug = uuid.uuid4().hex[:8]
    person_id = make_citizen(app, "Maja Ek", f"maja-{slug}@example.org")
    reference = f"SIP-{slug[:4].upper()}-{slug[4:6].upper()}"
    sip_id = make_sip(app, person_id, reference, purpose="Help at home after my stroke")
    now = datetime.now(UTC)
    app.config["CLOCK"] = lambda: now - timedelta(hours=3)  # so that the past meeting could be booked
    try:
        with app.test_request_context():
            sip = db.session.get(Sip, sip_id)
            give_consent(sip)
            meeting = book(sip, now - timedelta(hours=1), with_erik=False)
            participants = [p.id for p in meeting.participants]
    finally:
        app.config.pop("CLOCK")
    return {"reference": reference, "sip_id": sip_id, "participants": participants}


def tab_to(page, selector: str, limit: int = 400) -> None:
    """Press Tab until ``selector`` has the focus, as someone using the keyboard would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector} on {page.url}")


def type_into(page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.type(text)


def press(page, selector: str, key: str = "Enter") -> None:
    """Tab to ``selector`` and press ``key``: Enter follows a link or submits (and waits for the page)."""
    tab_to(page, selector)
    if key != "Enter":
        page.keyboard.press(key)
        return
    with page.expect_navigation():
        page.keyboard.press(key)


def test_sara_documents_a_plan_and_sends_it_with_the_keyboard(page, base_url, live_server, met):
    reference = met["reference"]
    login(page, base_url, "sara")
    page.goto(f"{base_url}/work/sips/{reference}/plan")
    expect(page.locator("h1")).to_have_text("The plan of Maja Ek")
    check(page)
    press(page, "form[action$='/plan/start'] button")
    # (Not the flash: the service worker's own requests may take it first on a busy machine.)
    expect(page.locator(".lead")).to_contain_text("Draft of version 1.")
    check(page)

    press(page, "form[action$='/plan/send'] button")          # refused: the legal minimum is missing
    expect(page.locator(".error-summary")).to_contain_text("The plan cannot be sent yet")
    expect(page.locator(".error-summary")).to_contain_text("State the municipality's interventions")
    check(page)

    type_into(page, "#current_situation", "I came home from hospital and cannot cook yet.")
    press(page, "form[action$='/plan/situation'] button")
    press(page, "#goal-horizon-0", "Space")
    type_into(page, "#goal-text", "Cook my own dinner again")
    press(page, "form[action$='/plan/goals'] button")
    expect(page.locator("#goals")).to_contain_text("Cook my own dinner again")

    # A select chooses by typing the start of an option (a space would open its list instead).
    for principal, what, organisation in (("municipality", "Home help with dinner", "Haninge"),
                                          ("region", "Occupational therapy", "Brandbergens")):
        press(page, f"a[href$='interventions/new?principal={principal}']")
        check(page)
        type_into(page, "#what", what)
        type_into(page, "#organisation_id", organisation)
        type_into(page, "#frequency", "Every weekday")
        press(page, "form[action$='/interventions/new'] button")
        expect(page.locator("#interventions")).to_contain_text(what)

    press(page, "#no_other_interventions", "Space")
    press(page, "form[action$='/plan/none'] button")
    type_into(page, "#coordinator_id", "Sara")
    press(page, "#overall_responsibility-0", "Space")
    press(page, "form[action$='/plan/responsibility'] button")
    for participant in met["participants"]:
        press(page, f"#p{participant}-0", "Space")
    press(page, "form[action$='/plan/attendance'] button")
    for participant in met["participants"]:
        expect(page.locator(f"#p{participant}-0")).to_be_checked()
    type_into(page, "#no_follow_up_reason", "Maja moves to Malmö next month; Malmö takes over.")
    press(page, "form[action$='/plan/next-follow-up'] button")
    expect(page.locator("#send")).to_contain_text("The plan states everything the law asks for.")
    check(page)

    press(page, "form[action$='/plan/send'] button")
    expect(page).to_have_url(f"{base_url}/work/sips/{reference}/plan/versions/1")
    expect(page.locator("main .tag").first).to_have_text("Waiting for the person's approval")
    check(page)
    with live_server.app.app_context():
        version = plans.awaiting_approval(met["sip_id"])
        assert version.status == PlanStatus.PENDING_APPROVAL and version.coordinator.name == "Sara Lind"
        assert [(i.what, i.organisation_label) for i in version.interventions] == [
            ("Home help with dinner", "Haninge kommun"), ("Occupational therapy", "Brandbergens vårdcentral")]
        assert [a.attended for a in version.attendance] == [True] * len(met["participants"])
