"""Plan versions: drafting, the legal minimum, approval by the person only, comparing versions."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.factories import give_consent, link_relative, make_sip, organisation, user
from webapp.extensions import db
from webapp.models import Event, GoalHorizon, InterventionPrincipal, PlanStatus, Principal, SipStatus
from webapp.services import clock as app_clock
from webapp.services import plans
from webapp.services.cases import CaseError
from webapp.services.plans import InterventionFields, VersionFields


@pytest.fixture
def sip(app, demo, clock):
    with app.test_request_context():
        anna = user("anna")
        sip = make_sip(anna)
        link_relative(anna, user("erik"), sip=sip, can_act=True)
        give_consent(sip)
        yield sip


def _complete(version, sara):
    """Fill a version so that it meets the legal minimum."""
    goal = plans.save_goal(sara, version, GoalHorizon.LONG, "Keep living at home")
    plans.save_intervention(sara, version, InterventionFields(
        what="Home help every morning", principal=InterventionPrincipal.MUNICIPALITY,
        organisation_id=organisation("Haninge kommun").id, frequency="Every day", goal_key=goal.key))
    plans.save_intervention(sara, version, InterventionFields(
        what="Wound care", principal=InterventionPrincipal.REGION,
        organisation_id=organisation("Brandbergens vårdcentral").id, frequency="Twice a week"))
    plans.update(sara, version, VersionFields(
        current_situation="I fell in January.", overall_responsibility=Principal.MUNICIPALITY,
        coordinator_id=sara.id, no_other_interventions=True,
        next_follow_up_on=app_clock.today() + timedelta(days=60)))


def test_a_plan_cannot_be_sent_before_it_meets_the_legal_minimum(sip):
    sara = user("sara")
    version = plans.start_draft(sara, sip)
    assert version.number == 1 and version.status == PlanStatus.DRAFT
    fields = [field for field, _message in plans.legal_minimum_problems(version)]
    assert fields == ["no_municipality_interventions", "no_region_interventions", "no_other_interventions",
                      "overall_responsibility", "coordinator_id", "next_follow_up_on"]
    with pytest.raises(CaseError):
        plans.send(sara, version)
    _complete(version, sara)
    assert plans.legal_minimum_problems(version) == []


def test_none_and_interventions_together_is_a_contradiction(sip):
    sara = user("sara")
    version = plans.start_draft(sara, sip)
    _complete(version, sara)
    plans.update(sara, version, VersionFields(
        overall_responsibility=Principal.REGION, coordinator_id=sara.id, no_municipality_interventions=True,
        no_other_interventions=True, no_follow_up_reason="The SIP closes after this."))
    assert [f for f, _m in plans.legal_minimum_problems(version)] == ["no_municipality_interventions"]


def test_the_plan_changes_only_when_the_person_approves(sip):
    sara, anna = user("sara"), user("anna")
    version = plans.start_draft(sara, sip)
    _complete(version, sara)
    plans.send(sara, version)
    assert plans.current(sip.id) is None and plans.awaiting_approval(sip.id) == version
    with pytest.raises(CaseError):
        plans.save_goal(sara, version, GoalHorizon.SHORT, "Sneaked in")
    for not_the_person in (sara, user("erik"), user("lena")):
        with pytest.raises(PermissionError):
            plans.approve(not_the_person, version)
    plans.approve(anna, version)
    assert plans.current(sip.id) == version and sip.status == SipStatus.PLAN_AGREED
    assert sip.coordinator_id == sara.id
    kinds = [e.kind for e in db.session.scalars(sa.select(Event).where(Event.sip_id == sip.id).order_by(Event.id))]
    assert kinds == ["plan_awaiting_approval", "plan_approved"]


def test_a_new_version_copies_the_plan_and_is_compared_item_by_item(sip):
    sara, anna = user("sara"), user("anna")
    first = plans.start_draft(sara, sip)
    _complete(first, sara)
    plans.send(sara, first)
    plans.approve(anna, first)
    second = plans.start_draft(sara, sip)
    assert second.number == 2 and [i.key for i in second.interventions] == [i.key for i in first.interventions]
    home_help, wound_care = second.interventions
    plans.save_intervention(sara, second, InterventionFields(
        what="Home help every morning and evening", principal=InterventionPrincipal.MUNICIPALITY,
        organisation_id=home_help.organisation_id, frequency="Twice a day", goal_key=home_help.goal_key),
        intervention=home_help)
    plans.remove_intervention(sara, second, wound_care)
    plans.save_intervention(sara, second, InterventionFields(what="Walk with a physiotherapist",
                                                             principal=InterventionPrincipal.PERSON))
    diff = plans.compare(first, second)
    assert [(c.kind, (c.new or c.old).what) for c in diff.interventions] == [
        ("changed", "Home help every morning and evening"),
        ("added", "Walk with a physiotherapist"),
        ("removed", "Wound care"),
    ]
    assert diff.interventions[0].fields == ["what", "frequency"]
    plans.update(sara, second, VersionFields(
        current_situation="Better since February.", overall_responsibility=Principal.MUNICIPALITY,
        coordinator_id=sara.id, no_other_interventions=True, no_region_interventions=True,
        next_follow_up_on=app_clock.today() + timedelta(days=90)))
    assert plans.compare(first, second).fields == ["current_situation", "next_follow_up_on"]
    plans.send(sara, second)
    plans.request_change(anna, second, "I want the evening visit later, at 20.")
    assert second.status == PlanStatus.CHANGE_REQUESTED and plans.current(sip.id) == first
    assert plans.editable(sip.id) == second  # staff revise it and send it again
    plans.send(sara, second)
    plans.approve(anna, second)
    assert first.status == PlanStatus.SUPERSEDED and plans.current(sip.id) == second
    assert [v.number for v in plans.versions(sip.id)] == [2, 1]


def test_asking_for_a_change_needs_a_comment(sip):
    sara, anna = user("sara"), user("anna")
    version = plans.start_draft(sara, sip)
    _complete(version, sara)
    plans.send(sara, version)
    with pytest.raises(CaseError):
        plans.request_change(anna, version, "  ")


def test_only_professionals_inside_the_consent_document_plans(sip):
    with pytest.raises(PermissionError):
        plans.start_draft(user("nils"), sip)
    version = plans.start_draft(user("sara"), sip)
    with pytest.raises(CaseError):
        plans.update(user("sara"), version, VersionFields(coordinator_id=user("nils").id))
    with pytest.raises(CaseError):
        plans.update(user("sara"), version, VersionFields(next_follow_up_on=app_clock.today()))


def test_goal_removal_unlinks_interventions(sip):
    sara = user("sara")
    version = plans.start_draft(sara, sip)
    goal = plans.save_goal(sara, version, GoalHorizon.SHORT, "Walk to the shop")
    item = plans.save_intervention(sara, version, InterventionFields(
        what="Walking practice", principal=InterventionPrincipal.REGION, goal_key=goal.key))
    with pytest.raises(CaseError):
        plans.save_intervention(sara, version, InterventionFields(
            what="x", principal=InterventionPrincipal.REGION, goal_key="not-a-goal"))
    plans.remove_goal(sara, version, goal)
    assert item.goal_key is None and version.goals == []
