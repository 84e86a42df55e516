"""Missed-meeting reports about the professional's organisation, and the organisation's figures."""
from __future__ import annotations

from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.extensions import db
from webapp.forms.work import AnswerReportForm, PeriodForm
from webapp.models import MissedMeetingReport, ReportStatus, Resource, Sip
from webapp.services import access, audit, clock, complaints, figures, missed_meetings
from webapp.services.cases import CaseError
from webapp.views.work import bp

#: The figures' default period: the last 90 days.
DEFAULT_PERIOD = timedelta(days=89)


@bp.get("/reports")
def reports():
    """The reports about the organisation that the professional may handle, unanswered first."""
    about_us = [report for report in missed_meetings.for_organisation(current_user.organisation_id)
                if missed_meetings.may_handle(current_user, report)]
    about_us.sort(key=lambda report: report.status == ReportStatus.ANSWERED)  # stable: newest first within
    sips = {report.sip_id: db.session.get(Sip, report.sip_id) for report in about_us}
    audit.record_list_reads(current_user, list(sips.values()), Resource.MEETINGS)
    return render_template("work/reports.html", reports=about_us, sips=sips)


def _report_or_404(report_id: int) -> tuple[MissedMeetingReport, Sip]:
    report = db.session.get(MissedMeetingReport, report_id)
    if report is None or not missed_meetings.may_handle(current_user, report):
        abort(404)
    sip = db.session.get(Sip, report.sip_id)
    access.require_work(current_user, sip, Resource.MEETINGS)
    return report, sip


def _report_page(report: MissedMeetingReport, sip: Sip, form: AnswerReportForm, status: int = 200):
    return render_template("work/report.html", report=report, sip=sip, form=form,
                           facts=complaints.facts(report)), status


@bp.get("/reports/<int:report_id>")
def report(report_id: int):
    found, sip = _report_or_404(report_id)
    missed_meetings.mark_read(current_user, found)  # the person sees that someone read it
    return _report_page(found, sip, AnswerReportForm())


@bp.post("/reports/<int:report_id>")
def answer_report(report_id: int):
    found, sip = _report_or_404(report_id)
    form = AnswerReportForm()
    if form.validate():
        try:
            missed_meetings.answer(current_user, found, form.answer.data)
        except CaseError as error:
            form.answer.errors.append(error.message)
        else:
            flash(_("Your answer is sent to the person."), "success")
            return redirect(url_for("work.report", report_id=found.id), code=303)
    return _report_page(found, sip, form, 422)


@bp.get("/figures", endpoint="figures")
def figures_page():
    today = clock.today()
    given = bool(request.args)
    form = PeriodForm(request.args if given else None,
                      data=None if given else {"start": today - DEFAULT_PERIOD, "end": today})
    result = None
    valid = form.validate() if given else True
    if valid:
        result = figures.for_organisation(current_user.organisation_id, form.start.data, form.end.data)
    return render_template("work/figures.html", form=form, figures=result,
                           questions=figures.QUESTIONS), 200 if valid else 422
