"""The workspace's meetings (issue 5): book a meeting or the follow-up, the interpreter, answers at a
glance, move or cancel, and the invitation document (kallelse) for each participant.

Routes are added to the ``work`` blueprint. Who may do what is decided by the access service and the
meetings services; every page that shows a person's meeting logs the read (``access.require_*``).
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from webapp.extensions import db
from webapp.forms.work_meetings import (
    BookMeetingForm,
    CancelMeetingForm,
    InterpreterBookingForm,
    InvitationAnswerForm,
    MeetingTimeForm,
    MoveMeetingForm,
)
from webapp.models import (
    Contact,
    InterpreterMode,
    Meeting,
    MeetingKind,
    MeetingParticipant,
    MeetingStatus,
    ParticipantKind,
    PlaceKind,
    Resource,
    Role,
    Sector,
    Sip,
    User,
)
from webapp.models import Response as Answer
from webapp import i18n
from webapp.services import access, audit, clock, contacts, documents, interpreter_bookings, invitations
from webapp.services import interpreter_languages, meetings
from webapp.services import meeting_reading as reading
from webapp.services import requests as request_service
from webapp.services.cases import CaseError
from webapp.services.meetings import Invitee, MeetingDetails
from webapp.views.labels import INTERPRETER_MODES, MEETING_KINDS
from webapp.views.work import bp

PLACE_KINDS = {
    PlaceKind.HOME: lambda: _("The person's home"),
    PlaceKind.ADDRESS: lambda: _("An address"),
    PlaceKind.CLINIC: lambda: _("A clinic"),
    PlaceKind.REMOTE: lambda: _("Remote, with a link"),
}
DOCUMENT_LANGUAGE = "sv"


# -- Shared helpers ------------------------------------------------------------------------------

@bp.app_template_global()
def case_url(sip: Sip) -> str:
    """The case page of a SIP."""
    return url_for("work.case", reference=sip.reference)


@bp.app_template_global()
def work_meetings_of(sip: Sip) -> list[Meeting]:
    """The SIP's meetings for the case page, earliest first."""
    return meetings.for_sip(sip)


@bp.app_template_global()
def answers_at_a_glance(meeting: Meeting) -> dict:
    return invitations.summary(meeting)


@bp.app_template_global()
def interpreter_of(meeting: Meeting):
    """The interpreter state of a meeting, and whether it is flagged (needed, unconfirmed, 3 days or less)."""
    return reading.interpreter(meeting, db.session.get(Sip, meeting.sip_id)), interpreter_bookings.unconfirmed_soon(meeting)


@bp.app_template_global()
def next_meeting_kind(sip: Sip) -> str:
    """``follow_up`` once a first meeting has taken place, else ``first``."""
    now = clock.now()
    held = any(m.kind == MeetingKind.FIRST and (m.status == MeetingStatus.HELD
                                                or (m.status == MeetingStatus.PLANNED and m.starts_at <= now))
               for m in meetings.for_sip(sip))
    return MeetingKind.FOLLOW_UP.value if held else MeetingKind.FIRST.value


def _sip_or_404(reference: str) -> Sip:
    return request_service.by_reference(reference) or abort(404)


def _meeting_or_404(meeting_id: int) -> tuple[Meeting, Sip]:
    meeting = db.session.get(Meeting, meeting_id) or abort(404)
    return meeting, db.session.get(Sip, meeting.sip_id)


def _participant_or_404(meeting: Meeting, participant_id: int) -> MeetingParticipant:
    participant = db.session.get(MeetingParticipant, participant_id)
    if participant is None or participant.meeting_id != meeting.id:
        abort(404)
    return participant


def _work_on(meeting_id: int) -> tuple[Meeting, Sip, access.Access]:
    """A meeting a professional inside the consent works on, with the read logged, or 404."""
    meeting, sip = _meeting_or_404(meeting_id)
    seen = access.require_work(current_user, sip, Resource.MEETINGS, details=True)
    return meeting, sip, seen


def _local(instant: datetime) -> datetime:
    return clock.local(instant).replace(tzinfo=None)


def _set_place_choices(form: MeetingTimeForm) -> None:
    form.place_kind.choices = [(kind.value, label()) for kind, label in PLACE_KINDS.items()]


def _details(form: MeetingTimeForm) -> MeetingDetails:
    return MeetingDetails(
        starts_at=form.starts_at.data.replace(tzinfo=clock.STOCKHOLM).astimezone(clock.now().tzinfo),
        duration_minutes=form.duration_minutes.data, place_kind=PlaceKind(form.place_kind.data),
        address=form.address.data, remote_link=form.remote_link.data, purpose=form.purpose.data)


def _checked_details(form: MeetingTimeForm) -> MeetingDetails | None:
    """The form's time and place if the form and the meetings service accept them; errors on the fields."""
    valid = form.validate()
    if form.starts_at.errors or form.duration_minutes.errors or form.place_kind.errors:
        return None
    try:
        details = _details(form)
    except (OverflowError, ValueError):  # a year the calendar cannot hold in UTC
        form.starts_at.errors.append(_("Choose a time in the future."))
        return None
    for field, message in meetings.check_details(details):
        getattr(form, field).errors.append(message)
    return details if valid and not form.errors else None


# -- Book a meeting ------------------------------------------------------------------------------

def _participant_choices(form: BookMeetingForm, sip: Sip, seen: access.Access) -> None:
    consent = seen.consent
    live = consent.live
    relatives = db.session.scalars(sa.select(User).where(User.id.in_(consent.relative_ids)).order_by(User.name)) \
        if live else []
    form.relative_ids.choices = [(u.id, u.name) for u in relatives]
    mine = contacts.contacts_of(sip.person) if live and sip.person else []
    form.contact_ids.choices = [(c.id, ", ".join(p for p in (c.name, c.role_title, c.organisation_label) if p))
                                for c in mine]
    organisations = sorted(consent.record.organisations, key=lambda o: o.name) if live else []
    org_ids = [o.id for o in organisations if o.active]
    professionals = db.session.scalars(
        sa.select(User).where(User.role == Role.PROFESSIONAL, User.active.is_(True),
                              User.organisation_id.in_(org_ids), User.id != current_user.id).order_by(User.name)
    ) if org_ids else []
    form.professional_ids.choices = [(u.id, ", ".join(p for p in (u.name, u.title, u.organisation.name) if p))
                                     for u in professionals]
    form.organisation_ids.choices = [(o.id, o.name) for o in organisations if o.active]


def _invitees(form: BookMeetingForm) -> list[Invitee]:
    return ([Invitee(ParticipantKind.RELATIVE, user_id=i) for i in form.relative_ids.data or []]
            + [Invitee(ParticipantKind.CONTACT, contact_id=i) for i in form.contact_ids.data or []]
            + [Invitee(ParticipantKind.PROFESSIONAL, user_id=i) for i in form.professional_ids.data or []]
            + [Invitee(ParticipantKind.ORGANISATION, organisation_id=i) for i in form.organisation_ids.data or []])


@bp.route("/sips/<reference>/meetings/new", methods=["GET", "POST"])
def new_meeting(reference: str):
    sip = _sip_or_404(reference)
    seen = access.require_work(current_user, sip, Resource.MEETINGS)
    kind = MeetingKind.FOLLOW_UP if request.args.get("kind") == MeetingKind.FOLLOW_UP.value else MeetingKind.FIRST
    form = BookMeetingForm()
    if request.method == "GET":
        form.starts_at.data = _local(meetings.suggested_start(sip, kind))
        form.purpose.data = sip.purpose
        form.place_kind.data = (PlaceKind.REMOTE.value if sip.place_preference.value == "remote"
                                else PlaceKind.CLINIC.value if sip.place_preference.value == "clinic"
                                else PlaceKind.HOME.value)
    _set_place_choices(form)
    _participant_choices(form, sip, seen)
    problem = None
    if request.method == "POST":
        details = _checked_details(form)
        if details is not None:
            try:
                meeting = meetings.book(current_user, sip, details, _invitees(form), kind=kind)
            except CaseError as error:
                field = getattr(form, error.field, None)
                if field is None or error.field == "sip":
                    problem = error.message
                else:
                    field.errors.append(error.message)
            else:
                flash(_("The meeting is booked and everyone invited is told."), "success")
                return redirect(url_for("work.meeting", meeting_id=meeting.id), code=303)
    return render_template("work/meetings/new.html", sip=sip, access=seen, form=form, kind=kind,
                           problem=problem, consent_live=seen.consent.live,
                           discharge=sip.start_path.value == "discharge"), 422 if request.method == "POST" else 200


# -- The meeting page ----------------------------------------------------------------------------

def _recordable(participant: MeetingParticipant) -> bool:
    """An external contact or organisation: the inviter records their answer."""
    return participant.user_id is None and participant.kind != ParticipantKind.PERSON


@bp.get("/meetings/<int:meeting_id>")
def meeting(meeting_id: int):
    meeting, sip, seen = _work_on(meeting_id)
    mine = next((p for p in meeting.participants if p.user_id == current_user.id), None)
    interpreter, flagged = interpreter_of(meeting)
    return render_template(
        "work/meetings/show.html", meeting=meeting, sip=sip, access=seen, summary=invitations.summary(meeting),
        interpreter=interpreter, flagged=flagged, mine=mine, recordable=_recordable,
        planned=meeting.status == MeetingStatus.PLANNED, ahead=meeting.starts_at > clock.now())


# -- Move and cancel ------------------------------------------------------------------------------

@bp.route("/meetings/<int:meeting_id>/move", methods=["GET", "POST"])
def move_meeting(meeting_id: int):
    meeting, sip, seen = _work_on(meeting_id)
    if meeting.status != MeetingStatus.PLANNED:
        abort(404)
    form = MoveMeetingForm()
    if request.method == "GET":
        form.starts_at.data = _local(meeting.starts_at)
        form.duration_minutes.data = meeting.duration_minutes
        form.place_kind.data = meeting.place_kind.value
        form.address.data, form.remote_link.data = meeting.address, meeting.remote_link
        form.purpose.data = meeting.purpose
    _set_place_choices(form)
    if request.method == "POST":
        details = _checked_details(form)
        if details is not None:
            try:
                meetings.move(current_user, meeting, details, form.reason.data)
            except CaseError as error:
                getattr(form, error.field, form.reason).errors.append(error.message)
            else:
                flash(_("The meeting is moved and everyone invited is told."), "success")
                return redirect(url_for("work.meeting", meeting_id=meeting.id), code=303)
    return render_template("work/meetings/move.html", meeting=meeting, sip=sip, access=seen,
                           form=form), 422 if request.method == "POST" else 200


@bp.route("/meetings/<int:meeting_id>/cancel", methods=["GET", "POST"])
def cancel_meeting(meeting_id: int):
    meeting, sip, seen = _work_on(meeting_id)
    if meeting.status != MeetingStatus.PLANNED:
        abort(404)
    form = CancelMeetingForm()
    if request.method == "POST" and form.validate():
        try:
            meetings.cancel(current_user, meeting, form.reason.data)
        except CaseError as error:
            form.reason.errors.append(error.message)
        else:
            flash(_("The meeting is cancelled and everyone invited is told."), "success")
            return redirect(url_for("work.meeting", meeting_id=meeting.id), code=303)
    return render_template("work/meetings/cancel.html", meeting=meeting, sip=sip, access=seen,
                           form=form), 422 if request.method == "POST" else 200


# -- The interpreter ------------------------------------------------------------------------------

@bp.route("/meetings/<int:meeting_id>/interpreter", methods=["GET", "POST"])
def book_interpreter(meeting_id: int):
    meeting, sip, seen = _work_on(meeting_id)
    if meeting.status != MeetingStatus.PLANNED:
        abort(404)
    form = InterpreterBookingForm()
    form.mode.choices = [(mode.value, INTERPRETER_MODES[mode]) for mode in InterpreterMode]
    if request.method == "GET":
        booked = interpreter_bookings.booking_for(meeting.id) or interpreter_bookings.requested_for(sip.id)
        if booked is not None:
            form.language.data, form.language_name.data = booked.language, booked.language_name
            form.mode.data, form.notes.data = booked.mode.value, booked.notes
            form.agency.data, form.booking_reference.data = booked.agency, booked.booking_reference
            form.confirmed.data = booked.confirmed
        else:
            form.mode.data = InterpreterMode.ON_SITE.value
    if request.method == "POST" and form.validate():
        try:
            interpreter_bookings.book(
                current_user, meeting, form.language.data, InterpreterMode(form.mode.data), form.agency.data,
                form.booking_reference.data, form.confirmed.data,
                sign_language=interpreter_languages.is_sign_language(form.language.data),
                notes=form.notes.data, language_name=form.language_name.data)
        except CaseError as error:
            getattr(form, error.field, form.agency).errors.append(error.message)
        else:
            flash(_("The interpreter booking is saved."), "success")
            return redirect(url_for("work.meeting", meeting_id=meeting.id), code=303)
    language_groups = [(_("Sign languages"), interpreter_languages.sign_languages()),
                       (_("Spoken languages"), interpreter_languages.spoken_languages())]
    return render_template("work/meetings/interpreter.html", meeting=meeting, sip=sip, access=seen, form=form,
                           language_groups=language_groups), 422 if request.method == "POST" else 200


# -- Answers -------------------------------------------------------------------------------------

def _answer(form: InvitationAnswerForm, participant: MeetingParticipant) -> bool:
    """Give or record the answer; ``True`` when it is saved, else the errors are on the form."""
    if not form.validate():
        return False
    try:
        invitations.answer(current_user, participant, Answer(form.response.data),
                           substitute_name=form.substitute_name.data, note=form.note.data)
    except CaseError as error:
        getattr(form, error.field, form.response).errors.append(error.message)
        return False
    return True


def _answer_form(participant: MeetingParticipant) -> InvitationAnswerForm:
    if request.method == "GET" and participant.response != Answer.PENDING:
        return InvitationAnswerForm(response=participant.response.value, substitute_name=participant.substitute_name,
                                    note=participant.response_note)
    return InvitationAnswerForm()


@bp.route("/meetings/<int:meeting_id>/participants/<int:participant_id>/answer", methods=["GET", "POST"])
def record_answer(meeting_id: int, participant_id: int):
    """The inviter (or a colleague on the case) records the answer an external contact gave."""
    meeting, sip, seen = _work_on(meeting_id)
    participant = _participant_or_404(meeting, participant_id)
    if not _recordable(participant) or meeting.status != MeetingStatus.PLANNED or meeting.starts_at <= clock.now():
        abort(404)
    form = _answer_form(participant)
    if request.method == "POST" and _answer(form, participant):
        flash(_("The answer of %(name)s is recorded.", name=participant.name), "success")
        return redirect(url_for("work.meeting", meeting_id=meeting.id), code=303)
    return render_template("work/meetings/answer.html", meeting=meeting, sip=sip, participant=participant,
                           form=form, own=False), 422 if request.method == "POST" else 200


def _own_invitation(meeting: Meeting) -> MeetingParticipant:
    mine = next((p for p in meeting.participants if p.user_id == current_user.id), None)
    if mine is None or not invitations.may_answer(current_user, mine):
        abort(404)
    return mine


@bp.route("/meetings/<int:meeting_id>/answer", methods=["GET", "POST"])
def answer_invitation(meeting_id: int):
    """A professional answers their own invitation: accept, decline, or send someone else."""
    meeting, sip = _meeting_or_404(meeting_id)
    mine = _own_invitation(meeting)
    if meeting.status != MeetingStatus.PLANNED or meeting.starts_at <= clock.now():
        abort(404)
    audit.record_read(current_user, sip, Resource.MEETINGS, access.access_to(current_user, sip))
    form = _answer_form(mine)
    if request.method == "POST" and _answer(form, mine):
        flash(_("Your answer is sent to the one who invited you."), "success")
        return redirect(url_for("work.my_invitations"), code=303)
    return render_template("work/meetings/answer.html", meeting=meeting, sip=sip, participant=mine, form=form,
                           own=True), 422 if request.method == "POST" else 200


@bp.get("/invitations")
def my_invitations():
    """The professional's own invitations to coming meetings, those without an answer first."""
    rows = db.session.execute(
        sa.select(MeetingParticipant, Meeting).join(Meeting, MeetingParticipant.meeting_id == Meeting.id)
        .where(MeetingParticipant.user_id == current_user.id, Meeting.status == MeetingStatus.PLANNED,
               Meeting.starts_at > clock.now())
        .order_by(Meeting.starts_at)
    ).all()
    shown = [(participant, meeting, db.session.get(Sip, meeting.sip_id)) for participant, meeting in rows
             if invitations.may_answer(current_user, participant)]
    audit.record_list_reads(current_user, [sip for _p, _m, sip in shown], Resource.MEETINGS)
    shown.sort(key=lambda row: (row[0].response != Answer.PENDING, row[1].starts_at))
    return render_template("work/meetings/my_invitations.html", invitations=shown)


# -- The invitation document ----------------------------------------------------------------------

def document_language(participant: MeetingParticipant, sip: Sip) -> str:
    """The recipient's language: their account's; the person's for the person and relatives without an
    account; Swedish otherwise. Only languages the installation has."""
    languages = current_app.config["LANGUAGES"]
    if participant.user is not None:
        language = participant.user.language
    elif participant.kind == ParticipantKind.PERSON or _is_relative_contact(participant):
        language = sip.person.language if sip.person else DOCUMENT_LANGUAGE
    else:
        language = DOCUMENT_LANGUAGE
    return language if language in languages else DOCUMENT_LANGUAGE


def _is_relative_contact(participant: MeetingParticipant) -> bool:
    if participant.contact_id is None:
        return False
    contact = db.session.get(Contact, participant.contact_id)
    return contact is not None and contact.sector == Sector.RELATIVE


def _document(meeting_id: int, participant_id: int, template: str) -> tuple[str, str, MeetingParticipant, Meeting]:
    meeting, sip = _meeting_or_404(meeting_id)
    access.require_work(current_user, sip, Resource.DOCUMENTS, details=True)
    participant = _participant_or_404(meeting, participant_id)
    language = document_language(participant, sip)
    with force_locale(language):
        html = render_template(
            template, meeting=meeting, sip=sip, participant=participant, lang=language,
            dir=i18n.text_direction(language), invited=meeting.participants,
            interpreter=reading.interpreter(meeting, sip), inviter=meeting.created_by,
            kind_label=MEETING_KINDS.get(meeting.kind), now=clock.now())
    return html, language, participant, meeting


@bp.get("/meetings/<int:meeting_id>/invitations/<int:participant_id>")
def invitation_print(meeting_id: int, participant_id: int):
    html, _language, _participant, _meeting = _document(meeting_id, participant_id, "work/meetings/invitation_print.html")
    return html


@bp.get("/meetings/<int:meeting_id>/invitations/<int:participant_id>.pdf")
def invitation_pdf(meeting_id: int, participant_id: int):
    html, language, _participant, meeting = _document(meeting_id, participant_id, "work/meetings/invitation_pdf.html")
    css = render_template("work/meetings/invitation_pdf.css", font_stack=documents.FONT_STACK)
    response = Response(documents.render_pdf(html, css), mimetype="application/pdf")
    response.headers.set("Content-Disposition", "attachment",
                         filename=f"kallelse-{clock.local(meeting.starts_at).date().isoformat()}-{participant_id}"
                                  f"-{language}.pdf")
    return response

