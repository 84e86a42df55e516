"""The case page and its actions: acknowledge, take, decline, record a consent, close.

Every action is a POST through the ``cases`` or ``consent`` service; someone the access service does
not let work on the SIP gets 404 and learns nothing of it.
"""
from __future__ import annotations

from dataclasses import asdict

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from webapp.forms.work import CloseForm, DeclineForm, RecordConsentForm, for_professional
from webapp.models import ConsentMethod, Resource, Sip
from webapp.services import access, cases, clock, request_status
from webapp.services import consent as consent_service
from webapp.services.access import Standing
from webapp.services.consent_scope import find_sip, organisation_options, relative_options
from webapp.services.consent_scope import timeline as consent_timeline
from webapp.views import request_answers
from webapp.views.work import bp


def _sip(reference: str) -> Sip:
    return find_sip(reference) or abort(404)


def _case_url(sip: Sip) -> str:
    return url_for("work.case", reference=sip.reference)


def _case_page(sip: Sip, seen: access.Access, decline_form=None, close_form=None, status=200):
    recipient = next((r for r in sip.recipients if r.organisation_id == current_user.organisation_id), None)
    return render_template(
        "work/case.html", sip=sip, access=seen, recipient=recipient, consent=seen.consent,
        consent_history=consent_timeline(sip) if seen.can_read_details else [],
        timeline=request_status.timeline(sip), for_staff=True,
        waited=request_status.working_days_waited(sip), overdue=request_status.is_overdue(sip),
        subject_phone=sip.person.phone if sip.person else sip.subject_phone,
        needs=request_answers.needs_of(sip), interpreter_names=request_answers.interpreter_names(sip),
        ended=sip.status in cases.ENDED,
        decline_form=decline_form or DeclineForm(), close_form=close_form or CloseForm(),
    ), status


@bp.get("/sips/<reference>")
def case(reference: str):
    sip = _sip(reference)
    seen = access.access_to(current_user, sip)
    if seen.standing == Standing.STUB:
        # Consent withdrawn or expired: only what they need to know that it was.
        return render_template("work/stub.html", sip=sip, consent=seen.consent)
    seen = access.require_request(current_user, sip,
                                  Resource.SIP if seen.can_read_details else Resource.REQUEST)
    return _case_page(sip, seen)


@bp.get("/requests/<reference>")
def show_request(reference: str):
    """The old address of a request: the case page replaced it."""
    return redirect(url_for("work.case", reference=reference), code=301)


def _done(sip: Sip, message: str):
    flash(message, "success")
    return redirect(_case_url(sip), code=303)


def _refused(sip: Sip, error: cases.CaseError):
    flash(error.message, "error")
    return redirect(_case_url(sip), code=303)


@bp.post("/sips/<reference>/acknowledge")
def acknowledge(reference: str):
    sip = _sip(reference)
    access.require_work(current_user, sip, Resource.REQUEST)
    try:
        cases.acknowledge(current_user, sip)
    except cases.CaseError as error:
        return _refused(sip, error)
    return _done(sip, _("Acknowledged. The person sees that your organisation has received the request."))


@bp.post("/sips/<reference>/take")
def take(reference: str):
    sip = _sip(reference)
    access.require_work(current_user, sip, Resource.REQUEST)
    if sip.status in cases.ENDED:
        return _refused(sip, cases.CaseError("sip", _("This SIP has ended.")))
    cases.take(current_user, sip)
    return _done(sip, _("It is your case now."))


@bp.post("/sips/<reference>/decline")
def decline(reference: str):
    sip = _sip(reference)
    seen = access.require_work(current_user, sip, Resource.REQUEST)
    form = DeclineForm()
    if form.validate():
        try:
            cases.decline(current_user, sip, form.reason.data)
        except cases.CaseError as error:
            form.reason.errors.append(error.message)
        else:
            return _done(sip, _("Declined. The person sees your reason and where to turn."))
    return _case_page(sip, seen, decline_form=form, status=422)


@bp.post("/sips/<reference>/close")
def close(reference: str):
    sip = _sip(reference)
    seen = access.require_work(current_user, sip, Resource.SIP)
    form = CloseForm()
    if form.validate():
        try:
            cases.close(current_user, sip, form.reason.data)
        except cases.CaseError as error:
            form.reason.errors.append(error.message)
        else:
            return _done(sip, _("The SIP is closed. Everyone in it is told."))
    return _case_page(sip, seen, close_form=form, status=422)


def _prepare_consent(form: RecordConsentForm, sip: Sip) -> None:
    for_professional(form)
    form.organisation_ids.choices = [SelectChoice(o.organisation.id, o.organisation.name)
                                     for o in organisation_options(sip)]
    form.relative_ids.choices = [SelectChoice(user.id, user.name) for user in relative_options(sip)]
    today = clock.today()
    form.valid_until.description = _("At most one year from the day it was given: %(date)s at the latest, "
                                     "if it was given today.",
                                     date=format_date(consent_service.latest_end(today), "long"))
    form.given_on.render_kw = {"max": today.isoformat()}


def _consent_defaults(sip: Sip) -> dict:
    state = access.access_to(current_user, sip).consent
    terms = (consent_service.terms_of(state.record) if state.live
             else consent_service.terms_for_new(sip))
    return {**asdict(terms), "given_on": clock.today(), "method": ConsentMethod.ORAL.value}


@bp.route("/sips/<reference>/consent", methods=["GET", "POST"])
def record_consent(reference: str):
    sip = _sip(reference)
    seen = access.require_work(current_user, sip, Resource.CONSENT)
    refusal = consent_service.refusal(sip)
    if refusal:
        flash(refusal, "error")
        return redirect(_case_url(sip), code=303)
    form = RecordConsentForm(data=_consent_defaults(sip)) if request.method == "GET" else RecordConsentForm()
    _prepare_consent(form, sip)
    if request.method == "POST" and form.validate():
        terms = consent_service.ConsentTerms(
            purpose=form.purpose.data, organisation_ids=list(form.organisation_ids.data or []),
            not_agreed=form.not_agreed.data, relative_ids=list(form.relative_ids.data or []),
            valid_until=form.valid_until.data)
        try:
            consent_service.record_by_professional(current_user, sip, method=ConsentMethod(form.method.data),
                                                   terms=terms, given_on=form.given_on.data,
                                                   note=form.note.data)
        except consent_service.ConsentError as error:
            getattr(form, error.field, form.purpose).errors.append(error.message)
        except PermissionError:
            abort(404)
        else:
            return _done(sip, _("The consent is recorded. The person sees it in the app and can withdraw it."))
    return render_template("work/consent.html", sip=sip, access=seen, form=form), 422 if form.errors else 200
