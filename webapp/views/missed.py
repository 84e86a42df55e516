"""A meeting was missed: the person (or a relative allowed to act) reports it, follows the report
(sent, read, answered) and gets a ready-to-send complaint, in Swedish for the authority and in their
own language to read, with where to send it."""
from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from webapp import i18n
from webapp.extensions import db
from webapp.forms.my_meetings import MissedForm
from webapp.models import MissedKind, MissedMeetingReport, Resource
from webapp.services import access, audit, clock, complaints, documents, missed_meetings
from webapp.services import meeting_reading as reading
from webapp.services.cases import CaseError
from webapp.views.meetings import meeting_or_404

bp = Blueprint("missed", __name__)

#: The complaint goes to a Swedish authority in Swedish.
AUTHORITY_LANGUAGE = "sv"


def _form_page(meeting, sip, seen, form, status=200):
    audit.record_read(current_user, sip, Resource.MEETINGS, seen)  # the page shows the meeting
    return render_template("missed/new.html", meeting=meeting, sip=sip, access=seen, form=form,
                           reports=missed_meetings.for_meeting(meeting)), status


def _prepare(form: MissedForm, meeting) -> None:
    form.absent.choices = [SelectChoice(p.id, reading.who(p)) for p in missed_meetings.absent_candidates(meeting)]


@bp.route("/meetings/<int:meeting_id>/missed", methods=["GET", "POST"])
def new(meeting_id: int):
    meeting, sip = meeting_or_404(meeting_id)
    seen = access.access_to(current_user, sip)
    if not seen.can_act:
        abort(404)  # someone who may not act here does not learn that the meeting exists
    form = MissedForm()
    _prepare(form, meeting)
    if not missed_meetings.can_report(meeting):
        audit.record_read(current_user, sip, Resource.MEETINGS, seen)
        return render_template("missed/too_early.html", meeting=meeting, sip=sip), 409 if request.method == "POST" else 200
    if request.method == "POST" and form.validate():
        try:
            report = missed_meetings.file(current_user, meeting, MissedKind(form.kind.data), form.description.data,
                                          list(form.absent.data or []))
        except CaseError as error:
            getattr(form, error.field, form.kind).errors.append(error.message)
        else:
            flash(_("Your report is sent to the coordinator and the organisations concerned."), "success")
            return redirect(url_for("missed.show", report_id=report.id), code=303)
    return _form_page(meeting, sip, seen, form, 422 if form.errors else 200)


def report_or_404(report_id: int) -> tuple[MissedMeetingReport, access.Access]:
    """The report, if the reader may see the SIP's details (a relative's read is logged), or 404."""
    report = db.session.get(MissedMeetingReport, report_id)
    if report is None:
        abort(404)
    _meeting, sip = meeting_or_404(report.meeting_id)
    return report, access.require_details(current_user, sip, Resource.MEETINGS)


def _complaint_text(facts, language: str) -> str:
    with force_locale(language):
        return render_template("missed/complaint.txt", facts=facts, language=language)


@bp.get("/reports/<int:report_id>")
def show(report_id: int):
    report, seen = report_or_404(report_id)
    facts = complaints.facts(report)
    own = str(get_locale())
    return render_template(
        "missed/show.html", report=report, facts=facts, access=seen, sip=facts.sip, meeting=report.meeting,
        swedish=_complaint_text(facts, AUTHORITY_LANGUAGE),
        own=_complaint_text(facts, own) if own != AUTHORITY_LANGUAGE else None,
        own_language=i18n.own_name(own), own_code=own, own_dir=i18n.text_direction(own),
        destinations=complaints.destinations())


@bp.get("/reports/<int:report_id>/complaint.pdf")
def complaint_pdf(report_id: int):
    report, _seen = report_or_404(report_id)
    language = request.args.get("lang", AUTHORITY_LANGUAGE)
    if language not in current_app.config["LANGUAGES"]:
        abort(404)
    facts = complaints.facts(report)
    with force_locale(language):
        html = render_template("missed/complaint_pdf.html", facts=facts, text=_complaint_text(facts, language),
                               lang=language, dir=i18n.text_direction(language), now=clock.now())
    css = render_template("missed/complaint_pdf.css", font_stack=documents.FONT_STACK)
    response = Response(documents.render_pdf(html, css), mimetype="application/pdf")
    response.headers.set("Content-Disposition", "attachment",
                         filename=f"{_('complaint')}-{clock.local(report.meeting.starts_at).date().isoformat()}"
                                  f"-{language}.pdf")
    return response

