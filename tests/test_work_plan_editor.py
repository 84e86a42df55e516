"""The professional's plan editor: start a draft, and each section saved on its own through HTTP, with
refused input kept; nils (outside the consent) sees and changes nothing."""
from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.consent_fixtures import log_count
from tests.form_crawler import forms_on
from tests.helpers import text
from tests.test_hostile_input import PAYLOADS
from tests.my_sip_fixtures import ANNA, anna_sip, anna_world, at, book, first_version  # noqa: F401 - fixture
from tests.factories import organisation, user
from webapp.extensions import db
from webapp.models import (
    GoalHorizon,
    InterventionPrincipal,
    Meeting,
    MeetingKind,
    PlanStatus,
    PlanVersion,
    Principal,
    Resource,
)
from webapp.services import follow_ups, plans

PLAN = f"/work/sips/{ANNA}/plan"


@pytest.fixture
def met(app, demo, clock):
    """Anna's first meeting was held yesterday (with Lena and Erik invited); there is no plan yet."""
    with app.test_request_context():
        meeting = book(anna_sip(), at(date(2026, 3, 4), 10))
        meeting_id = meeting.id
    clock.set(datetime(2026, 3, 5, 8, 0, tzinfo=UTC))
    return meeting_id


@pytest.fixture
def draft(app, client, auth, met):
    """Sara has started the draft (version 1)."""
    auth.login("sara")
    assert client.post(f"{PLAN}/start").status_code == 303
    return _version(app)


def _version(app, number: int = 1) -> PlanVersion:
    with app.app_context():
        version = db.session.scalars(sa.select(PlanVersion).where(PlanVersion.number == number)).one()
        db.session.expunge(version)
        return version


def _read(app, fn):
    with app.app_context():
        return fn(_attached(app))


def _attached(app) -> PlanVersion:
    return db.session.scalars(sa.select(PlanVersion).order_by(PlanVersion.number.desc())).first()


def test_sara_starts_the_plan_linked_to_the_meeting_held(app, client, auth, met):
    auth.login("sara")
    page = text(client.get(PLAN))
    assert "There is no plan yet." in page and "Start the plan" in page
    response = client.post(f"{PLAN}/start")
    assert response.status_code == 303 and response.headers["Location"].endswith("/plan")
    version = _version(app)
    assert version.status == PlanStatus.DRAFT and version.meeting_id == met
    page = text(client.get(PLAN))
    for heading in ("The current situation", "The person's goals", "Interventions", "Responsibility",
                    "Who attended", "Next follow-up", "Send for approval"):
        assert heading in page
    assert "Draft of version 1." in page
    # Starting again keeps the same draft.
    client.post(f"{PLAN}/start")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(PlanVersion.id))) == 1


def test_reading_the_editor_is_logged(app, client, auth, draft):
    before = log_count(app, actor_id=draft.documented_by_id, resource=Resource.PLAN)
    client.get(PLAN)
    assert log_count(app, actor_id=draft.documented_by_id, resource=Resource.PLAN) == before + 1


def test_the_situation_is_saved_and_too_long_text_is_kept(app, client, auth, draft):
    response = client.post(f"{PLAN}/situation", data={"current_situation": "  I fell twice this winter.  "})
    assert response.status_code == 303 and response.headers["Location"].endswith("/plan#situation")
    assert _read(app, lambda v: v.current_situation) == "I fell twice this winter."
    long = "x" * 4001
    response = client.post(f"{PLAN}/situation", data={"current_situation": long})
    assert response.status_code == 422
    assert "Use at most 4000 characters." in text(response) and long in response.get_data(as_text=True)
    assert _read(app, lambda v: v.current_situation) == "I fell twice this winter."


def test_goals_are_added_changed_and_removed(app, client, auth, draft):
    response = client.post(f"{PLAN}/goals", data={"goal-horizon": "long", "goal-text": "Keep living at home"})
    assert response.status_code == 303
    response = client.post(f"{PLAN}/goals", data={"goal-horizon": "short", "goal-text": ""})
    assert response.status_code == 422
    assert "Write the goal, in the person's words." in text(response)
    response = client.post(f"{PLAN}/goals", data={"goal-text": "Walk to the shop"})
    assert response.status_code == 422 and "Choose long or short term." in text(response)
    assert "Walk to the shop" in response.get_data(as_text=True)  # kept
    goal_id = _read(app, lambda v: v.goals[0].id)
    assert "Long term Keep living at home" in text(client.get(PLAN))
    page = client.get(f"{PLAN}/goals/{goal_id}")
    assert page.status_code == 200 and "Keep living at home" in page.get_data(as_text=True)
    response = client.post(f"{PLAN}/goals/{goal_id}", data={"goal-horizon": "short", "goal-text": ""})
    assert response.status_code == 422 and "Write the goal, in the person's words." in text(response)
    client.post(f"{PLAN}/goals/{goal_id}", data={"goal-horizon": "short", "goal-text": "Walk to the shop by May"})
    assert _read(app, lambda v: [(g.horizon, g.text) for g in v.goals]) == [
        (GoalHorizon.SHORT, "Walk to the shop by May")]
    assert client.post(f"{PLAN}/goals/{goal_id}/remove").status_code == 303
    assert _read(app, lambda v: v.goals) == []
    assert client.get(f"{PLAN}/goals/{goal_id}").status_code == 404


def _intervention(**changes) -> dict:
    data = {"what": "Home help in the morning", "principal": "municipality", "organisation_id": "",
            "organisation_name": "", "responsible_name": "Sara Lind", "responsible_phone": "08-606 71 20",
            "responsible_email": "sara@example.org", "when": "Mornings at 8", "frequency": "Every day",
            "place": "At home", "goal_key": "", "evaluation": "Asked at the follow-up"}
    data.update(changes)
    return data


def test_an_intervention_is_added_with_every_detail(app, client, auth, draft):
    client.post(f"{PLAN}/goals", data={"goal-horizon": "long", "goal-text": "Keep living at home"})
    goal_key = _read(app, lambda v: v.goals[0].key)
    with app.app_context():
        haninge = organisation("Haninge kommun").id
    form = client.get(f"{PLAN}/interventions/new?principal=municipality").get_data(as_text=True)
    assert re.search(r'<input checked[^>]*value="municipality"', form)
    assert "Keep living at home" in form  # the goals to choose from
    response = client.post(f"{PLAN}/interventions/new",
                           data=_intervention(organisation_id=str(haninge), goal_key=goal_key))
    assert response.status_code == 303 and response.headers["Location"].endswith("#interventions")
    item = _read(app, lambda v: {name: getattr(v.interventions[0], name) for name in plans.INTERVENTION_FIELDS})
    assert item == {"what": "Home help in the morning", "principal": InterventionPrincipal.MUNICIPALITY,
                    "organisation_id": haninge, "organisation_name": "", "responsible_name": "Sara Lind",
                    "responsible_phone": "+4686067120", "responsible_email": "sara@example.org",
                    "when": "Mornings at 8", "frequency": "Every day", "place": "At home", "goal_key": goal_key,
                    "evaluation": "Asked at the follow-up"}
    page = text(client.get(PLAN))
    assert "Home help in the morning Haninge kommun · Sara Lind · Mornings at 8 · Every day · At home" in page


def test_the_persons_and_relatives_parts_and_free_text_organisations(app, client, auth, draft):
    client.post(f"{PLAN}/interventions/new", data=_intervention(what="A short walk with my son", principal="person",
                                                                 responsible_phone="", responsible_email=""))
    client.post(f"{PLAN}/interventions/new", data=_intervention(what="Erik does the shopping", principal="relative",
                                                                 responsible_phone="", responsible_email=""))
    client.post(f"{PLAN}/interventions/new", data=_intervention(what="Balance training", principal="other",
                                                                 organisation_name="Friskis Haninge",
                                                                 responsible_phone="", responsible_email=""))
    assert _read(app, lambda v: [(i.principal, i.organisation_label) for i in v.interventions]) == [
        (InterventionPrincipal.PERSON, ""), (InterventionPrincipal.RELATIVE, ""),
        (InterventionPrincipal.OTHER, "Friskis Haninge")]
    page = text(client.get(PLAN))
    assert page.index("The person's own part A short walk") < page.index("Relatives' part Erik does the shopping")


def test_a_refused_intervention_keeps_everything_typed(app, client, auth, draft):
    with app.app_context():
        haninge = organisation("Haninge kommun").id
    response = client.post(f"{PLAN}/interventions/new", data=_intervention(
        what="", responsible_phone="not a phone", organisation_id=str(haninge), organisation_name="Haninge too"))
    assert response.status_code == 422
    page = text(response)
    assert "There is a problem" in page
    assert "Write what the intervention is." in page
    assert "Enter a phone number" in page
    assert "Choose an organisation from the directory or write its name, not both." in page
    html = response.get_data(as_text=True)
    for typed in ("not a phone", "Haninge too", "Mornings at 8", "Asked at the follow-up"):
        assert typed in html
    response = client.post(f"{PLAN}/interventions/new", data=_intervention(principal="nobody", goal_key="x"))
    assert response.status_code == 422 and "Choose one of the options." in text(response)
    assert _read(app, lambda v: v.interventions) == []


def test_an_intervention_is_changed_and_removed(app, client, auth, draft):
    client.post(f"{PLAN}/interventions/new", data=_intervention())
    item_id = _read(app, lambda v: v.interventions[0].id)
    form = client.get(f"{PLAN}/interventions/{item_id}").get_data(as_text=True)
    assert "Mornings at 8" in form and "Asked at the follow-up" in form
    response = client.post(f"{PLAN}/interventions/{item_id}", data=_intervention(what=""))
    assert response.status_code == 422 and "Every day" in response.get_data(as_text=True)
    client.post(f"{PLAN}/interventions/{item_id}", data=_intervention(frequency="Twice a day"))
    assert _read(app, lambda v: v.interventions[0].frequency) == "Twice a day"
    assert client.post(f"{PLAN}/interventions/{item_id}/remove").status_code == 303
    assert _read(app, lambda v: v.interventions) == []
    assert client.post(f"{PLAN}/interventions/{item_id}/remove").status_code == 404


def test_the_none_statements_responsibility_and_follow_up_are_saved_on_their_own(app, client, auth, draft):
    client.post(f"{PLAN}/situation", data={"current_situation": "Stays as it is"})
    client.post(f"{PLAN}/none", data={"no_other_interventions": "y"})
    with app.app_context():
        sara = user("sara").id
        nils = user("nils").id
    response = client.post(f"{PLAN}/responsibility",
                           data={"coordinator_id": str(sara), "overall_responsibility": "region"})
    assert response.status_code == 303
    response = client.post(f"{PLAN}/next-follow-up", data={"next_follow_up_on": "2026-04-15"})
    assert response.status_code == 303
    saved = _read(app, lambda v: (v.current_situation, v.no_municipality_interventions, v.no_other_interventions,
                                  v.coordinator_id, v.overall_responsibility, v.next_follow_up_on))
    assert saved == ("Stays as it is", False, True, sara, Principal.REGION, date(2026, 4, 15))
    page = text(client.get(PLAN))
    assert "Sara Lind, Biståndshandläggare, Haninge kommun" in page
    # Nils is not taking part: he is not offered, and a tampered form is refused.
    assert "Nils" not in page
    response = client.post(f"{PLAN}/responsibility", data={"coordinator_id": str(nils), "overall_responsibility": "x"})
    assert response.status_code == 422 and "Choose one of the options." in text(response)
    assert _read(app, lambda v: v.coordinator_id) == sara


def test_the_follow_up_date_is_in_the_future_or_a_reason_is_given(app, client, auth, draft):
    response = client.post(f"{PLAN}/next-follow-up", data={"next_follow_up_on": "2026-03-01"})
    assert response.status_code == 422 and "The follow-up date must be in the future." in text(response)
    assert 'value="2026-03-01"' in response.get_data(as_text=True)
    response = client.post(f"{PLAN}/next-follow-up", data={"next_follow_up_on": "someday"})
    assert response.status_code == 422 and "Enter a date like" in text(response)
    response = client.post(f"{PLAN}/next-follow-up", data={"next_follow_up_on": "2026-04-15",
                                                           "no_follow_up_reason": "Moving away"})
    assert response.status_code == 422 and "Give a date or a reason there is none, not both." in text(response)
    client.post(f"{PLAN}/next-follow-up", data={"no_follow_up_reason": "Moving to Malmö in April"})
    assert _read(app, lambda v: (v.next_follow_up_on, v.no_follow_up_reason)) == (None, "Moving to Malmö in April")


def test_who_attended_is_recorded_per_invited_participant(app, client, auth, draft, met):
    with app.app_context():
        participants = [(p.id, p.name) for p in db.session.get(Meeting, met).participants]
    page = text(client.get(PLAN))
    for _id, name in participants:
        assert name in page
    data = {f"p{pid}": "yes" for pid, _name in participants}
    missing = participants[-1][0]
    del data[f"p{missing}"]
    response = client.post(f"{PLAN}/attendance", data=data)
    assert response.status_code == 422 and "Say whether they came." in text(response)
    data[f"p{missing}"] = "no"
    assert client.post(f"{PLAN}/attendance", data=data).status_code == 303
    with app.app_context():
        meeting = db.session.get(Meeting, met)
        assert meeting.status == "held"
        assert [p.attended for p in meeting.participants] == [True] * (len(participants) - 1) + [False]
    assert _read(app, lambda v: [(a.name, a.attended) for a in v.attendance]) == [
        (name, pid != missing) for pid, name in participants]


def test_a_change_requested_by_the_person_is_shown_in_the_editor(app, client, auth, anna_world):
    with app.test_request_context():
        plans.request_change(user("anna"), db.session.get(PlanVersion, anna_world.version_2),
                             "Please make the home help in the evening instead.")
    auth.login("sara")
    page = text(client.get(PLAN))
    assert "Anna Andersson asked for a change" in page
    assert "Please make the home help in the evening instead." in page
    assert "Draft of version 2." in page


def test_no_new_draft_while_a_version_waits_for_the_person(app, client, auth, anna_world):
    auth.login("sara")
    page = text(client.get(PLAN))
    assert "Version 2 is waiting for the approval of Anna Andersson." in page
    assert "Start" not in page
    response = client.post(f"{PLAN}/start", follow_redirects=True)
    assert "A version is waiting for the person's approval. Wait for their answer." in text(response)
    assert client.post(f"{PLAN}/situation", data={"current_situation": "x"}).status_code == 404


def test_nils_outside_the_consent_sees_and_changes_nothing(app, client, auth, draft):
    client.post(f"{PLAN}/goals", data={"goal-horizon": "long", "goal-text": "Keep living at home"})
    client.post(f"{PLAN}/interventions/new", data=_intervention())
    goal_id, item_id = _read(app, lambda v: (v.goals[0].id, v.interventions[0].id))
    auth.logout()
    auth.login("nils")
    for url in (PLAN, f"{PLAN}/goals/{goal_id}", f"{PLAN}/interventions/new", f"{PLAN}/interventions/{item_id}",
                f"{PLAN}/versions", f"{PLAN}/versions/1", f"{PLAN}/compare"):
        response = client.get(url)
        assert response.status_code == 404 and "Keep living at home" not in text(response)
    for url, data in ((f"{PLAN}/start", {}), (f"{PLAN}/situation", {"current_situation": "Nils was here"}),
                      (f"{PLAN}/goals", {"goal-horizon": "long", "goal-text": "Nils"}),
                      (f"{PLAN}/goals/{goal_id}/remove", {}), (f"{PLAN}/interventions/{item_id}/remove", {}),
                      (f"{PLAN}/interventions/new", _intervention(what="Nils")), (f"{PLAN}/none", {}),
                      (f"{PLAN}/responsibility", {}), (f"{PLAN}/next-follow-up", {}), (f"{PLAN}/attendance", {}),
                      (f"{PLAN}/send", {})):
        assert client.post(url, data=data).status_code == 404
    assert _read(app, lambda v: (v.status, v.current_situation, len(v.goals), len(v.interventions))) == (
        PlanStatus.DRAFT, "", 1, 1)


SCRIPT = "<script>alert('x')</script>"


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def _fuzz(client, fields, data):
    form, name = data.draw(st.sampled_from(fields))
    payload = data.draw(PAYLOADS)
    response = client.post(form.action, data={**form.fields, name: payload})
    body = response.get_data(as_text=True)
    assert response.status_code < 500, (form.action, name, payload[:80])
    assert SCRIPT not in body and "onerror=alert(1)>" not in body, (form.action, name)


@pytest.mark.slow
def test_hostile_input_on_every_field_of_the_editor_and_follow_up(app, client, auth, clock, draft, met):
    client.post(f"{PLAN}/goals", data={"goal-horizon": "long", "goal-text": "Keep living at home"})
    client.post(f"{PLAN}/interventions/new", data=_intervention())
    goal_id, item_id = _read(app, lambda v: (v.goals[0].id, v.interventions[0].id))
    now = clock.current
    clock.set(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    with app.test_request_context():
        follow_up = book(anna_sip(), at(date(2026, 3, 4), 14), kind=MeetingKind.FOLLOW_UP)
        follow_up_id = follow_up.id
        planned_id = book(anna_sip(), at(date(2026, 3, 20), 14), kind=MeetingKind.FOLLOW_UP).id
    clock.set(now)
    with app.test_request_context():
        follow_up = db.session.get(Meeting, follow_up_id)
        follow_ups.record_attendance(user("sara"), follow_up, {p.id: True for p in follow_up.participants})
    pages = (PLAN, f"{PLAN}/interventions/new", f"{PLAN}/interventions/{item_id}", f"{PLAN}/goals/{goal_id}",
             f"/work/meetings/{met}/follow-up", f"/work/meetings/{follow_up_id}/follow-up",
             f"/work/meetings/{planned_id}/follow-up")
    found = [form for url in pages for form in forms_on(url, client.get(url).get_data(as_text=True))]
    fields = [(form, name) for form in found for name in form.fields if name != "csrf_token"]
    assert len({form.action for form, _name in fields}) >= 12
    _fuzz(client, fields)
