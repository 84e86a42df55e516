"""Administration: organisations and staff accounts."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp import i18n
from webapp.forms.admin import OrganisationForm, StaffForm
from webapp.models import Role
from webapp.services import accounts, directory
from webapp.views.labels import ORGANISATION_KINDS, ROLES

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("")
def dashboard():
    return render_template("admin/dashboard.html", counts=directory.counts())


@bp.get("/organisations")
def organisations():
    return render_template("admin/organisations.html", organisations=directory.all_organisations())


def _organisation_form(organisation=None) -> OrganisationForm:
    form = OrganisationForm(obj=organisation if request.method == "GET" else None)
    form.kind.choices = [(kind.value, label) for kind, label in ORGANISATION_KINDS.items()]
    if request.method == "GET" and organisation is not None:
        form.kind.data = organisation.kind.value
    return form


@bp.route("/organisations/new", methods=["GET", "POST"])
def new_organisation():
    form = _organisation_form()
    if form.validate_on_submit():
        try:
            directory.save_organisation(None, form.data)
        except directory.DirectoryError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            flash(_("The organisation is saved."), "success")
            return redirect(url_for("admin.organisations"), code=303)
    return render_template("admin/organisation_form.html", form=form, organisation=None), 422 if form.errors else 200


@bp.route("/organisations/<int:organisation_id>", methods=["GET", "POST"])
def edit_organisation(organisation_id: int):
    organisation = directory.get_organisation(organisation_id) or abort(404)
    form = _organisation_form(organisation)
    if form.validate_on_submit():
        try:
            directory.save_organisation(organisation, form.data)
        except directory.DirectoryError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            flash(_("The organisation is saved."), "success")
            return redirect(url_for("admin.organisations"), code=303)
    return (render_template("admin/organisation_form.html", form=form, organisation=organisation),
            422 if form.errors else 200)


@bp.get("/staff")
def staff():
    return render_template("admin/staff.html", users=directory.staff_accounts())


def _staff_form() -> StaffForm:
    form = StaffForm()
    form.role.choices = [(role.value, ROLES[role]) for role in (Role.PROFESSIONAL, Role.ADMIN)]
    form.organisation_id.choices = [(0, _("None (administrators)"))] + [
        (org.id, org.name) for org in directory.all_organisations()
    ]
    form.language.choices = i18n.language_choices()
    if request.method == "GET":
        form.language.data = "sv"
    return form


@bp.route("/staff/new", methods=["GET", "POST"])
def new_staff():
    form = _staff_form()
    if form.validate_on_submit():
        role = Role(form.role.data)
        organisation = directory.get_organisation(form.organisation_id.data) if form.organisation_id.data else None
        try:
            user, token = accounts.create_staff(
                form.name.data, form.email.data, role, organisation, title=form.title.data,
                phone=form.phone.data or "", language=form.language.data, created_by=current_user,
            )
        except accounts.AccountError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            return render_template("admin/invitation_link.html", user=user,
                                   link=url_for("auth.accept_invitation", token=token, _external=True))
    return render_template("admin/staff_form.html", form=form), 422 if form.errors else 200


@bp.post("/staff/<int:user_id>/invitation")
def renew_invitation(user_id: int):
    user = directory.get_staff(user_id) or abort(404)
    token = accounts.renew_invitation(user, current_user)
    return render_template("admin/invitation_link.html", user=user,
                           link=url_for("auth.accept_invitation", token=token, _external=True))


@bp.post("/staff/<int:user_id>/active")
def set_active(user_id: int):
    user = directory.get_staff(user_id) or abort(404)
    if user.id == current_user.id:
        flash(_("You cannot deactivate your own account."), "error")
        return redirect(url_for("admin.staff"), code=303)
    active = request.form.get("active") == "1"
    accounts.set_active(user, active)
    flash(_("%(name)s can log in again.", name=user.name) if active
          else _("%(name)s is deactivated and logged out everywhere.", name=user.name), "success")
    return redirect(url_for("admin.staff"), code=303)
