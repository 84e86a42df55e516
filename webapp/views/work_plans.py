"""The plan, on the professional's side: the structured editor of the draft, sending it to the person
for approval, the versions and their comparison, and the follow-up of a meeting.

Everything goes through ``services.plans`` and ``services.follow_ups``; only professionals of an
organisation inside a live consent reach these pages (``access.require_work(..., details=True)``),
others get 404, and every read is logged.
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from webapp.extensions import db
from webapp.forms import work_plans as forms
from webapp.models import (
    FollowUpOutcome,
    GoalHorizon,
    Intervention,
    InterventionPrincipal,
    Meeting,
    MeetingKind,
    MeetingStatus,
    PlanGoal,
    PlanStatus,
    PlanVersion,
    Principal,
    Resource,
    Role,
    Sip,
    User,
)
from webapp.services import access, clock, directory, follow_ups, meetings, plan_reading, plans
from webapp.services import requests as request_service
from webapp.services.cases import CaseError
from webapp.views.work import bp

#: Where each legal-minimum problem is fixed in the editor.
SECTIONS = {
    "no_municipality_interventions": "interventions", "no_region_interventions": "interventions",
    "no_other_interventions": "interventions", "overall_responsibility": "responsibility",
    "coordinator_id": "responsibility", "next_follow_up_on": "next-follow-up",
}


def _attach(form, error: CaseError) -> None:
    """A refusal's message next to its field, or as a message on the page when no field is its own."""
    target = next((f for f in form if f.name == error.field or f.short_name == error.field), None)
    if target is None:
        flash(error.message, "error")
    else:
        target.errors.append(error.message)


def _removed(sip: Sip, remove, item, message: str, section: str):
    try:
        remove(current_user, item.version, item)
    except CaseError as error:
        flash(error.message, "error")
    else:
        flash(message, "success")
    return _back(sip, section)


def _sip(reference: str) -> tuple[Sip, access.Access]:
    sip = request_service.by_reference(reference) or abort(404)
    return sip, access.require_work(current_user, sip, Resource.PLAN, details=True)


def _draft(sip: Sip) -> PlanVersion:
    return plans.editable(sip.id) or abort(404)


def _back(sip: Sip, section: str = ""):
    return redirect(url_for("work.plan", reference=sip.reference, _anchor=section or None), code=303)


def _latest_meeting(sip: Sip) -> Meeting | None:
    """The SIP's latest meeting that has begun (and was not cancelled)."""
    started = [m for m in meetings.for_sip(sip) if m.starts_at <= clock.now()
               and m.status in (MeetingStatus.PLANNED, MeetingStatus.HELD)]
    return started[-1] if started else None


def _plan_meeting(sip: Sip, version: PlanVersion) -> Meeting | None:
    """The meeting the draft is made at: its own, or the SIP's latest meeting that has begun."""
    if version.meeting_id:
        return db.session.get(Meeting, version.meeting_id)
    return _latest_meeting(sip)


def _coordinators(seen: access.Access) -> list[User]:
    """Professionals of the organisations inside the consent: the coordinator is one of them."""
    return [u for u in directory.staff_accounts()
            if u.role == Role.PROFESSIONAL and u.active and u.organisation_id in seen.consent.organisation_ids]


def _intervention_form(version: PlanVersion, **kwargs) -> forms.InterventionForm:
    form = forms.InterventionForm(**kwargs)
    form.organisation_id.choices = [SelectChoice("", _("Not from the directory"))] + [
        SelectChoice(str(o.id), o.name) for o in directory.all_organisations(active_only=True)]
    form.goal_key.choices = [SelectChoice("", _("No particular goal"))] + [
        SelectChoice(g.key, f"{forms.HORIZONS[g.horizon]}: {g.text}") for g in version.goals]
    return form


def _responsibility_form(version: PlanVersion, seen: access.Access, **kwargs) -> forms.ResponsibilityForm:
    form = forms.ResponsibilityForm(**kwargs)
    form.coordinator_id.choices = [SelectChoice("", _("Not appointed yet"))] + [
        SelectChoice(str(u.id), ", ".join(part for part in (u.name, u.title, u.organisation.name) if part))
        for u in _coordinators(seen)]
    return form


def _version_form_data(version: PlanVersion) -> dict:
    return dict(
        current_situation=version.current_situation,
        coordinator_id=str(version.coordinator_id or ""),
        overall_responsibility=str(version.overall_responsibility or "") or None,
        no_municipality_interventions=version.no_municipality_interventions,
        no_region_interventions=version.no_region_interventions,
        no_other_interventions=version.no_other_interventions,
        next_follow_up_on=version.next_follow_up_on, no_follow_up_reason=version.no_follow_up_reason,
    )


def _editor(sip: Sip, seen: access.Access, version: PlanVersion, status: int = 200, **given):
    """The editor, with the section that was just refused (``given``) keeping what was typed."""
    data = _version_form_data(version)
    meeting = _plan_meeting(sip, version)
    participants = meeting.participants if meeting is not None else []
    context = dict(
        situation_form=given.get("situation_form") or forms.SituationForm(formdata=None, data=data),
        goal_form=given.get("goal_form") or forms.GoalForm(formdata=None, prefix="goal"),
        none_form=given.get("none_form") or forms.NoneForm(formdata=None, data=data),
        responsibility_form=given.get("responsibility_form") or _responsibility_form(
            version, seen, formdata=None, data=data),
        follow_up_form=given.get("follow_up_form") or forms.NextFollowUpForm(formdata=None, data=data),
        attendance_form=given.get("attendance_form") or forms.attendance_form(participants, formdata=None),
    )
    problems = [(SECTIONS.get(name, ""), message) for name, message in plans.legal_minimum_problems(version)]
    return render_template(
        "work/plans/editor.html", sip=sip, access=seen, version=version, reading=plan_reading.read(version),
        meeting=meeting, participants=participants, problems=problems, send_error=given.get("send_error"),
        current=plans.current(sip.id), principals=list(forms.PRINCIPALS.items()), horizon_label=forms.HORIZONS.get,
        **context), status


@bp.get("/sips/<reference>/plan")
def plan(reference: str):
    sip, seen = _sip(reference)
    version = plans.editable(sip.id)
    if version is None:
        return render_template("work/plans/start.html", sip=sip, access=seen, current=plans.current(sip.id),
                               waiting=plans.awaiting_approval(sip.id))
    return _editor(sip, seen, version)


@bp.post("/sips/<reference>/plan/start")
def start_plan(reference: str):
    sip, seen = _sip(reference)
    try:
        plans.start_draft(current_user, sip, meeting=_latest_meeting(sip))
    except CaseError as error:
        flash(error.message, "error")
        return redirect(url_for("work.plan", reference=sip.reference), code=303)
    flash(_("The draft is ready. Save each part as you go."), "success")
    return _back(sip)


def _save_fields(sip: Sip, seen: access.Access, version: PlanVersion, form, section: str, form_name: str,
                 convert: dict | None = None):
    """Save one section's fields; the other fields of the version stay as they are."""
    if not form.validate():
        return _editor(sip, seen, version, 422, **{form_name: form})
    fields = plans.VersionFields(**{name: getattr(version, name) for name in vars(plans.VersionFields())})
    for name in vars(fields):
        if name in form:
            value = form[name].data
            setattr(fields, name, (convert or {}).get(name, lambda v: v)(value))
    try:
        plans.update(current_user, version, fields)
    except CaseError as error:
        _attach(form, error)
        return _editor(sip, seen, version, 422, **{form_name: form})
    flash(_("Saved."), "success")
    return _back(sip, section)


@bp.post("/sips/<reference>/plan/situation")
def save_situation(reference: str):
    sip, seen = _sip(reference)
    version = _draft(sip)
    return _save_fields(sip, seen, version, forms.SituationForm(), "situation", "situation_form")


@bp.post("/sips/<reference>/plan/none")
def save_none(reference: str):
    sip, seen = _sip(reference)
    version = _draft(sip)
    return _save_fields(sip, seen, version, forms.NoneForm(), "interventions", "none_form")


@bp.post("/sips/<reference>/plan/responsibility")
def save_responsibility(reference: str):
    sip, seen = _sip(reference)
    version = _draft(sip)
    return _save_fields(sip, seen, version, _responsibility_form(version, seen), "responsibility",
                        "responsibility_form", convert=dict(
                            coordinator_id=lambda value: int(value) if value else None,
                            overall_responsibility=lambda value: Principal(value) if value else None))


@bp.post("/sips/<reference>/plan/next-follow-up")
def save_next_follow_up(reference: str):
    sip, seen = _sip(reference)
    version = _draft(sip)
    return _save_fields(sip, seen, version, forms.NextFollowUpForm(), "next-follow-up", "follow_up_form")


@bp.post("/sips/<reference>/plan/attendance")
def save_attendance(reference: str):
    sip, seen = _sip(reference)
    version = _draft(sip)
    meeting = _plan_meeting(sip, version) or abort(404)
    form = forms.attendance_form(meeting.participants)
    if form.validate():
        try:
            plans.record_attendance(current_user, version, meeting, forms.attended(form, meeting.participants))
        except CaseError as error:
            flash(error.message, "error")
            return _editor(sip, seen, version, 422, attendance_form=form)
        flash(_("Attendance saved."), "success")
        return _back(sip, "attendance")
    return _editor(sip, seen, version, 422, attendance_form=form)


# -- Goals -------------------------------------------------------------------------------------------

def _goal(version: PlanVersion, goal_id: int) -> PlanGoal:
    return next((g for g in version.goals if g.id == goal_id), None) or abort(404)


def _save_goal(sip: Sip, seen: access.Access, version: PlanVersion, goal: PlanGoal | None):
    form = forms.GoalForm(prefix="goal")
    if form.validate():
        try:
            plans.save_goal(current_user, version, GoalHorizon(form.horizon.data), form.text.data, goal)
        except CaseError as error:
            _attach(form, error)
        else:
            flash(_("The goal is saved."), "success")
            return _back(sip, "goals")
    if goal is None:
        return _editor(sip, seen, version, 422, goal_form=form)
    return render_template("work/plans/goal.html", sip=sip, version=version, goal=goal, form=form), 422


@bp.post("/sips/<reference>/plan/goals")
def add_goal(reference: str):
    sip, seen = _sip(reference)
    return _save_goal(sip, seen, _draft(sip), None)


@bp.route("/sips/<reference>/plan/goals/<int:goal_id>", methods=["GET", "POST"])
def edit_goal(reference: str, goal_id: int):
    sip, seen = _sip(reference)
    version = _draft(sip)
    goal = _goal(version, goal_id)
    if request.method == "POST":
        return _save_goal(sip, seen, version, goal)
    form = forms.GoalForm(formdata=None, prefix="goal", data=dict(horizon=str(goal.horizon), text=goal.text))
    return render_template("work/plans/goal.html", sip=sip, version=version, goal=goal, form=form)


@bp.post("/sips/<reference>/plan/goals/<int:goal_id>/remove")
def remove_goal(reference: str, goal_id: int):
    sip, _seen = _sip(reference)
    version = _draft(sip)
    return _removed(sip, plans.remove_goal, _goal(version, goal_id), _("The goal is removed."), "goals")


# -- Interventions -----------------------------------------------------------------------------------

def _intervention(version: PlanVersion, intervention_id: int) -> Intervention:
    return next((i for i in version.interventions if i.id == intervention_id), None) or abort(404)


def _intervention_page(sip, version, form, intervention, status=200):
    return render_template("work/plans/intervention.html", sip=sip, version=version, form=form,
                           intervention=intervention), status


def _save_intervention(sip: Sip, version: PlanVersion, intervention: Intervention | None):
    form = _intervention_form(version)
    if form.validate():
        fields = plans.InterventionFields(
            what=form.what.data, principal=InterventionPrincipal(form.principal.data),
            organisation_id=int(form.organisation_id.data) if form.organisation_id.data else None,
            organisation_name=form.organisation_name.data, responsible_name=form.responsible_name.data,
            responsible_phone=form.responsible_phone.data, responsible_email=form.responsible_email.data,
            when=form.when.data, frequency=form.frequency.data, place=form.place.data,
            goal_key=form.goal_key.data or None, evaluation=form.evaluation.data)
        if intervention is not None:
            fields.responsible_user_id = intervention.responsible_user_id
        try:
            plans.save_intervention(current_user, version, fields, intervention)
        except CaseError as error:
            _attach(form, error)
        else:
            flash(_("The intervention is saved."), "success")
            return _back(sip, "interventions")
    return _intervention_page(sip, version, form, intervention, 422)


@bp.route("/sips/<reference>/plan/interventions/new", methods=["GET", "POST"])
def new_intervention(reference: str):
    sip, _seen = _sip(reference)
    version = _draft(sip)
    if request.method == "POST":
        return _save_intervention(sip, version, None)
    principal = request.args.get("principal", "")
    form = _intervention_form(version, formdata=None,
                              data=dict(principal=principal if principal in forms.PRINCIPALS else None))
    return _intervention_page(sip, version, form, None)


@bp.route("/sips/<reference>/plan/interventions/<int:intervention_id>", methods=["GET", "POST"])
def edit_intervention(reference: str, intervention_id: int):
    sip, _seen = _sip(reference)
    version = _draft(sip)
    item = _intervention(version, intervention_id)
    if request.method == "POST":
        return _save_intervention(sip, version, item)
    data = {name: getattr(item, name) for name in plans.INTERVENTION_FIELDS}
    data.update(principal=str(item.principal), organisation_id=str(item.organisation_id or ""),
                goal_key=item.goal_key or "")
    return _intervention_page(sip, version, _intervention_form(version, formdata=None, data=data), item)


@bp.post("/sips/<reference>/plan/interventions/<int:intervention_id>/remove")
def remove_intervention(reference: str, intervention_id: int):
    sip, _seen = _sip(reference)
    version = _draft(sip)
    return _removed(sip, plans.remove_intervention, _intervention(version, intervention_id),
                    _("The intervention is removed."), "interventions")


# -- Sending -----------------------------------------------------------------------------------------

@bp.post("/sips/<reference>/plan/send")
def send_plan(reference: str):
    sip, seen = _sip(reference)
    version = _draft(sip)
    try:
        plans.send(current_user, version)
    except CaseError as error:
        if not plans.legal_minimum_problems(version):
            flash(error.message, "error")
        return _editor(sip, seen, version, 422, send_error=True)
    flash(_("Version %(number)d is sent to %(name)s for approval. It is in force once they approve it.",
            number=version.number, name=sip.display_name), "success")
    return redirect(url_for("work.plan_version", reference=sip.reference, number=version.number), code=303)


# -- Versions ----------------------------------------------------------------------------------------

@bp.get("/sips/<reference>/plan/versions")
def plan_versions(reference: str):
    sip, seen = _sip(reference)
    every = plans.versions(sip.id)
    return render_template("work/plans/versions.html", sip=sip, access=seen, versions=every)


@bp.get("/sips/<reference>/plan/versions/<int:number>")
def plan_version(reference: str, number: int):
    sip, seen = _sip(reference)
    version = plans.get_version(sip.id, number) or abort(404)
    return render_template("work/plans/version.html", sip=sip, access=seen, version=version,
                           reading=plan_reading.read(version))


def _number(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() and len(value) < 9 else None


@bp.get("/sips/<reference>/plan/compare")
def plan_compare(reference: str):
    sip, seen = _sip(reference)
    every = plans.versions(sip.id)
    numbers = [v.number for v in every]
    old_number, new_number = _number("old"), _number("new")
    if new_number is None and numbers:
        new_number = numbers[0]
        old_number = numbers[1] if len(numbers) > 1 else None
    old = plans.get_version(sip.id, old_number) if old_number else None
    new = plans.get_version(sip.id, new_number) if new_number else None
    if (old_number and old is None) or (new_number and new is None):
        abort(404)
    changes = plan_reading.changes(plans.compare(old, new), old, new) if new is not None else None
    return render_template("work/plans/compare.html", sip=sip, access=seen, versions=every, old=old, new=new,
                           changes=changes)


# -- The case page's part and template helpers ------------------------------------------------------

#: A version's status, as staff read it.
STATUSES = {
    PlanStatus.DRAFT: _l("Draft"),
    PlanStatus.PENDING_APPROVAL: _l("Waiting for the person's approval"),
    PlanStatus.CHANGE_REQUESTED: _l("The person asked for a change"),
    PlanStatus.APPROVED: _l("In force"),
    PlanStatus.SUPERSEDED: _l("Replaced by a newer version"),
}


@bp.app_template_global()
def work_plan_status_label(status: PlanStatus) -> str:
    return str(STATUSES.get(status, status))


@bp.app_template_global()
def work_plan_overview(sip: Sip) -> dict:
    """What the case page shows of the plan: the version in force, one waiting, the draft."""
    return dict(current=plans.current(sip.id), waiting=plans.awaiting_approval(sip.id),
                draft=plans.editable(sip.id))


# -- Follow-up ---------------------------------------------------------------------------------------

def _meeting(meeting_id: int) -> tuple[Meeting, Sip, access.Access]:
    meeting = db.session.get(Meeting, meeting_id) or abort(404)
    sip = db.session.get(Sip, meeting.sip_id)
    return meeting, sip, access.require_work(current_user, sip, Resource.MEETINGS, details=True)


def _follow_up_page(meeting: Meeting, sip: Sip, seen: access.Access, status: int = 200, **given):
    context = dict(
        attendance_form=given.get("attendance_form") or forms.attendance_form(meeting.participants, formdata=None),
        outcome_form=given.get("outcome_form") or forms.OutcomeForm(formdata=None),
        skip_form=given.get("skip_form") or forms.SkipForm(formdata=None),
    )
    started = meeting.starts_at <= clock.now()
    return render_template(
        "work/plans/follow_up.html", meeting=meeting, sip=sip, access=seen, started=started,
        is_follow_up=meeting.kind == MeetingKind.FOLLOW_UP, outcome_label=forms.OUTCOMES.get,
        place=meetings.describe_place(meeting), **context), status


@bp.get("/meetings/<int:meeting_id>/follow-up")
def follow_up(meeting_id: int):
    return _follow_up_page(*_meeting(meeting_id))


def _refused(meeting, sip, seen, form, form_name, error: CaseError):
    _attach(form, error)
    return _follow_up_page(meeting, sip, seen, 422, **{form_name: form})


@bp.post("/meetings/<int:meeting_id>/follow-up/attendance")
def follow_up_attendance(meeting_id: int):
    meeting, sip, seen = _meeting(meeting_id)
    form = forms.attendance_form(meeting.participants)
    if not form.validate():
        return _follow_up_page(meeting, sip, seen, 422, attendance_form=form)
    try:
        follow_ups.record_attendance(current_user, meeting, forms.attended(form, meeting.participants))
    except CaseError as error:
        return _refused(meeting, sip, seen, form, "attendance_form", error)
    flash(_("Attendance saved."), "success")
    return redirect(url_for("work.follow_up", meeting_id=meeting.id), code=303)


@bp.post("/meetings/<int:meeting_id>/follow-up/outcome")
def follow_up_outcome(meeting_id: int):
    meeting, sip, seen = _meeting(meeting_id)
    form = forms.OutcomeForm()
    if not form.validate():
        return _follow_up_page(meeting, sip, seen, 422, outcome_form=form)
    outcome = FollowUpOutcome(form.outcome.data)
    if outcome == FollowUpOutcome.REVISE and plans.awaiting_approval(sip.id) is not None:
        form.outcome.errors.append(_("A version is waiting for the person's approval. Wait for their answer."))
        return _follow_up_page(meeting, sip, seen, 422, outcome_form=form)
    try:
        follow_ups.record_outcome(current_user, meeting, outcome, form.note.data)
    except CaseError as error:
        if error.field == "reason":
            error.field = "note"
        return _refused(meeting, sip, seen, form, "outcome_form", error)
    if outcome == FollowUpOutcome.REVISE:
        flash(_("A new draft of the plan is ready to revise."), "success")
        return redirect(url_for("work.plan", reference=sip.reference), code=303)
    flash(_("The SIP is closed. Everyone taking part is told.") if outcome == FollowUpOutcome.CLOSE
          else _("The plan continues unchanged."), "success")
    return redirect(url_for("work.follow_up", meeting_id=meeting.id), code=303)


@bp.post("/meetings/<int:meeting_id>/follow-up/skip")
def skip_follow_up(meeting_id: int):
    meeting, sip, seen = _meeting(meeting_id)
    form = forms.SkipForm()
    if not form.validate():
        return _follow_up_page(meeting, sip, seen, 422, skip_form=form)
    try:
        follow_ups.skip(current_user, meeting, form.reason.data)
    except CaseError as error:
        return _refused(meeting, sip, seen, form, "skip_form", error)
    flash(_("The follow-up is noted as not taken place."), "success")
    return redirect(url_for("work.follow_up", meeting_id=meeting.id), code=303)

