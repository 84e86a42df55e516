"""The plan: drafted by staff, sent to the person, in force only once the person approves it.

"Planen får inte ändras utan ditt godkännande" (seed 003): an approved version is never edited; a
change is a new version that waits for the person's approval. The legal minimum (seed 004): which
interventions the municipality provides, which the region provides, which someone else provides, and
whether the municipality or the region holds the overall responsibility.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload
from flask_babel import gettext as _

from webapp.extensions import db
from webapp.models import (
    GoalHorizon,
    Intervention,
    InterventionPrincipal,
    Meeting,
    PlanAttendance,
    PlanGoal,
    PlanStatus,
    PlanVersion,
    Principal,
    Role,
    Sip,
    SipStatus,
    User,
)
from webapp.services import cases, clock, events, follow_ups
from webapp.services.access import access_to
from webapp.services.cases import CaseError

EDITABLE = frozenset({PlanStatus.DRAFT, PlanStatus.CHANGE_REQUESTED})
#: What an intervention says, compared field by field between versions.
INTERVENTION_FIELDS = ("what", "principal", "organisation_id", "organisation_name", "responsible_name",
                       "responsible_phone", "responsible_email", "when", "frequency", "place", "goal_key",
                       "evaluation")
VERSION_FIELDS = ("current_situation", "overall_responsibility", "coordinator_id", "next_follow_up_on",
                  "no_follow_up_reason")


def versions(sip_id: int, with_content: bool = False) -> list[PlanVersion]:
    """Every version, newest first. ``with_content`` loads their goals, interventions (with their
    organisations) and the people named in them in three queries, whatever the plan's size."""
    query = sa.select(PlanVersion).where(PlanVersion.sip_id == sip_id).order_by(PlanVersion.number.desc())
    if with_content:
        query = query.options(
            joinedload(PlanVersion.coordinator), joinedload(PlanVersion.documented_by),
            joinedload(PlanVersion.decided_by),
            selectinload(PlanVersion.interventions).joinedload(Intervention.organisation),
            selectinload(PlanVersion.goals),
        )
    return list(db.session.scalars(query).unique())


def _one(sip_id: int, *statuses: PlanStatus) -> PlanVersion | None:
    return db.session.scalars(
        sa.select(PlanVersion).where(PlanVersion.sip_id == sip_id, PlanVersion.status.in_(statuses))
        .order_by(PlanVersion.number.desc()).limit(1)
    ).first()


def current(sip_id: int) -> PlanVersion | None:
    """The person's plan in force: the approved version."""
    return _one(sip_id, PlanStatus.APPROVED)


def awaiting_approval(sip_id: int) -> PlanVersion | None:
    return _one(sip_id, PlanStatus.PENDING_APPROVAL)


def editable(sip_id: int) -> PlanVersion | None:
    """The draft staff are working on (or the version the person asked to change)."""
    return _one(sip_id, *EDITABLE)


def get_version(sip_id: int, number: int) -> PlanVersion | None:
    return db.session.scalars(
        sa.select(PlanVersion).where(PlanVersion.sip_id == sip_id, PlanVersion.number == number)
    ).first()


def _require_plan_work(user: User, sip: Sip) -> None:
    access = access_to(user, sip)
    if not (access.can_work and access.can_read_details):
        raise PermissionError("a plan is documented only inside a live consent")
    if sip.status in cases.ENDED:
        raise CaseError("sip", _("This SIP has ended."))


def _require_editable(user: User, version: PlanVersion) -> Sip:
    sip = db.session.get(Sip, version.sip_id)
    _require_plan_work(user, sip)
    if version.status not in EDITABLE:
        raise CaseError("version", _("This version can no longer be changed: start a new version instead."))
    return sip


def _copy_into(new: PlanVersion, base: PlanVersion) -> None:
    for name in ("current_situation", "overall_responsibility", "coordinator_id", "no_municipality_interventions",
                 "no_region_interventions", "no_other_interventions"):
        setattr(new, name, getattr(base, name))
    new.goals = [PlanGoal(key=g.key, horizon=g.horizon, text=g.text, position=g.position) for g in base.goals]
    new.interventions = [
        Intervention(key=i.key, position=i.position, principal=i.principal,
                     responsible_user_id=i.responsible_user_id,
                     **{name: getattr(i, name) for name in INTERVENTION_FIELDS if name != "principal"})
        for i in base.interventions
    ]


def start_draft(user: User, sip: Sip, meeting: Meeting | None = None) -> PlanVersion:
    """The version to document: the existing draft, or a new one copied from the plan in force."""
    _require_plan_work(user, sip)
    existing = editable(sip.id)
    if existing is not None:
        return existing
    if awaiting_approval(sip.id) is not None:
        raise CaseError("version", _("A version is waiting for the person's approval. Wait for their answer."))
    db.begin_write()
    number = (db.session.scalar(sa.select(sa.func.max(PlanVersion.number)).where(PlanVersion.sip_id == sip.id))
              or 0) + 1
    now = clock.now()
    version = PlanVersion(sip_id=sip.id, number=number, status=PlanStatus.DRAFT, documented_by_id=user.id,
                          created_at=now, updated_at=now, meeting_id=meeting.id if meeting else None,
                          coordinator_id=sip.coordinator_id)
    base = current(sip.id)
    if base is not None:
        _copy_into(version, base)
    if meeting is not None:
        version.attendance = [
            PlanAttendance(participant_id=p.id, name=p.name, organisation_name=p.organisation_name,
                           attended=bool(p.attended))
            for p in meeting.participants if p.attended is not None
        ]
    db.session.add(version)
    db.session.commit()
    return version


def record_attendance(user: User, version: PlanVersion, meeting: Meeting, attended: dict[int, bool]) -> None:
    """Who came to the meeting the version is made at: recorded on the meeting, copied into the version."""
    sip = _require_editable(user, version)
    if meeting.sip_id != sip.id:
        raise PermissionError("meeting of another SIP")
    follow_ups.record_attendance(user, meeting, attended)
    db.begin_write()
    version.meeting_id = meeting.id
    version.attendance = [
        PlanAttendance(participant_id=p.id, name=p.name, organisation_name=p.organisation_name,
                       attended=bool(p.attended))
        for p in meeting.participants if p.attended is not None
    ]
    version.updated_at = clock.now()
    db.session.commit()


@dataclass
class VersionFields:
    """The plan's own fields, as the editor submits them."""

    current_situation: str = ""
    overall_responsibility: Principal | None = None
    coordinator_id: int | None = None
    no_municipality_interventions: bool = False
    no_region_interventions: bool = False
    no_other_interventions: bool = False
    next_follow_up_on: date | None = None
    no_follow_up_reason: str = ""


def update(user: User, version: PlanVersion, fields: VersionFields) -> None:
    """Save the plan's own fields in an editable version."""
    sip = _require_editable(user, version)
    if fields.coordinator_id is not None:
        coordinator = db.session.get(User, fields.coordinator_id)
        if coordinator is None or coordinator.role != Role.PROFESSIONAL or not access_to(coordinator, sip).can_work:
            raise CaseError("coordinator_id", _("The coordinator is a professional taking part in this SIP."))
    if fields.next_follow_up_on is not None and fields.next_follow_up_on <= clock.today():
        raise CaseError("next_follow_up_on", _("The follow-up date must be in the future."))
    db.begin_write()
    for name, value in vars(fields).items():
        setattr(version, name, value.strip() if isinstance(value, str) else value)
    version.documented_by_id = user.id
    version.updated_at = clock.now()
    db.session.commit()


@dataclass
class InterventionFields:
    what: str
    principal: InterventionPrincipal
    organisation_id: int | None = None
    organisation_name: str = ""
    responsible_name: str = ""
    responsible_user_id: int | None = None
    responsible_phone: str = ""
    responsible_email: str = ""
    when: str = ""
    frequency: str = ""
    place: str = ""
    goal_key: str | None = None
    evaluation: str = ""


def save_intervention(user: User, version: PlanVersion, fields: InterventionFields,
                      intervention: Intervention | None = None) -> Intervention:
    """Add an intervention to an editable version, or change one of its interventions."""
    _require_editable(user, version)
    if not fields.what.strip():
        raise CaseError("what", _("Write what the intervention is."))
    if fields.goal_key and fields.goal_key not in {g.key for g in version.goals}:
        raise CaseError("goal_key", _("Choose one of the plan's goals."))
    if intervention is not None and intervention.version_id != version.id:
        raise PermissionError("intervention of another version")
    db.begin_write()
    if intervention is None:
        intervention = Intervention(key=str(uuid.uuid4()), position=len(version.interventions), what="",
                                    principal=fields.principal)
        version.interventions.append(intervention)
    for name, value in vars(fields).items():
        setattr(intervention, name, value.strip() if isinstance(value, str) else value)
    version.updated_at = clock.now()
    db.session.commit()
    return intervention


def remove_intervention(user: User, version: PlanVersion, intervention: Intervention) -> None:
    _require_editable(user, version)
    if intervention.version_id != version.id:
        raise PermissionError("intervention of another version")
    db.begin_write()
    version.interventions.remove(intervention)
    version.updated_at = clock.now()
    db.session.commit()


def save_goal(user: User, version: PlanVersion, horizon: GoalHorizon, text: str,
              goal: PlanGoal | None = None) -> PlanGoal:
    """Add one of the person's goals, or change one."""
    _require_editable(user, version)
    if not text.strip():
        raise CaseError("text", _("Write the goal, in the person's words."))
    if goal is not None and goal.version_id != version.id:
        raise PermissionError("goal of another version")
    db.begin_write()
    if goal is None:
        goal = PlanGoal(key=str(uuid.uuid4()), horizon=horizon, text="", position=len(version.goals))
        version.goals.append(goal)
    goal.horizon = horizon
    goal.text = text.strip()
    version.updated_at = clock.now()
    db.session.commit()
    return goal


def remove_goal(user: User, version: PlanVersion, goal: PlanGoal) -> None:
    """Remove a goal; interventions that served it no longer point at it."""
    _require_editable(user, version)
    if goal.version_id != version.id:
        raise PermissionError("goal of another version")
    db.begin_write()
    for intervention in version.interventions:
        if intervention.goal_key == goal.key:
            intervention.goal_key = None
    version.goals.remove(goal)
    version.updated_at = clock.now()
    db.session.commit()


def legal_minimum_problems(version: PlanVersion) -> list[tuple[str, str]]:
    """What the plan still lacks before it can be sent, as (field, message)."""
    problems = []
    by_principal = {i.principal for i in version.interventions}
    groups = (
        (InterventionPrincipal.MUNICIPALITY, "no_municipality_interventions",
         _("State the municipality's interventions, or tick that it has none.")),
        (InterventionPrincipal.REGION, "no_region_interventions",
         _("State the region's interventions, or tick that it has none.")),
        (InterventionPrincipal.OTHER, "no_other_interventions",
         _("State what others provide (school, Försäkringskassan, others), or tick that there is nothing.")),
    )
    for principal, none_field, message in groups:
        has_any, says_none = principal in by_principal, getattr(version, none_field)
        if has_any and says_none:
            problems.append((none_field, _("You ticked \"none\" but the plan has such interventions.")))
        elif not has_any and not says_none:
            problems.append((none_field, message))
    if version.overall_responsibility is None:
        problems.append(("overall_responsibility",
                         _("State whether the municipality or the region holds the overall responsibility.")))
    if version.coordinator_id is None:
        problems.append(("coordinator_id", _("Appoint the coordinator, agreed with the person.")))
    if version.next_follow_up_on is None and not version.no_follow_up_reason.strip():
        problems.append(("next_follow_up_on", _("Give the date of the next follow-up, or the reason there is none.")))
    return problems


def send(user: User, version: PlanVersion) -> None:
    """Send the version to the person for approval; it changes nothing until they approve."""
    sip = _require_editable(user, version)
    problems = legal_minimum_problems(version)
    if problems:
        raise CaseError(*problems[0])
    db.begin_write()
    version.status = PlanStatus.PENDING_APPROVAL
    version.sent_at = clock.now()
    version.change_comment = ""
    version.updated_at = clock.now()
    events.record(events.PLAN_AWAITING_APPROVAL, sip=sip, actor=user, version=version.number)
    db.session.commit()


def _may_decide(user: User, sip: Sip) -> bool:
    access = access_to(user, sip)
    if access.is_person:
        return True
    # A person without an account approves on paper or orally; staff on the case record it.
    return sip.person_id is None and access.can_work


def approve(user: User, version: PlanVersion) -> None:
    """The person approves: the version becomes their plan, the one before it is kept as history."""
    sip = db.session.get(Sip, version.sip_id)
    if not _may_decide(user, sip):
        raise PermissionError("only the person approves their plan")
    if version.status != PlanStatus.PENDING_APPROVAL:
        raise CaseError("version", _("This version is not waiting for approval."))
    db.begin_write()
    now = clock.now()
    previous = current(sip.id)
    if previous is not None:
        previous.status = PlanStatus.SUPERSEDED
    version.status = PlanStatus.APPROVED
    version.decided_at = now
    version.decided_by_id = user.id
    sip.coordinator_id = version.coordinator_id
    cases.advance(sip, SipStatus.PLAN_AGREED)
    events.record(events.PLAN_APPROVED, sip=sip, actor=user, version=version.number)
    db.session.commit()


def request_change(user: User, version: PlanVersion, comment: str) -> None:
    """The person asks for a change, with a comment to the coordinator; the plan in force stays."""
    sip = db.session.get(Sip, version.sip_id)
    if not _may_decide(user, sip):
        raise PermissionError("only the person asks for changes to their plan")
    if version.status != PlanStatus.PENDING_APPROVAL:
        raise CaseError("comment", _("This version is not waiting for approval."))
    if not comment.strip():
        raise CaseError("comment", _("Write what you would like changed."))
    db.begin_write()
    version.status = PlanStatus.CHANGE_REQUESTED
    version.change_comment = comment.strip()
    version.decided_at = clock.now()
    version.decided_by_id = user.id
    events.record(events.PLAN_CHANGE_REQUESTED, sip=sip, actor=user, version=version.number)
    db.session.commit()


@dataclass
class Change:
    """One item that differs between two versions."""

    kind: str                   # "added", "removed" or "changed"
    old: object | None
    new: object | None
    fields: list[str] = field(default_factory=list)


@dataclass
class PlanDiff:
    interventions: list[Change]
    goals: list[Change]
    fields: list[str]           # the plan's own fields that changed

    @property
    def empty(self) -> bool:
        return not (self.interventions or self.goals or self.fields)


def _diff_items(old_items: list, new_items: list, names: tuple[str, ...]) -> list[Change]:
    old_by_key = {item.key: item for item in old_items}
    new_by_key = {item.key: item for item in new_items}
    changes = []
    for item in new_items:
        before = old_by_key.get(item.key)
        if before is None:
            changes.append(Change("added", None, item))
            continue
        changed = [name for name in names if getattr(before, name) != getattr(item, name)]
        if changed:
            changes.append(Change("changed", before, item, changed))
    changes.extend(Change("removed", item, None) for item in old_items if item.key not in new_by_key)
    return changes


def compare(old: PlanVersion | None, new: PlanVersion) -> PlanDiff:
    """What ``new`` changes against ``old`` (added, removed, changed), item by item."""
    if old is None:
        return PlanDiff([Change("added", None, i) for i in new.interventions],
                        [Change("added", None, g) for g in new.goals], [])
    return PlanDiff(
        interventions=_diff_items(old.interventions, new.interventions, INTERVENTION_FIELDS),
        goals=_diff_items(old.goals, new.goals, ("horizon", "text")),
        fields=[name for name in VERSION_FIELDS if getattr(old, name) != getattr(new, name)],
    )
