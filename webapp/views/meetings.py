"""My meetings: upcoming and past, each meeting's page, answering the invitation, and the ``.ics``.

The person answers their own invitation; a relative allowed to act answers for them
(``services.invitations``). Anyone else gets 404, and every read by someone other than the person
is logged through the access service.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.forms.my_meetings import ACCEPT, CANNOT_COME, AnswerForm
from webapp.models import Meeting, MeetingStatus, Resource, Response as Answer, Sip
from webapp.extensions import db
from webapp.services import access, audit, calendar, clock, feedback, interpreter_languages, invitations
from webapp.services import meeting_reading as reading
from webapp.services import meetings as meeting_service
from webapp.services import missed_meetings, overview
from webapp.services.cases import CaseError
from webapp.views.sips import sip_or_404
from webapp.services.response_cache import cacheable

bp = Blueprint("meetings", __name__)


@bp.app_template_global()
def meeting_place(meeting: Meeting) -> str:
    """Where a meeting is, in words, in the language being written."""
    return reading.place(meeting)


@bp.app_template_global()
def participant_name(participant) -> str:
    """"Lena Berg, Brandbergens vårdcentral"."""
    return reading.who(participant)


@bp.app_template_global()
def language_name(code: str, name: str = "") -> str:
    """An interpreter's language, named in the reader's language."""
    return interpreter_languages.name_of(code, name)


@dataclass(frozen=True)
class Split:
    upcoming: list[Meeting]
    past: list[Meeting]


def _split(found: list[Meeting]) -> Split:
    now = clock.now()
    upcoming = [m for m in found if m.starts_at > now]
    past = sorted((m for m in found if m.starts_at <= now), key=lambda m: m.starts_at, reverse=True)
    return Split(upcoming, past)


@bp.get("/meetings")
@cacheable
def index():
    """Every meeting of the person's own SIPs and of the SIPs they follow."""
    home = overview.for_user(current_user)
    sections = [(summary.sip, _split(meeting_service.for_sip(summary.sip)))
                for summary in home.mine + home.ended]
    followed = [(person.person, [(summary.sip, _split(meeting_service.for_sip(summary.sip)))
                                 for summary in person.sips]) for person in home.followed]
    return render_template("meetings/index.html", sections=sections, followed=followed)


@bp.get("/sips/<reference>/meetings")
@cacheable
def for_sip(reference: str):
    sip = sip_or_404(reference)
    seen = access.require_details(current_user, sip, Resource.MEETINGS)
    return render_template("meetings/for_sip.html", sip=sip, access=seen,
                           meetings=_split(meeting_service.for_sip(sip)))


def meeting_or_404(meeting_id: int) -> tuple[Meeting, Sip]:
    """The meeting and its SIP, or 404 (the access service decides who may see it)."""
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        abort(404)
    return meeting, db.session.get(Sip, meeting.sip_id)


def _show(meeting: Meeting, sip: Sip, seen: access.Access, form: AnswerForm | None = None, status: int = 200):
    mine = reading.person_participant(meeting)
    may_answer = (mine is not None and meeting.status == MeetingStatus.PLANNED and meeting.starts_at > clock.now()
                  and invitations.may_answer(current_user, mine))
    if form is None and may_answer:
        form = AnswerForm(answer=_choice_of(mine), note=mine.response_note)
    return render_template(
        "meetings/show.html", meeting=meeting, sip=sip, access=seen, mine=mine, form=form if may_answer else None,
        invited=reading.invited(meeting), interpreter=reading.interpreter(meeting, sip),
        reports=missed_meetings.for_meeting(meeting),
        may_report=seen.can_act and missed_meetings.can_report(meeting),
        may_give_feedback=feedback.may_give(current_user, meeting) and feedback.given_by(current_user, meeting) is None,
        feedback_given=feedback.given_by(current_user, meeting) is not None,
        started=meeting.starts_at <= clock.now()), status


def _choice_of(participant) -> str | None:
    if participant.response == Answer.ACCEPTED:
        return ACCEPT
    if participant.response == Answer.DECLINED:
        return CANNOT_COME if participant.response_note else "decline"
    return None


@bp.get("/meetings/<int:meeting_id>")
@cacheable
def show(meeting_id: int):
    meeting, sip = meeting_or_404(meeting_id)
    seen = access.require_details(current_user, sip, Resource.MEETINGS)
    return _show(meeting, sip, seen)


@bp.post("/meetings/<int:meeting_id>/answer")
def answer(meeting_id: int):
    meeting, sip = meeting_or_404(meeting_id)
    seen = access.access_to(current_user, sip)
    mine = reading.person_participant(meeting)
    if not seen.can_act or mine is None or not invitations.may_answer(current_user, mine):
        abort(404)
    form = AnswerForm()
    if form.validate():
        response = Answer.ACCEPTED if form.answer.data == ACCEPT else Answer.DECLINED
        try:
            invitations.answer(current_user, mine, response, note=form.note.data)
        except CaseError as error:
            form.answer.errors.append(error.message)
        else:
            if seen.is_person:
                flash(_("Thank you. Your answer is sent to the one who invited you."), "success")
            else:
                flash(_("Thank you. Your answer for %(name)s is sent to the one who invited.",
                        name=sip.display_name), "success")
            return redirect(url_for("meetings.show", meeting_id=meeting.id), code=303)
    audit.record_read(current_user, sip, Resource.MEETINGS, seen)  # the page shows the meeting again
    return _show(meeting, sip, seen, form, 422)


@bp.get("/meetings/<int:meeting_id>/meeting.ics")
def ics(meeting_id: int):
    meeting, sip = meeting_or_404(meeting_id)
    access.require_details(current_user, sip, Resource.MEETINGS)
    body = calendar.meeting_ics(meeting, request.host_url.rstrip("/"))
    response = Response(body, mimetype="text/calendar")
    local = clock.local(meeting.starts_at)
    response.headers.set("Content-Disposition", "attachment",
                         filename=f"{_('sip-meeting')}-{local.date().isoformat()}.ics")
    return response
