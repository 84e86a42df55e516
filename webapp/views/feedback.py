"""Feedback on a meeting: five short questions on a 1 to 5 scale and free text, once per person,
after the meeting has started (after SKR's SIP-kollen; anonymous in the organisations' figures)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.forms.my_meetings import FeedbackForm
from webapp.models import Resource
from webapp.services import access, audit, clock
from webapp.services import feedback as feedback_service
from webapp.services.cases import CaseError
from webapp.views.meetings import meeting_or_404

bp = Blueprint("feedback", __name__)


@bp.route("/meetings/<int:meeting_id>/feedback", methods=["GET", "POST"])
def new(meeting_id: int):
    meeting, sip = meeting_or_404(meeting_id)
    seen = access.access_to(current_user, sip)
    if not seen.can_act:
        abort(404)
    given = feedback_service.given_by(current_user, meeting)
    form = FeedbackForm()
    if given is None and feedback_service.may_give(current_user, meeting) and form.validate_on_submit():
        try:
            feedback_service.give(current_user, meeting, form.answers(), form.comment.data)
        except CaseError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            flash(_("Thank you for your answers. They help the organisations make SIP meetings better."), "success")
            return redirect(url_for("meetings.show", meeting_id=meeting.id), code=303)
    audit.record_read(current_user, sip, Resource.MEETINGS, seen)
    refused = request.method == "POST" and (given is not None or not feedback_service.may_give(current_user, meeting))
    status = 422 if form.errors else 409 if refused else 200
    return render_template("feedback/new.html", meeting=meeting, sip=sip, access=seen, form=form, given=given,
                           too_early=meeting.starts_at > clock.now(),
                           may_give=feedback_service.may_give(current_user, meeting)), status
