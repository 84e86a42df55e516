"""The professional's workspace, minimal for now: the requests sent to their organisation."""
from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user

from webapp.services import access, request_status, work
from webapp.services import requests as request_service
from webapp.views import request_answers

bp = Blueprint("work", __name__, url_prefix="/work")


@bp.get("/")
def index():
    return render_template("work/index.html", queue=work.queue_for(current_user))


@bp.get("/requests/<reference>")
def show_request(reference: str):
    sip = request_service.by_reference(reference) or abort(404)
    access.require_request(current_user, sip)
    return render_template(
        "work/request.html", sip=sip, for_staff=True, timeline=request_status.timeline(sip),
        waited=request_status.working_days_waited(sip), overdue=request_status.is_overdue(sip),
        subject_phone=sip.person.phone if sip.person else sip.subject_phone,
        needs=request_answers.needs_of(sip), interpreter_names=request_answers.interpreter_names(sip),
    )


from webapp.views import work_plans  # noqa: E402,F401
