"""My plan: the plan in force, a version waiting for approval, earlier versions, print, PDF and the
copy saved on the phone.

Everyone the access service lets read the SIP's details reads the plan (a relative's read is
logged); only the person approves a version or asks for a change: "the plan may not be changed
without your approval" (seed 003).
"""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.forms.my_plan import ApproveForm, ChangeRequestForm
from webapp.models import PlanStatus, PlanVersion, Resource, Sip
from webapp.services import access, clock, documents, plan_reading, plans
from webapp.services.cases import CaseError
from webapp.views.sips import sip_or_404
from webapp.services.response_cache import cacheable

bp = Blueprint("plans", __name__, url_prefix="/sips/<reference>/plan")

#: The versions a person reads: never a draft staff are still writing.
READABLE = frozenset({PlanStatus.APPROVED, PlanStatus.SUPERSEDED, PlanStatus.PENDING_APPROVAL,
                      PlanStatus.CHANGE_REQUESTED})


def _readable_versions(sip: Sip) -> list[PlanVersion]:
    return [v for v in plans.versions(sip.id) if v.status in READABLE and v.sent_at is not None]


@bp.get("")
@cacheable
def show(reference: str):
    sip = sip_or_404(reference)
    seen = access.require_details(current_user, sip, Resource.PLAN)
    every = plans.versions(sip.id, with_content=True)  # one load for everything the page shows
    version = next((v for v in every if v.status == PlanStatus.APPROVED), None)
    context = dict(sip=sip, access=seen, version=version,
                   reading=plan_reading.read(version) if version else None,
                   waiting=next((v for v in every if v.status == PlanStatus.PENDING_APPROVAL), None),
                   earlier=len([v for v in every if v.status in READABLE and v.sent_at is not None]) > 1,
                   now=clock.now())
    if request.args.get("saved") == "1":
        # The copy the phone keeps: a banner with its date, no forms, no navigation that needs the network.
        return render_template("plans/saved.html", **context)
    return render_template("plans/show.html", **context)


@bp.get("/print")
def print_view(reference: str):
    sip = sip_or_404(reference)
    seen = access.require_details(current_user, sip, Resource.DOCUMENTS)
    version = plans.current(sip.id) or abort(404)
    return render_template("plans/print.html", sip=sip, access=seen, version=version,
                           reading=plan_reading.read(version), now=clock.now())


def _pdf(sip: Sip, seen: access.Access, version: PlanVersion) -> Response:
    html = render_template("plans/pdf.html", sip=sip, access=seen, version=version,
                           reading=plan_reading.read(version), now=clock.now())
    css = render_template("plans/pdf.css", font_stack=documents.FONT_STACK)
    response = Response(documents.render_pdf(html, css), mimetype="application/pdf")
    response.headers.set("Content-Disposition", "attachment",
                         filename=f"{_('plan')}-{sip.reference}-v{version.number}.pdf")
    return response


@bp.get("/plan.pdf")
def pdf(reference: str):
    sip = sip_or_404(reference)
    seen = access.require_details(current_user, sip, Resource.DOCUMENTS)
    return _pdf(sip, seen, plans.current(sip.id) or abort(404))


@bp.get("/versions")
def versions(reference: str):
    sip = sip_or_404(reference)
    seen = access.require_details(current_user, sip, Resource.PLAN)
    return render_template("plans/versions.html", sip=sip, access=seen, versions=_readable_versions(sip))


def _readable(sip: Sip, number: int) -> PlanVersion:
    version = plans.get_version(sip.id, number)
    if version is None or version.status not in READABLE or version.sent_at is None:
        abort(404)
    return version


@bp.get("/versions/<int:number>")
def version(reference: str, number: int):
    sip = sip_or_404(reference)
    seen = access.require_details(current_user, sip, Resource.PLAN)
    version = _readable(sip, number)
    if version.status == PlanStatus.PENDING_APPROVAL:
        return redirect(url_for("plans.waiting", reference=sip.reference))
    if version.status == PlanStatus.APPROVED:
        return redirect(url_for("plans.show", reference=sip.reference))
    return render_template("plans/version.html", sip=sip, access=seen, version=version,
                           reading=plan_reading.read(version))


@bp.get("/versions/<int:number>/plan.pdf")
def version_pdf(reference: str, number: int):
    sip = sip_or_404(reference)
    seen = access.require_details(current_user, sip, Resource.DOCUMENTS)
    return _pdf(sip, seen, _readable(sip, number))


def _waiting_page(sip: Sip, seen: access.Access, version: PlanVersion | None, change_form=None, status=200):
    if version is None:
        return render_template("plans/nothing_waiting.html", sip=sip, access=seen, current=plans.current(sip.id)), status
    current = plans.current(sip.id)
    diff = plan_reading.changes(plans.compare(current, version), current, version)
    return render_template("plans/waiting.html", sip=sip, access=seen, version=version, current=current,
                           changes=diff, reading=plan_reading.read(version),
                           change_form=change_form or ChangeRequestForm(version=version.number)), status


@bp.get("/waiting")
def waiting(reference: str):
    sip = sip_or_404(reference)
    seen = access.require_details(current_user, sip, Resource.PLAN)
    return _waiting_page(sip, seen, plans.awaiting_approval(sip.id))


def _decided_version(sip: Sip, form) -> PlanVersion | None:
    """The waiting version, if it is the one the person read (its number came with the form)."""
    version = plans.awaiting_approval(sip.id)
    if version is None or str(version.number) != (form.version.data or ""):
        flash(_("The version you read is no longer waiting for your approval. Here is where your plan stands now."),
              "warning")
        return None
    return version


@bp.route("/waiting/approve", methods=["GET", "POST"])
def approve(reference: str):
    sip = sip_or_404(reference)
    seen = access.require_person(current_user, sip)
    version = plans.awaiting_approval(sip.id)
    if request.method == "GET":
        if version is None:
            return redirect(url_for("plans.waiting", reference=sip.reference))
        return render_template("plans/approve.html", sip=sip, access=seen, version=version,
                               form=ApproveForm(version=version.number))
    form = ApproveForm()
    version = _decided_version(sip, form)
    if version is None:
        return redirect(url_for("plans.show", reference=sip.reference), code=303)
    try:
        plans.approve(current_user, version)
    except CaseError as error:
        flash(error.message, "error")
        return redirect(url_for("plans.waiting", reference=sip.reference), code=303)
    flash(_("Thank you. Version %(number)d is now your plan.", number=version.number), "success")
    return redirect(url_for("plans.show", reference=sip.reference), code=303)


@bp.post("/waiting/change")
def request_change(reference: str):
    sip = sip_or_404(reference)
    seen = access.require_person(current_user, sip)
    form = ChangeRequestForm()
    if not form.validate():
        return _waiting_page(sip, seen, plans.awaiting_approval(sip.id), form, 422)
    version = _decided_version(sip, form)
    if version is None:
        return redirect(url_for("plans.show", reference=sip.reference), code=303)
    try:
        plans.request_change(current_user, version, form.comment.data)
    except CaseError as error:
        form.comment.errors.append(error.message)
        return _waiting_page(sip, seen, version, form, 422)
    flash(_("Your request is sent to your coordinator. The plan you have now stays in force until you approve "
            "a new version."), "success")
    return redirect(url_for("plans.show", reference=sip.reference), code=303)


@bp.app_template_global()
def plan_groups_label(key: str) -> str:
    """The sentence for a group the plan says has nothing: "The municipality has no interventions"."""
    sentences = {
        "municipality": _("The municipality provides nothing in this plan."),
        "region": _("The region provides nothing in this plan."),
        "other": _("Nobody else provides anything in this plan."),
    }
    return sentences.get(key, "")

