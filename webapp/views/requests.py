"""Asking for a SIP (the form under /ask), the person's requests and each request's page."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.services import access, request_status
from webapp.services import request_drafts as drafts
from webapp.services import requests as request_service
from webapp.views import request_answers

bp = Blueprint("requests", __name__)


# --- the form ---------------------------------------------------------------------------------

@bp.get("/ask/")
def start():
    data = drafts.load(current_user)
    resume = drafts.first_missing(data) if data else None
    return render_template("requests/start.html", has_draft=bool(data),
                           resume_url=url_for("requests.step", step=resume) if resume else url_for("requests.check"),
                           first_url=url_for("requests.step", step=drafts.STEPS[0]))


@bp.post("/ask/restart")
def restart():
    drafts.discard(current_user)
    return redirect(url_for("requests.step", step=drafts.STEPS[0]), code=303)


def _from_check() -> bool:
    return request.args.get("from") == "check"


@bp.route("/ask/<step>", methods=["GET", "POST"])
def step(step: str):
    if step not in drafts.STEPS:
        abort(404)
    data = drafts.load(current_user)
    if not drafts.may_visit(step, data):
        missing = drafts.first_missing(data)
        return redirect(url_for("requests.step", step=missing) if missing else url_for("requests.check"))
    form_class = request_answers.FORMS[step]
    form = form_class(data=request_answers.initial_data(step, data)) if request.method == "GET" else form_class()
    extra = request_answers.configure(form, step)
    if form.validate_on_submit():
        data = drafts.save_answer(current_user, step, request_answers.answers_of(form))
        return redirect(_after(step, data), code=303)
    previous = drafts.previous_step(step, data)
    back = (url_for("requests.check") if _from_check()
            else url_for("requests.step", step=previous) if previous else url_for("requests.start"))
    number, total = drafts.step_number(step, data)
    return render_template(f"requests/steps/{step}.html", form=form, step=step, back_url=back,
                           number=number, total=total, question=request_answers.QUESTIONS[step],
                           **extra), 422 if form.errors else 200


def _after(step: str, data: dict) -> str:
    """Where a page leads once answered: on, or back to "check your answers" when changing one."""
    missing = drafts.first_missing(data)
    if _from_check():
        return url_for("requests.step", step=missing, **{"from": "check"}) if missing else url_for("requests.check")
    following = drafts.next_step(step, data)
    return url_for("requests.step", step=following) if following else url_for("requests.check")


@bp.route("/ask/check", methods=["GET", "POST"])
def check():
    data = drafts.load(current_user)
    missing = drafts.first_missing(data)
    if missing is not None:
        return redirect(url_for("requests.step", step=missing))
    problem = None
    if request.method == "POST":
        try:
            sip = request_service.submit(current_user, data)
        except request_service.RequestProblem as error:
            problem = error
        else:
            return redirect(url_for("requests.receipt", reference=sip.reference), code=303)
    return render_template("requests/check.html", rows=request_answers.summary(data), problem=problem,
                           back_url=url_for("requests.step", step=drafts.steps_for(data)[-1])), 422 if problem else 200


# --- the person's requests ------------------------------------------------------------------------

@bp.get("/requests")
def index():
    return render_template("requests/index.html", listed=request_service.requests_of(current_user),
                           has_draft=drafts.has_draft(current_user))


def _readable(reference: str):
    sip = request_service.by_reference(reference) or abort(404)
    return sip, access.require_request(current_user, sip)


@bp.get("/requests/<reference>/receipt")
def receipt(reference: str):
    sip, the_access = _readable(reference)
    return render_template("requests/receipt.html", sip=sip,
                           recipient_names=[recipient.organisation.name for recipient in sip.recipients],
                           whom=_("you") if the_access.is_person else sip.display_name)


@bp.get("/requests/<reference>")
def show(reference: str):
    sip, the_access = _readable(reference)
    return render_template(
        "requests/show.html", sip=sip, access=the_access, timeline=request_status.timeline(sip),
        waited=request_status.working_days_waited(sip), overdue=request_status.is_overdue(sip),
        acknowledged_at=request_status.acknowledged_at(sip), contacts_to_call=request_status.whom_to_contact(sip),
        can_withdraw=request_service.can_withdraw(current_user, sip, the_access),
        needs=request_answers.needs_of(sip), interpreter_names=request_answers.interpreter_names(sip),
        subject_phone=sip.subject_phone,
    )


@bp.route("/requests/<reference>/withdraw", methods=["GET", "POST"])
def withdraw(reference: str):
    sip, the_access = _readable(reference)
    if not request_service.can_withdraw(current_user, sip, the_access):
        flash(_("This request can no longer be withdrawn."), "warning")
        return redirect(url_for("requests.show", reference=sip.reference), code=303)
    if request.method == "POST":
        request_service.withdraw(current_user, sip)
        flash(_("Your request %(reference)s is withdrawn.", reference=sip.reference), "success")
        return redirect(url_for("requests.show", reference=sip.reference), code=303)
    return render_template("requests/withdraw.html", sip=sip)
