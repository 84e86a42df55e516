"""Privacy: who has seen my information (the person's own access log) and my data (download, delete).

Only the person sees these pages, and only their own data: relatives and staff never do.
"""
from __future__ import annotations

from datetime import datetime

from babel.dates import format_skeleton, format_time, get_datetime_format
from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from webapp.forms.privacy import DeleteAccountForm
from webapp.models import AccessLogEntry, Role
from webapp.security import end_session
from webapp.services import audit, clock, my_data
from webapp.services.consent_scope import consents_of
from webapp.views.labels import RESOURCE_READS

bp = Blueprint("privacy", __name__, url_prefix="/privacy")

#: Entries per page of the access log.
LOG_PAGE = 50


@bp.app_template_filter("moment")
def moment(instant: datetime) -> str:
    """An instant as people say it, in Swedish time and the reader's language: "3 March 14:02"
    (with the year when it is not this year)."""
    local = clock.local(instant).replace(tzinfo=None)
    locale = get_locale()
    skeleton = "MMMMd" if local.year == clock.today().year else "yMMMMd"
    day = format_skeleton(skeleton, local, locale=locale)
    time = format_time(local, "short", locale=locale)
    return get_datetime_format("medium", locale=locale).replace("{1}", day).replace("{0}", time)


def reader_name(name: str, organisation: str, role: str) -> str:
    """A reader as the person knows them: "Sara Lind, Haninge kommun" or "Erik Andersson (relative)"."""
    if role == Role.CITIZEN:
        return _("%(name)s (relative)", name=name)
    return _("%(name)s, %(organisation)s", name=name, organisation=organisation) if organisation else name


@bp.app_template_global()
def access_sentence(entry: AccessLogEntry | dict) -> str:
    """One read in plain language: "Sara Lind, Haninge kommun, read your plan"."""
    def value(name):
        return entry[name] if isinstance(entry, dict) else getattr(entry, name)

    who = reader_name(value("actor_name"), value("actor_organisation"), value("actor_role"))
    return _("%(who)s, %(what)s", who=who, what=RESOURCE_READS[value("resource")])


@bp.get("")
def index():
    return render_template("privacy/index.html")


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() else None


@bp.get("/access-log")
def access_log():
    readers = audit.readers_of(current_user.id)
    who = _int_arg("who")
    reader = next((r for r in readers if r.actor_id == who), None)
    entries = audit.entries_for(current_user.id, actor_id=reader.actor_id if reader else None,
                                limit=LOG_PAGE + 1, before_id=_int_arg("before"))
    more = len(entries) > LOG_PAGE
    entries = entries[:LOG_PAGE]
    older = url_for("privacy.access_log", who=reader.actor_id if reader else None,
                    before=entries[-1].id) if more else None
    return render_template("privacy/access_log.html", entries=entries, readers=readers, reader=reader,
                           references=audit.sip_references(entries),
                           older=older, paged=request.args.get("before") is not None,
                           reader_label=lambda r: reader_name(r.name, r.organisation, r.role))


@bp.get("/my-data")
def my_data_page():
    form = DeleteAccountForm()
    return _my_data_page(form)


def _my_data_page(form: DeleteAccountForm, status: int = 200):
    live = [sip for sip, state in consents_of(current_user) if state.live]
    return render_template("privacy/my_data.html", form=form, live_consents=live), status


def _download_name(extension: str) -> str:
    return f"min-sip-my-data-{clock.today().isoformat()}.{extension}"


@bp.get("/my-data.json")
def download_json():
    return Response(my_data.export_json(current_user), mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{_download_name("json")}"'})


@bp.get("/my-data.pdf")
def download_pdf():
    html = render_template("privacy/my_data_pdf.html", data=my_data.collect(current_user))
    css = render_template("privacy/my_data_pdf.css")
    return Response(my_data.render_pdf(html, css), mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{_download_name("pdf")}"'})


@bp.post("/my-data/delete")
def delete_account():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        if form.confirm_email.data.strip().casefold() != current_user.email.casefold():
            form.confirm_email.errors.append(_("That is not your e-mail address. Type it exactly as shown above."))
        else:
            my_data.delete_account(current_user._get_current_object())
            end_session()
            flash(_("Your account is deleted. Thank you for using Min SIP."), "success")
            return redirect(url_for("main.index"), code=303)
    return _my_data_page(form, 422)

