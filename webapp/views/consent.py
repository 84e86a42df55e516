"""Consent, for one SIP: what is in force and its history; giving, changing, renewing, withdrawing.

Everyone the access service lets read the SIP's details sees the overview (and the read is logged);
only the person gives, changes, renews or withdraws it.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from webapp.forms.consent import ConfirmForm, ConsentForm
from webapp.models import ConsentAction, ConsentMethod, ConsentRecord, Resource, Sip
from webapp.services import access, clock
from webapp.services import consent as consent_service
from webapp.services.consent_scope import consents_of, find_sip, organisation_options, relative_options, timeline
from webapp.services.consent_state import ConsentState, state_of

bp = Blueprint("consent", __name__, url_prefix="/sips/<reference>/consent")


def _sip(reference: str) -> Sip:
    return find_sip(reference) or abort(404)


def _overview_url(sip: Sip) -> str:
    return url_for("consent.overview", reference=sip.reference)


@bp.get("")
def overview(reference: str):
    sip = _sip(reference)
    seen = access.require_details(current_user, sip, Resource.CONSENT)
    state = seen.consent
    return render_template(
        "consent/overview.html", sip=sip, access=seen, state=state, history=timeline(sip),
        renewal_open=consent_service.renewal_open(state), refusal=consent_service.refusal(sip),
    )


def _hints(sip: Sip) -> dict[int, str]:
    hints = {}
    for option in organisation_options(sip):
        if option.in_request and option.on_contact_map:
            hints[option.organisation.id] = _("In your request and on your contact map")
        elif option.in_request:
            hints[option.organisation.id] = _("In your request")
        elif option.on_contact_map:
            hints[option.organisation.id] = _("On your contact map")
        else:
            hints[option.organisation.id] = _("In your earlier consent")
    return hints


def _defaults(sip: Sip, action: ConsentAction, state: ConsentState) -> consent_service.ConsentTerms:
    today = clock.today()
    if action == ConsentAction.CHANGE:
        return consent_service.terms_of(state.record)
    if state.record is not None:
        # Giving again after a withdrawal, or renewing: start from what was agreed last time.
        return consent_service.terms_of(state.record, valid_until=consent_service.latest_end(today))
    return consent_service.terms_for_new(sip)


def _prepare(form: ConsentForm, sip: Sip, period: consent_service.Period) -> None:
    form.organisation_ids.choices = [SelectChoice(o.organisation.id, o.organisation.name)
                                     for o in organisation_options(sip)]
    form.relative_ids.choices = [SelectChoice(user.id, user.name) for user in relative_options(sip)]
    latest = format_date(period.latest, "long")
    form.valid_until.description = (
        _("The end can stay or come sooner: %(date)s at the latest. To make it last longer, renew it when "
          "it is close to its end.", date=latest) if period.change
        else _("At most one year: %(date)s at the latest.", date=latest))
    form.valid_until.render_kw = {"min": max(period.valid_from, clock.today()).isoformat(),
                                  "max": period.latest.isoformat()}


def _terms(form: ConsentForm) -> consent_service.ConsentTerms:
    return consent_service.ConsentTerms(
        purpose=form.purpose.data, organisation_ids=list(form.organisation_ids.data or []),
        not_agreed=form.not_agreed.data, relative_ids=list(form.relative_ids.data or []),
        valid_until=form.valid_until.data)


@dataclass(frozen=True)
class _Page:
    """The words that differ between giving, changing and renewing."""

    title: str
    confirm: str
    done: str


def _page(action: ConsentAction) -> _Page:
    if action == ConsentAction.CHANGE:
        return _Page(_("Change your consent"), _("Confirm the change"), _("Your consent is changed."))
    if action == ConsentAction.RENEW:
        return _Page(_("Renew your consent"), _("Confirm and renew consent"), _("Your consent is renewed."))
    return _Page(_("Give consent"), _("Confirm and give consent"), _("Thank you. Your consent is given."))


def _consent_form(reference: str, action: ConsentAction):
    sip = _sip(reference)
    access.require_person(current_user, sip)
    reason = consent_service.refusal(sip)
    if reason:
        return render_template("consent/refused.html", sip=sip, reason=reason), 200 if request.method == "GET" else 409
    state = state_of(sip)
    try:
        period = consent_service.period_for(action, state, clock.today())
    except consent_service.ConsentError as error:
        flash(error.message, "error")
        return redirect(_overview_url(sip), code=303)
    page = _page(action)
    form = ConsentForm(data=asdict(_defaults(sip, action, state))) if request.method == "GET" else ConsentForm()
    _prepare(form, sip, period)
    step = request.form.get("step")
    context = {"sip": sip, "form": form, "page": page, "action": action, "hints": _hints(sip)}
    if request.method == "GET" or step == "edit":
        return render_template("consent/form.html", **context)
    if form.validate():
        terms = _terms(form)
        try:
            if step == "confirm":
                consent_service.confirm(current_user, sip, action, terms)
                flash(page.done, "success")
                return redirect(_overview_url(sip), code=303)
            preview = consent_service.preview(current_user, sip, action, terms)
        except consent_service.ConsentError as error:
            target = getattr(form, error.field, None)
            if target is None:
                flash(error.message, "error")
                return redirect(_overview_url(sip), code=303)
            target.errors.append(error.message)
        else:
            return render_template("consent/summary.html", preview=preview,
                                   valid_until=preview.terms.valid_until.isoformat(), **context)
    return render_template("consent/form.html", **context), 422


@bp.route("/give", methods=["GET", "POST"])
def give(reference: str):
    return _consent_form(reference, ConsentAction.GIVE)


@bp.route("/change", methods=["GET", "POST"])
def change(reference: str):
    return _consent_form(reference, ConsentAction.CHANGE)


@bp.route("/renew", methods=["GET", "POST"])
def renew(reference: str):
    return _consent_form(reference, ConsentAction.RENEW)


@bp.route("/withdraw", methods=["GET", "POST"])
def withdraw(reference: str):
    sip = _sip(reference)
    seen = access.require_person(current_user, sip)
    if not seen.consent.live:
        flash(_("There is no consent in force to withdraw."), "error")
        return redirect(_overview_url(sip), code=303)
    form = ConfirmForm()
    if form.validate_on_submit():
        consent_service.withdraw(current_user, sip)
        flash(_("Your consent is withdrawn. From now on nothing about you is shared in this SIP."), "success")
        return redirect(_overview_url(sip), code=303)
    return render_template("consent/withdraw.html", sip=sip, state=seen.consent, form=form,
                           meetings=consent_service.planned_meetings(sip)), 422 if form.errors else 200


@dataclass(frozen=True)
class ConsentCard:
    """One line of the person's home page: a SIP, its consent, and whether it ends soon."""

    sip: Sip
    state: ConsentState
    ending_soon: bool


@bp.app_template_global()
def my_consents() -> list[ConsentCard]:
    """For the person's home page: each of their SIPs with its consent; the reminder when it ends soon."""
    if not current_user.is_authenticated or not current_user.is_citizen:
        return []
    today = clock.today()
    return [ConsentCard(sip, state, consent_service.renewal_open(state, today))
            for sip, state in consents_of(current_user)]


@bp.app_template_global()
def consent_how(record: ConsentRecord) -> str:
    """How a step was taken and by whom, in a sentence for the history."""
    who = record.recorded_by
    if record.method == ConsentMethod.APP:
        if who.id == current_user.id:
            return _("By you, in the app.")
        return _("By %(name)s, in the app.", name=who.name)
    recorder = (_("%(name)s, %(organisation)s", name=who.name, organisation=who.organisation.name)
                if who.organisation else who.name)
    if record.method == ConsentMethod.ORAL:
        return _("Given orally. Written down by %(recorder)s.", recorder=recorder)
    return _("Given on paper. Written down by %(recorder)s.", recorder=recorder)
