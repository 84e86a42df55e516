"""The contact map (kontaktkarta): the person's own contacts, as a picture, a list, a print and a vCard.

Citizens only, and only their own contacts: anyone else's contact answers 404.
"""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.forms.contacts import ContactForm
from webapp.services import clock, contact_map, contacts, directory
from webapp.views.labels import SECTORS
from webapp.services.response_cache import cacheable

bp = Blueprint("contacts", __name__, url_prefix="/contacts")


def _page_data() -> dict:
    mine = contacts.contacts_of(current_user)
    groups = contacts.grouped(mine)
    return {
        "contacts": mine,
        "groups": groups,
        "picture": contact_map.layout(current_user.name, groups, SECTORS.get),
    }


@bp.get("")
@cacheable
def index():
    return render_template("contacts/index.html", **_page_data())


@bp.get("/print")
def print_view():
    return render_template("contacts/print.html", printed_on=clock.today(), **_page_data())


@bp.get("/contacts.vcf")
def vcard():
    body = contacts.vcard(contacts.contacts_of(current_user), SECTORS.get)
    response = Response(body, mimetype="text/vcard")
    # Werkzeug writes a translated, non-ASCII name as RFC 6266's filename* too.
    response.headers.set("Content-Disposition", "attachment", filename=_("contacts") + ".vcf")
    return response


def _form(contact=None) -> ContactForm:
    form = ContactForm(obj=contact if request.method == "GET" else None)
    form.sector.choices = [(sector.value, label) for sector, label in SECTORS.items()]
    if request.method == "GET" and contact is not None:
        form.sector.data = contact.sector.value
        form.organisation.data = contact.organisation_label
        local = contacts.next_meeting_local(contact)
        form.next_meeting_at.data = local.replace(tzinfo=None) if local else None
    return form


def _render_form(form: ContactForm, contact=None, status: int = 200):
    organisations = [org.name for org in directory.all_organisations(active_only=True)]
    return render_template("contacts/form.html", form=form, contact=contact, organisations=organisations), status


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = _form()
    if form.validate_on_submit():
        contact = contacts.save_contact(current_user, None, form.data)
        flash(_("%(name)s is added to your contact map.", name=contact.name), "success")
        return redirect(url_for("contacts.index"), code=303)
    return _render_form(form, status=422 if request.method == "POST" else 200)


def _own_contact(contact_id: int):
    # Someone else's contact, or none: the same 404, so nothing is learnt about other people.
    return contacts.contact_of(current_user, contact_id) or abort(404)


@bp.route("/<int:contact_id>/edit", methods=["GET", "POST"])
def edit(contact_id: int):
    contact = _own_contact(contact_id)
    form = _form(contact)
    if form.validate_on_submit():
        contacts.save_contact(current_user, contact, form.data)
        flash(_("The changes to %(name)s are saved.", name=contact.name), "success")
        return redirect(url_for("contacts.index"), code=303)
    return _render_form(form, contact, status=422 if request.method == "POST" else 200)


@bp.get("/<int:contact_id>/remove")
def confirm_remove(contact_id: int):
    return render_template("contacts/remove.html", contact=_own_contact(contact_id))


@bp.post("/<int:contact_id>/remove")
def remove(contact_id: int):
    contact = _own_contact(contact_id)
    name = contact.name
    contacts.remove_contact(current_user, contact)
    flash(_("%(name)s is removed from your contact map.", name=name), "success")
    return redirect(url_for("contacts.index"), code=303)
