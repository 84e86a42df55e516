"""Meetings and invitations (kallelse): book, move, cancel; who is invited.

From the local routine (seed 002, step 2 and 3): consent is obtained before anyone is invited; invite
2-3 weeks ahead (a home-initiated SIP is not for emergencies), while discharge from hospital may call
at short notice; the meeting takes 45 minutes, one hour at most; whoever invites writes down who is
invited, with name and phone, and books the interpreter.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask_babel import gettext as _

from webapp.extensions import db
from webapp.models import (
    DEFAULT_DURATION,
    MAX_DURATION,
    Contact,
    Meeting,
    MeetingChange,
    MeetingKind,
    MeetingParticipant,
    MeetingStatus,
    Organisation,
    ParticipantKind,
    PlaceKind,
    Response,
    Role,
    Sip,
    StartPath,
    User,
)
from webapp.services import cases, clock, events, working_days
from webapp.services.access import access_to
from webapp.services.cases import CaseError

MIN_DURATION = 15
#: "Kallelse bör ske med 2-3 veckors framförhållning" (seed 002, step 2).
NOTICE_DAYS_HOME = 14
SUGGESTED_HOUR = 10


@dataclass(frozen=True)
class Invitee:
    """Someone to invite, as the inviter picked them: exactly one of the ids (or a person without account)."""

    kind: ParticipantKind
    user_id: int | None = None
    contact_id: int | None = None
    organisation_id: int | None = None


@dataclass(frozen=True)
class MeetingDetails:
    starts_at: datetime
    duration_minutes: int = DEFAULT_DURATION
    place_kind: PlaceKind = PlaceKind.HOME
    address: str = ""
    remote_link: str = ""
    purpose: str = ""


def suggested_start(sip: Sip, kind: MeetingKind = MeetingKind.FIRST) -> datetime:
    """When the form proposes the meeting: 2 weeks ahead on a working day at 10:00, or the next
    working day for a discharge from hospital, which often calls at short notice."""
    today = clock.today()
    if sip.start_path == StartPath.DISCHARGE and kind == MeetingKind.FIRST:
        day = working_days.add_working_days(today, 1)
    else:
        day = today + timedelta(days=NOTICE_DAYS_HOME)
        while not working_days.is_working_day(day):
            day += timedelta(days=1)
    return datetime.combine(day, time(SUGGESTED_HOUR), tzinfo=clock.STOCKHOLM).astimezone(clock.now().tzinfo)


def _require_consented_work(user: User, sip: Sip) -> None:
    access = access_to(user, sip)
    if not access.can_work:
        raise PermissionError("not inside this SIP's scope")
    if not access.consent.live:
        # "Samtycke krävs för att genomföra SIP och inhämtas innan kallelse till mötet" (seed 002, step 1).
        raise CaseError("sip", _("Consent is needed before anyone can be invited."))
    if sip.status in cases.ENDED:
        raise CaseError("sip", _("This SIP has ended."))


def check_details(details: MeetingDetails) -> list[tuple[str, str]]:
    """The problems with a meeting's time and place, as (field, message)."""
    problems = []
    if details.starts_at <= clock.now():
        problems.append(("starts_at", _("Choose a time in the future.")))
    if not MIN_DURATION <= details.duration_minutes <= MAX_DURATION:
        problems.append(("duration_minutes", _("A SIP meeting takes %(min)d to %(max)d minutes.",
                                               min=MIN_DURATION, max=MAX_DURATION)))
    if details.place_kind in (PlaceKind.ADDRESS, PlaceKind.CLINIC) and not details.address.strip():
        problems.append(("address", _("Write the address of the place.")))
    if details.place_kind == PlaceKind.REMOTE:
        parts = urlsplit(details.remote_link.strip())
        if parts.scheme != "https" or not parts.netloc:
            problems.append(("remote_link", _("Give the link to the remote meeting, starting with https://.")))
    if not details.purpose.strip():
        problems.append(("purpose", _("Write the purpose of the meeting: the invitation states it.")))
    return problems


def _participant_for(sip: Sip, invitee: Invitee, consent_relatives: frozenset[int]) -> MeetingParticipant:
    if invitee.kind == ParticipantKind.RELATIVE:
        if invitee.user_id not in consent_relatives:
            raise CaseError("participants", _("Only relatives the person's consent names can be invited."))
        user = db.session.get(User, invitee.user_id)
        return MeetingParticipant(kind=invitee.kind, user_id=user.id, name=user.name, phone=user.phone,
                                  email=user.email, language=user.language)
    if invitee.kind == ParticipantKind.CONTACT:
        contact = db.session.get(Contact, invitee.contact_id)
        if contact is None or contact.owner_id != sip.person_id:
            raise CaseError("participants", _("That contact is not on the person's contact map."))
        return MeetingParticipant(kind=invitee.kind, contact_id=contact.id, name=contact.name,
                                  role_title=contact.role_title, organisation_name=contact.organisation_label,
                                  organisation_id=contact.organisation_id, phone=contact.phone, email=contact.email)
    if invitee.kind == ParticipantKind.PROFESSIONAL:
        user = db.session.get(User, invitee.user_id)
        if user is None or user.role != Role.PROFESSIONAL or not user.active:
            raise CaseError("participants", _("That professional cannot be invited."))
        return MeetingParticipant(kind=invitee.kind, user_id=user.id, name=user.name, role_title=user.title,
                                  organisation_id=user.organisation_id,
                                  organisation_name=user.organisation.name if user.organisation else "",
                                  phone=user.phone, email=user.email, language=user.language)
    if invitee.kind == ParticipantKind.ORGANISATION:
        organisation = db.session.get(Organisation, invitee.organisation_id)
        if organisation is None or not organisation.active:
            raise CaseError("participants", _("That organisation cannot be invited."))
        return MeetingParticipant(kind=invitee.kind, organisation_id=organisation.id, name=organisation.name,
                                  organisation_name=organisation.name, phone=organisation.phone,
                                  email=organisation.email)
    raise CaseError("participants", _("Choose who to invite."))


def _person_participant(sip: Sip) -> MeetingParticipant:
    """The person is always invited: the meeting is theirs ("talk to the person", seed 002)."""
    if sip.person is not None:
        return MeetingParticipant(kind=ParticipantKind.PERSON, user_id=sip.person.id, name=sip.person.name,
                                  phone=sip.person.phone, email=sip.person.email, language=sip.person.language)
    return MeetingParticipant(kind=ParticipantKind.PERSON, name=sip.subject_name, phone=sip.subject_phone)


def book(inviter: User, sip: Sip, details: MeetingDetails, invitees: list[Invitee],
         kind: MeetingKind = MeetingKind.FIRST) -> Meeting:
    """Book a meeting and invite: the person always, and whoever the inviter chose."""
    _require_consented_work(inviter, sip)
    problems = check_details(details)
    if problems:
        raise CaseError(*problems[0])
    consent = access_to(inviter, sip).consent
    db.begin_write()
    now = clock.now()
    meeting = Meeting(
        sip_id=sip.id, kind=kind, starts_at=details.starts_at, duration_minutes=details.duration_minutes,
        place_kind=details.place_kind, address=details.address.strip(),
        remote_link=details.remote_link.strip(), purpose=details.purpose.strip(),
        created_by_id=inviter.id, created_at=now, updated_at=now,
    )
    meeting.participants.append(_person_participant(sip))
    # The one who invites usually leads the meeting (seed 002, step 3): invited, and coming.
    inviter_invitee = Invitee(ParticipantKind.PROFESSIONAL, user_id=inviter.id)
    seen: set[tuple] = set()
    for invitee in [inviter_invitee, *invitees]:
        key = (invitee.kind, invitee.user_id, invitee.contact_id, invitee.organisation_id)
        if key in seen or (invitee.kind == ParticipantKind.PERSON):
            continue
        seen.add(key)
        participant = _participant_for(sip, invitee, consent.relative_ids)
        if participant.user_id == inviter.id:
            participant.response = Response.ACCEPTED
            participant.responded_at = now
            participant.responded_by_id = inviter.id
        meeting.participants.append(participant)
    db.session.add(meeting)
    cases.advance(sip, cases.SipStatus.FOLLOW_UP if kind == MeetingKind.FOLLOW_UP else cases.SipStatus.MEETING_BOOKED)
    db.session.flush()
    events.record(events.MEETING_BOOKED, sip=sip, actor=inviter, meeting_id=meeting.id)
    db.session.commit()
    return meeting


def _require_changeable(user: User, meeting: Meeting) -> Sip:
    sip = db.session.get(Sip, meeting.sip_id)
    if not access_to(user, sip).can_work:
        raise PermissionError("not inside this SIP's scope")
    if meeting.status != MeetingStatus.PLANNED:
        raise CaseError("meeting", _("This meeting can no longer be changed."))
    return sip


def _reason(reason: str) -> str:
    reason = reason.strip()
    if len(reason) < cases.MIN_REASON_LENGTH:
        raise CaseError("reason", _("Write the reason, so that everyone invited understands it (at least %(min)d characters).",
                                    min=cases.MIN_REASON_LENGTH))
    return reason


def describe_place(meeting: Meeting | MeetingDetails) -> str:
    """A short, language-neutral description of the place, for the change history."""
    if meeting.place_kind == PlaceKind.REMOTE:
        return meeting.remote_link
    return meeting.address or meeting.place_kind.value


def move(user: User, meeting: Meeting, details: MeetingDetails, reason: str) -> None:
    """Move a meeting with a reason; everyone invited is told and asked to answer again."""
    sip = _require_changeable(user, meeting)
    reason = _reason(reason)
    problems = check_details(details)
    if problems:
        raise CaseError(*problems[0])
    db.begin_write()
    now = clock.now()
    meeting.changes.append(MeetingChange(
        changed_by_id=user.id, changed_at=now, old_starts_at=meeting.starts_at, new_starts_at=details.starts_at,
        old_place=describe_place(meeting), new_place=describe_place(details), reason=reason,
    ))
    meeting.starts_at = details.starts_at
    meeting.duration_minutes = details.duration_minutes
    meeting.place_kind = details.place_kind
    meeting.address = details.address.strip()
    meeting.remote_link = details.remote_link.strip()
    meeting.purpose = details.purpose.strip() or meeting.purpose
    meeting.updated_at = now
    for participant in meeting.participants:
        if participant.user_id != user.id:
            participant.response = Response.PENDING
            participant.responded_at = None
            participant.responded_by_id = None
    events.record(events.MEETING_MOVED, sip=sip, actor=user, meeting_id=meeting.id)
    db.session.commit()


def cancel(user: User, meeting: Meeting, reason: str) -> None:
    """Cancel a meeting with a reason; everyone invited is told."""
    sip = _require_changeable(user, meeting)
    reason = _reason(reason)
    db.begin_write()
    now = clock.now()
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancelled_at = now
    meeting.cancelled_by_id = user.id
    meeting.cancel_reason = reason
    meeting.updated_at = now
    events.record(events.MEETING_CANCELLED, sip=sip, actor=user, meeting_id=meeting.id)
    db.session.commit()


def cancel_for_lost_consent(sip: Sip, actor: User) -> list[Meeting]:
    """When consent is withdrawn or expires, planned meetings show as cancelled. The caller commits."""
    now = clock.now()
    cancelled = list(db.session.scalars(
        sa.select(Meeting).where(Meeting.sip_id == sip.id, Meeting.status == MeetingStatus.PLANNED,
                                 Meeting.starts_at > now)
    ))
    for meeting in cancelled:
        meeting.status = MeetingStatus.CANCELLED
        meeting.cancelled_for_consent = True
        meeting.cancelled_at = now
        meeting.cancelled_by_id = actor.id
        meeting.updated_at = now
    return cancelled


def for_sip(sip: Sip) -> list[Meeting]:
    """A SIP's meetings, earliest first."""
    return list(db.session.scalars(sa.select(Meeting).where(Meeting.sip_id == sip.id).order_by(Meeting.starts_at)))


def upcoming(sip: Sip) -> Meeting | None:
    """The next planned meeting of a SIP."""
    return db.session.scalars(
        sa.select(Meeting).where(Meeting.sip_id == sip.id, Meeting.status == MeetingStatus.PLANNED,
                                 Meeting.starts_at > clock.now())
        .order_by(Meeting.starts_at).limit(1)
    ).first()
