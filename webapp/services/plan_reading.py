"""The plan as the person reads it: "who does what", grouped as the law asks, and what a new version
changes, in words.

The legal minimum (seed 004): which interventions the municipality provides, which the region
provides, which someone else provides, and whether the municipality or the region holds the overall
responsibility. The person's own part (self-care, seed 002 step 4) and their relatives' are shown
together as "me and my relatives". The rules of versions and approval are ``services.plans``; this
module only arranges a version for reading.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from webapp.extensions import db
from webapp.models import (
    GoalHorizon,
    Intervention,
    InterventionPrincipal,
    Organisation,
    PlanGoal,
    PlanVersion,
    Principal,
    User,
)
from webapp.services import phones
from webapp.services.plans import Change, PlanDiff

#: The groups of "who does what", in the order the plan shows them.
GROUPS = (
    ("municipality", _l("The municipality"), (InterventionPrincipal.MUNICIPALITY,), "no_municipality_interventions"),
    ("region", _l("The region"), (InterventionPrincipal.REGION,), "no_region_interventions"),
    ("other", _l("Others"), (InterventionPrincipal.OTHER,), "no_other_interventions"),
    ("me", _l("Me and my relatives"), (InterventionPrincipal.PERSON, InterventionPrincipal.RELATIVE), None),
)

#: The words for each field of an intervention, as "Changed: how often: from ... to ...".
INTERVENTION_FIELD_LABELS = {
    "what": _l("what"),
    "principal": _l("who provides it"),
    "organisation_id": _l("organisation"),
    "organisation_name": _l("organisation"),
    "responsible_name": _l("responsible person"),
    "responsible_phone": _l("phone"),
    "responsible_email": _l("e-mail"),
    "when": _l("when"),
    "frequency": _l("how often"),
    "place": _l("where"),
    "goal_key": _l("the goal it serves"),
    "evaluation": _l("how it is followed up"),
}
GOAL_FIELD_LABELS = {"horizon": _l("long or short term"), "text": _l("the goal")}
VERSION_FIELD_LABELS = {
    "current_situation": _l("Your situation"),
    "overall_responsibility": _l("Overall responsibility"),
    "coordinator_id": _l("Coordinator"),
    "next_follow_up_on": _l("Next follow-up"),
    "no_follow_up_reason": _l("Why there is no follow-up"),
}
PRINCIPALS = {
    InterventionPrincipal.MUNICIPALITY: _l("The municipality"),
    InterventionPrincipal.REGION: _l("The region"),
    InterventionPrincipal.OTHER: _l("Others"),
    InterventionPrincipal.PERSON: _l("Me"),
    InterventionPrincipal.RELATIVE: _l("My relatives"),
}
OVERALL = {Principal.MUNICIPALITY: _l("The municipality"), Principal.REGION: _l("The region")}
HORIZONS = {GoalHorizon.LONG: _l("Long-term goal"), GoalHorizon.SHORT: _l("Short-term goal")}


@dataclass(frozen=True)
class Responsible:
    """Who to reach about an intervention, with one-tap links."""

    name: str
    organisation: str
    phone: str
    email: str


@dataclass(frozen=True)
class InterventionView:
    intervention: Intervention
    responsible: Responsible
    goal: PlanGoal | None


@dataclass(frozen=True)
class Group:
    key: str
    label: object
    interventions: list[InterventionView]
    says_none: bool


@dataclass
class PlanReading:
    """A version arranged for reading."""

    version: PlanVersion
    groups: list[Group]
    long_goals: list[PlanGoal]
    short_goals: list[PlanGoal]
    coordinator: User | None
    overall_responsibility: object | None
    documented_by: User
    decided_by: User | None


def _responsible(item: Intervention, users: dict[int, User]) -> Responsible:
    person = users.get(item.responsible_user_id) if item.responsible_user_id else None
    organisation = item.organisation
    phone = item.responsible_phone or (person.phone if person else "") or (organisation.phone if organisation else "")
    email = item.responsible_email or (person.email if person else "") or (organisation.email if organisation else "")
    return Responsible(name=item.responsible_name or (person.name if person else ""),
                       organisation=item.organisation_label, phone=phone, email=email)


def read(version: PlanVersion) -> PlanReading:
    """Arrange ``version`` for reading: groups, goals, coordinator and overall responsibility."""
    user_ids = {i.responsible_user_id for i in version.interventions if i.responsible_user_id}
    users = {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(user_ids)))} if user_ids else {}
    goals = {goal.key: goal for goal in version.goals}
    groups = []
    for key, label, principals, none_field in GROUPS:
        items = [InterventionView(i, _responsible(i, users), goals.get(i.goal_key) if i.goal_key else None)
                 for i in version.interventions if i.principal in principals]
        groups.append(Group(key, label, items, bool(none_field and getattr(version, none_field))))
    return PlanReading(
        version=version, groups=groups,
        long_goals=[g for g in version.goals if g.horizon == GoalHorizon.LONG],
        short_goals=[g for g in version.goals if g.horizon == GoalHorizon.SHORT],
        coordinator=version.coordinator,
        overall_responsibility=OVERALL.get(version.overall_responsibility) if version.overall_responsibility else None,
        documented_by=version.documented_by, decided_by=version.decided_by,
    )


# -- What a version changes, in words --------------------------------------------------------------

@dataclass(frozen=True)
class FieldChange:
    """"how often: from 'Every day' to 'Twice a day'"."""

    label: str
    old: str
    new: str


@dataclass
class ChangeLine:
    """One added, removed or changed item, with what it is and, for a change, each field."""

    kind: str               # added, removed, changed
    what: str               # the intervention's "what", or the goal's text
    fields: list[FieldChange] = field(default_factory=list)


@dataclass
class ChangeReading:
    interventions: list[ChangeLine]
    goals: list[ChangeLine]
    fields: list[FieldChange]

    @property
    def empty(self) -> bool:
        return not (self.interventions or self.goals or self.fields)


def _organisation_names(diff: PlanDiff) -> dict[int, str]:
    ids = {getattr(item, "organisation_id") for change in diff.interventions for item in (change.old, change.new)
           if item is not None and getattr(item, "organisation_id")}
    if not ids:
        return {}
    return dict(db.session.execute(sa.select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids))).all())


def _value(name: str, value, goals: dict[str, PlanGoal], organisations: dict[int, str]) -> str:
    """A field's value as words the person reads; an empty value is said, not left blank."""
    if value is None or value == "":
        return str(_l("nothing"))
    if name == "principal":
        return str(PRINCIPALS.get(value, value))
    if name == "organisation_id":
        return organisations.get(value, "")
    if name == "goal_key":
        goal = goals.get(value)
        return goal.text if goal else str(_l("nothing"))
    if name == "horizon":
        return str(HORIZONS.get(value, value))
    if name == "overall_responsibility":
        return str(OVERALL.get(value, value))
    if name == "phone" or name == "responsible_phone":
        return phones.display(value)
    if isinstance(value, date):
        return format_date(value, "long")
    return str(value)


def _lines(changes: list[Change], labels: dict, text_of, goals, organisations) -> list[ChangeLine]:
    lines = []
    for change in changes:
        item = change.new if change.new is not None else change.old
        line = ChangeLine(change.kind, text_of(item))
        for name in change.fields:
            if name == "organisation_name" and "organisation_id" in change.fields:
                continue  # one organisation, said once
            old_goals, new_goals = goals
            old = _value(name, getattr(change.old, name), old_goals, organisations)
            new = _value(name, getattr(change.new, name), new_goals, organisations)
            line.fields.append(FieldChange(str(labels[name]), old, new))
        lines.append(line)
    return lines


def changes(diff: PlanDiff, old: PlanVersion | None, new: PlanVersion) -> ChangeReading:
    """``plans.compare`` in words: each added, removed and changed item, and each changed field."""
    old_goals = {g.key: g for g in old.goals} if old else {}
    new_goals = {g.key: g for g in new.goals}
    organisations = _organisation_names(diff)
    coordinators = {u.id: u.name for u in (old.coordinator if old else None, new.coordinator) if u is not None}
    version_fields = []
    for name in diff.fields:
        before, after = (getattr(old, name) if old else None), getattr(new, name)
        if name == "coordinator_id":
            version_fields.append(FieldChange(str(VERSION_FIELD_LABELS[name]),
                                              coordinators.get(before, str(_l("nothing"))),
                                              coordinators.get(after, str(_l("nothing")))))
            continue
        version_fields.append(FieldChange(str(VERSION_FIELD_LABELS[name]), _value(name, before, {}, {}),
                                          _value(name, after, {}, {})))
    return ChangeReading(
        interventions=_lines(diff.interventions, INTERVENTION_FIELD_LABELS, lambda i: i.what,
                             (old_goals, new_goals), organisations),
        goals=_lines(diff.goals, GOAL_FIELD_LABELS, lambda g: g.text, (old_goals, new_goals), organisations),
        fields=version_fields,
    )
