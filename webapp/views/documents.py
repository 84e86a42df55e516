"""A SIP's documents, in one or two languages side by side: the plan copy, the consent summary, the
meeting invitations and the missed-meeting complaint.

The person reads them in their own language; a professional at the meeting table prints them in
Swedish and in the person's language side by side. Each column is rendered in its own language
(``force_locale``) and marked with its ``lang`` and ``dir``. Reading a document is a read of the
person's documents: only who ``access`` allows, and logged for anyone but the person.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from webapp import i18n
from webapp.extensions import db
from webapp.models import MeetingParticipant, MeetingStatus, MissedMeetingReport, ParticipantKind, Resource, Sip
from webapp.services import (
    access, clock, complaints, documents, interpreter_bookings, meeting_reading, meetings, plan_reading, plans,
)
from webapp.services.consent_state import state_of
from webapp.views.sips import sip_or_404

bp = Blueprint("documents", __name__, url_prefix="/sips/<reference>/documents")

#: The language of the authorities, and of every document's first column at the meeting table.
SWEDISH = "sv"


@dataclass(frozen=True)
class Document:
    kind: str
    item: int | None
    title: str


@dataclass(frozen=True)
class Kind:
    """How to list a SIP's documents of one kind, and render one of them in the current locale."""
    listed: Callable[[Sip], list[Document]]
    body: Callable[[Sip, int | None, str], str]   # (sip, item, id prefix) -> HTML; 404 if it does not exist


KINDS: dict[str, Kind] = {}


def register(kind: str, listed: Callable[[Sip], list[Document]], body: Callable[[Sip, int | None, str], str]) -> None:
    KINDS[kind] = Kind(listed, body)


def person_language(sip: Sip) -> str:
    """The language the person reads: their account's, else the interpreter's language asked for, else Swedish."""
    languages = current_app.config["LANGUAGES"]
    if sip.person is not None and sip.person.language in languages:
        return sip.person.language
    interpreter = interpreter_bookings.requested_for(sip.id)
    if interpreter is not None and interpreter.language in languages:
        return interpreter.language
    return SWEDISH


# -- the kinds ---------------------------------------------------------------------------------------------

def _plan_listed(sip: Sip) -> list[Document]:
    version = plans.current(sip.id)
    return [Document("plan", None, _("The plan, version %(number)d", number=version.number))] if version else []


def _plan_body(sip: Sip, item: int | None, prefix: str) -> str:
    version = plans.current(sip.id) or abort(404)
    return render_template("plans/_document.html", sip=sip, version=version, reading=plan_reading.read(version),
                           heading=_("SIP plan for %(name)s", name=sip.display_name), is_person=False,
                           title_tag="h2", id_prefix=prefix)


def _consent_listed(sip: Sip) -> list[Document]:
    return [Document("consent", None, _("The consent in force"))] if state_of(sip).live else []


def _consent_body(sip: Sip, item: int | None, prefix: str) -> str:
    state = state_of(sip)
    if not state.live:
        abort(404)
    return render_template("documents/_consent.html", sip=sip, record=state.record, id_prefix=prefix)


def _reports(sip: Sip) -> list[MissedMeetingReport]:
    return list(db.session.scalars(sa.select(MissedMeetingReport).where(MissedMeetingReport.sip_id == sip.id)
                                   .order_by(MissedMeetingReport.id)))


def _complaint_listed(sip: Sip) -> list[Document]:
    return [Document("complaint", report.id,
                     _("Complaint about the meeting on %(date)s",
                       date=clock.local(report.meeting.starts_at).date().strftime("%Y-%m-%d")))
            for report in _reports(sip)]


def _complaint_body(sip: Sip, item: int | None, prefix: str) -> str:
    report = db.session.get(MissedMeetingReport, item) if item else None
    if report is None or report.sip_id != sip.id:
        abort(404)
    facts = complaints.facts(report)
    text = render_template("missed/complaint.txt", facts=facts, language=str(get_locale()))
    return render_template("documents/_complaint.html", text=text, id_prefix=prefix)


def _invitation_listed(sip: Sip) -> list[Document]:
    found, now = [], clock.now()
    for meeting in meetings.for_sip(sip):
        if meeting.status != MeetingStatus.PLANNED or meeting.starts_at < now:
            continue  # an invitation is for a meeting still to come
        person = next((p for p in meeting.participants if p.kind == ParticipantKind.PERSON), None)
        if person is not None:
            found.append(Document("invitation", person.id, _(
                "Invitation to the meeting on %(date)s",
                date=clock.local(meeting.starts_at).date().strftime("%Y-%m-%d"))))
    return found


def _invitation_body(sip: Sip, item: int | None, prefix: str) -> str:
    participant = db.session.get(MeetingParticipant, item) if item else None
    meeting = participant.meeting if participant is not None else None
    if meeting is None or meeting.sip_id != sip.id:
        abort(404)
    return render_template("documents/_invitation.html", meeting=meeting, sip=sip, participant=participant,
                           invited=meeting.participants, interpreter=meeting_reading.interpreter(meeting, sip),
                           inviter=meeting.created_by)


register("plan", _plan_listed, _plan_body)
register("consent", _consent_listed, _consent_body)
register("complaint", _complaint_listed, _complaint_body)
register("invitation", _invitation_listed, _invitation_body)


# -- the pages ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    code: str
    name: str
    dir: str
    body: Markup


def _chosen_languages(sip: Sip) -> list[str]:
    """The ``lang`` arguments (one or two known languages); by default the reader's, and for staff Swedish
    and the person's language."""
    known = current_app.config["LANGUAGES"]
    asked = [code for code in request.args.getlist("lang") if code]
    if any(code not in known for code in asked) or len(asked) > 2:
        abort(404)
    if not asked:
        asked = [SWEDISH, person_language(sip)] if current_user.is_professional else [str(get_locale())]
    return list(dict.fromkeys(asked))


def _columns(sip: Sip, kind: str, item: int | None, languages: list[str]) -> list[Column]:
    found = KINDS.get(kind) or abort(404)
    columns = []
    for position, code in enumerate(languages):
        with force_locale(code):
            body = Markup(found.body(sip, item, f"c{position}-"))  # nosec B704 - rendered by our templates
        columns.append(Column(code, i18n.own_name(code), i18n.text_direction(code), body))
    return columns


def _title(sip: Sip, kind: str, item: int | None) -> str:
    found = KINDS.get(kind) or abort(404)
    return next((d.title for d in found.listed(sip) if d.item == item), None) or abort(404)


def _open(reference: str) -> tuple[Sip, access.Access]:
    sip = sip_or_404(reference)
    return sip, access.require_details(current_user, sip, Resource.DOCUMENTS)


@bp.get("")
def index(reference: str):
    sip, seen = _open(reference)
    documents_here = [doc for kind in KINDS.values() for doc in kind.listed(sip)]
    return render_template("documents/index.html", sip=sip, access=seen, documents=documents_here,
                           languages=_chosen_languages(sip), choices=i18n.language_choices(),
                           person_language=person_language(sip))


def _item() -> int | None:
    value = request.args.get("item", "")
    if not value:
        return None
    if not value.isdigit():
        abort(404)
    return int(value)


@bp.get("/<kind>")
def show(reference: str, kind: str):
    sip, seen = _open(reference)
    item, languages = _item(), _chosen_languages(sip)
    return render_template("documents/show.html", sip=sip, access=seen, kind=kind, item=item,
                           title=_title(sip, kind, item), columns=_columns(sip, kind, item, languages),
                           languages=languages, now=clock.now())


@bp.get("/<kind>.pdf")
def pdf(reference: str, kind: str):
    sip, _seen = _open(reference)
    item, languages = _item(), _chosen_languages(sip)
    title = _title(sip, kind, item)
    html = render_template("documents/pdf.html", sip=sip, title=title, columns=_columns(sip, kind, item, languages),
                           now=clock.now())
    css = render_template("documents/pdf.css", font_stack=documents.FONT_STACK, columns=len(languages))
    response = Response(documents.render_pdf(html, css), mimetype="application/pdf")
    name = "-".join([kind, sip.reference, *([str(item)] if item else []), *languages])
    response.headers.set("Content-Disposition", "attachment", filename=f"{name}.pdf")
    return response


