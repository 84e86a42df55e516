"""Relatives: the person's relatives and invitations (``/relatives``), the people a relative follows
(``/following``) and the invitation link a relative opens (``/join/<token>``, public)."""
from __future__ import annotations

from urllib.parse import quote

import segno
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.extensions import db
from webapp.forms.consent import ConfirmForm
from webapp.forms.relatives import LEVEL_HINTS, SIP_FIELD_PREFIX, InvitationForm, RightsForm, rights_form
from webapp.models import RelativeGrant, Sip
from webapp.services import clock
from webapp.services import relatives as relatives_service
from webapp.services.relatives import Level, RelativeError, Rights

bp = Blueprint("relatives", __name__)

#: Keeps an invitation link across logging in or registering (which start a fresh session).
JOIN_COOKIE = "minsip_join"


@bp.get("/relatives")
def index():
    return render_template(
        "relatives/index.html", links=relatives_service.links_of(current_user),
        invitations=relatives_service.pending_invitations(current_user),
        following=relatives_service.followed_by(current_user))


def _rights(form: RightsForm) -> Rights:
    levels = {int(field.name[len(SIP_FIELD_PREFIX):]): Level(field.data) for field in form.sip_fields()}
    return Rights(levels=levels, can_request=form.can_request.data, ends_on=form.ends_on.data)


def _apply_error(form: RightsForm, error: RelativeError) -> None:
    target = getattr(form, error.field, None)
    if target is None:
        target = form.sip_fields()[0] if form.sip_fields() else form.ends_on
    target.errors.append(error.message)


def _share_links(link: str) -> dict[str, str]:
    message = _("%(name)s invites you to follow along in Min SIP. Open this link within 7 days: %(link)s",
                name=current_user.name, link=link)
    return {
        "email": f"mailto:?subject={quote(_('An invitation to Min SIP'))}&body={quote(message)}",
        "sms": f"sms:?&body={quote(message)}",
        "text": message,
    }


@bp.route("/relatives/invite", methods=["GET", "POST"])
def invite():
    sips = relatives_service.shareable_sips(current_user)
    form = rights_form(InvitationForm, sips)
    if form.validate_on_submit():
        try:
            invitation, token = relatives_service.invite(current_user, form.label.data, _rights(form))
        except RelativeError as error:
            _apply_error(form, error)
        else:
            link = url_for("relatives.join", token=token, _external=True)
            qr = segno.make(link, error="m").svg_data_uri(scale=5, border=4, dark="#000000", light="#ffffff")
            return render_template("relatives/invitation_link.html", invitation=invitation, link=link, qr=qr,
                                   share=_share_links(link))
    return (render_template("relatives/invite.html", form=form, sips=sips, hints=LEVEL_HINTS),
            422 if form.errors else 200)


@bp.post("/relatives/invitations/<int:invitation_id>/cancel")
def cancel_invitation(invitation_id: int):
    if not relatives_service.cancel_invitation(current_user, invitation_id):
        abort(404)
    flash(_("The invitation is cancelled. The link no longer works."), "success")
    return redirect(url_for("relatives.index"), code=303)


def _own_link(link_id: int):
    return relatives_service.link_of(current_user, link_id) or abort(404)


@bp.route("/relatives/<int:link_id>", methods=["GET", "POST"])
def edit(link_id: int):
    link = _own_link(link_id)
    sips = relatives_service.shareable_sips(current_user)
    if request.method == "GET":
        rights = relatives_service.rights_of(link)
        data = {f"{SIP_FIELD_PREFIX}{sip.id}": rights.levels.get(sip.id, Level.NONE).value for sip in sips}
        form = rights_form(RightsForm, sips, data={**data, "can_request": rights.can_request,
                                                   "ends_on": rights.ends_on})
    else:
        form = rights_form(RightsForm, sips)
    if form.validate_on_submit():
        try:
            relatives_service.change_rights(current_user, link, _rights(form))
        except RelativeError as error:
            _apply_error(form, error)
        else:
            flash(_("Saved. %(name)s has these rights from now on.", name=link.relative.name), "success")
            return redirect(url_for("relatives.index"), code=303)
    return (render_template("relatives/edit.html", form=form, link=link, sips=sips, hints=LEVEL_HINTS),
            422 if form.errors else 200)


@bp.post("/relatives/<int:link_id>/remove")
def remove(link_id: int):
    link = _own_link(link_id)
    if ConfirmForm().validate_on_submit():
        relatives_service.remove(current_user, link)
        flash(_("%(name)s is removed and can no longer see anything of yours.", name=link.relative.name), "success")
    return redirect(url_for("relatives.index"), code=303)


@bp.get("/following")
def following():
    return render_template("relatives/following.html", followed=relatives_service.followed_by(current_user))


@bp.post("/following/<int:link_id>/leave")
def leave(link_id: int):
    link = relatives_service.followed_link(current_user, link_id) or abort(404)
    if ConfirmForm().validate_on_submit():
        relatives_service.step_back(current_user, link)
        flash(_("You no longer follow %(name)s.", name=link.person.name), "success")
    return redirect(url_for("relatives.following"), code=303)


def _forget_join(response):
    response.delete_cookie(JOIN_COOKIE, path="/")
    return response


@bp.route("/join/<token>", methods=["GET", "POST"])
def join(token: str):
    invitation = relatives_service.invitation_for_token(token)
    if invitation is None:
        return _forget_join(current_app.make_response((render_template("relatives/join_invalid.html"), 404)))
    if not current_user.is_authenticated:
        if request.method == "POST":
            return redirect(url_for("auth.login", next=request.path), code=303)
        response = current_app.make_response(render_template("relatives/join.html", invitation=invitation,
                                                             token=token, form=None))
        lifetime = int((invitation.expires_at - clock.now()).total_seconds())
        response.set_cookie(JOIN_COOKIE, token, max_age=lifetime, path="/", httponly=True, samesite="Lax",
                            secure=current_app.config["SESSION_COOKIE_SECURE"])
        return response
    form = ConfirmForm()
    status = 200
    if form.validate_on_submit():
        try:
            link = relatives_service.accept(token, current_user)
        except RelativeError as error:
            form.form_errors.append(error.message)
            status = 409
        else:
            flash(_("You now follow %(name)s.", name=link.person.name), "success")
            return _forget_join(redirect(url_for("relatives.following"), code=303))
    problem = _join_problem(invitation)
    page = render_template("relatives/join.html", invitation=invitation, token=token, form=form, problem=problem)
    return _forget_join(current_app.make_response((page, status)))


def _join_problem(invitation) -> str | None:
    if not current_user.is_citizen:
        return _("Log in with your personal account to accept. Staff accounts cannot follow someone.")
    if current_user.id == invitation.person_id:
        return _("This is your own invitation. Give the link to the relative you want to invite.")
    return None


@bp.before_app_request
def _back_to_invitation():
    """After logging in or registering (both land on the home page), go back to the invitation."""
    if request.method != "GET" or request.endpoint != "main.index" or JOIN_COOKIE not in request.cookies:
        return None
    if not current_user.is_authenticated:
        return None
    return redirect(url_for("relatives.join", token=request.cookies[JOIN_COOKIE]))


@bp.app_template_global()
def relative_grant_text(grant: RelativeGrant, for_relative: bool = False) -> str:
    """What a grant allows, in a sentence: to the person about their relative, or to the relative."""
    if for_relative:
        return (_("You see the plan and meetings, and may act for them.") if grant.can_act
                else _("You see the plan and meetings."))
    reference = db.session.get(Sip, grant.sip_id).reference
    if grant.can_act:
        return _("%(reference)s: sees the plan and meetings, and may act for you.", reference=reference)
    return _("%(reference)s: sees the plan and meetings.", reference=reference)
