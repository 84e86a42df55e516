"""Who is told about each event: one table, computed from the data, checked against the consent.

Each row of ``RECIPIENTS`` lists *who* (a selector that finds accounts from the data) and *what they
must be allowed to see* (a gate decided by ``services.access.access_to``, the one access function).
So a message never reaches a relative or a professional that the person's consent does not cover,
and the one who caused the event is never told about their own action.

The events carry ids (``services.events.record(kind, sip=..., actor=..., **ids)``); the ids read here:
``meeting_id`` (meeting kinds; ``interpreter_request_id`` also works for an interpreter),
``participant_id`` and ``response`` (an answer), ``plan_version_id`` (or ``version_id``/``plan_id``;
otherwise the SIP's newest version), ``report_id`` (or the SIP's newest report), ``record_id`` (a
consent record; otherwise the newest), ``link_id`` or ``relative_id`` (relatives), ``organisation_id``
(the organisation a request went to or declined it), ``change_id`` (a move).
"""
from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import (
    ConsentRecord,
    Event,
    InterpreterRequest,
    Meeting,
    MeetingChange,
    MeetingParticipant,
    MissedKind,
    MissedMeetingReport,
    PlanVersion,
    RelativeGrant,
    RelativeLink,
    Role,
    Sip,
    SipRecipient,
    User,
)
from webapp.models.consent import consent_organisations
from webapp.services import clock, events
from webapp.services.access import Standing, access_to, relative_grant


class Gate(enum.Enum):
    """What a recipient must be allowed, by ``access_to``, to be told."""

    REQUEST = "request"      # may read the request (recipients' staff before consent, the requester...)
    DETAILS = "details"      # may read the SIP's details (inside a live consent)
    INFORMED = "informed"    # details, or the stub a professional keeps after consent ended
    HAD_GRANT = "had_grant"  # a relative whose grant is still in place (consent just ended)
    OWN = "own"              # about the person's own relative links: no SIP to check


@dataclass
class Context:
    """An event and what it is about, looked up once."""

    event: Event
    sip: Sip | None

    def data(self, *names: str):
        """The first of these ids the event carries."""
        for name in names:
            value = self.event.data.get(name)
            if value is not None:
                return value
        return None

    @cached_property
    def meeting(self) -> Meeting | None:
        """The meeting the event is about, by its id or its interpreter request's."""
        meeting_id = self.data("meeting_id")
        if meeting_id is None and self.data("interpreter_request_id") is not None:
            request = db.session.get(InterpreterRequest, self.data("interpreter_request_id"))
            meeting_id = request.meeting_id if request else None
        return db.session.get(Meeting, meeting_id) if meeting_id is not None else None

    @cached_property
    def plan(self) -> PlanVersion | None:
        """The plan version named, or the SIP's newest."""
        version_id = self.data("plan_version_id", "version_id", "plan_id")
        if version_id is not None:
            return db.session.get(PlanVersion, version_id)
        if self.sip is None:
            return None
        return db.session.scalars(sa.select(PlanVersion).where(PlanVersion.sip_id == self.sip.id)
                                  .order_by(PlanVersion.number.desc()).limit(1)).first()

    @cached_property
    def report(self) -> MissedMeetingReport | None:
        """The missed-meeting report named, or the SIP's newest."""
        report_id = self.data("report_id", "missed_meeting_report_id")
        if report_id is not None:
            return db.session.get(MissedMeetingReport, report_id)
        if self.sip is None:
            return None
        return db.session.scalars(sa.select(MissedMeetingReport).where(MissedMeetingReport.sip_id == self.sip.id)
                                  .order_by(MissedMeetingReport.id.desc()).limit(1)).first()

    @cached_property
    def consent_record(self) -> ConsentRecord | None:
        """The consent record named, or the SIP's newest."""
        record_id = self.data("record_id", "consent_record_id")
        if record_id is not None:
            return db.session.get(ConsentRecord, record_id)
        if self.sip is None:
            return None
        return db.session.scalars(sa.select(ConsentRecord).where(ConsentRecord.sip_id == self.sip.id)
                                  .order_by(ConsentRecord.id.desc()).limit(1)).first()

    @cached_property
    def link(self) -> RelativeLink | None:
        """The relative link named, or the newest between the person and the relative."""
        if self.data("link_id") is not None:
            return db.session.get(RelativeLink, self.data("link_id"))
        relative_id, person_id = self.data("relative_id"), self.event.person_id
        if relative_id is None or person_id is None:
            return None
        return db.session.scalars(sa.select(RelativeLink).where(
            RelativeLink.person_id == person_id, RelativeLink.relative_id == relative_id)
            .order_by(RelativeLink.id.desc()).limit(1)).first()


# --- Selectors: who, from the data ---------------------------------------------------------------

def staff_of(organisation_ids: Iterable[int]) -> list[int]:
    """The active professionals of these organisations."""
    ids = set(organisation_ids)
    if not ids:
        return []
    return list(db.session.scalars(sa.select(User.id).where(
        User.organisation_id.in_(ids), User.role == Role.PROFESSIONAL, User.active.is_(True)).order_by(User.id)))


def relatives_with_grant(sip: Sip) -> list[int]:
    """Relatives whose link is live and who have a grant for this SIP."""
    today = clock.today()
    return list(db.session.scalars(
        sa.select(RelativeLink.relative_id).join(RelativeGrant, RelativeGrant.link_id == RelativeLink.id)
        .where(RelativeGrant.sip_id == sip.id, RelativeLink.removed_at.is_(None),
               sa.or_(RelativeLink.ends_on.is_(None), RelativeLink.ends_on >= today))
        .order_by(RelativeLink.relative_id)))


def _person(ctx: Context) -> list[int]:
    if ctx.sip is not None and ctx.sip.person_id is not None:
        return [ctx.sip.person_id]
    return [ctx.event.person_id] if ctx.event.person_id is not None else []


def _requester(ctx: Context) -> list[int]:
    return [ctx.sip.requested_by_id] if ctx.sip is not None else []


def _recipient_staff(ctx: Context) -> list[int]:
    if ctx.sip is None:
        return []
    if ctx.data("organisation_id") is not None and ctx.event.kind == events.REQUEST_RECEIVED:
        return staff_of([ctx.data("organisation_id")])
    return staff_of(db.session.scalars(sa.select(SipRecipient.organisation_id)
                                       .where(SipRecipient.sip_id == ctx.sip.id)))


def _consent_staff(ctx: Context) -> list[int]:
    record = ctx.consent_record
    return staff_of(org.id for org in record.organisations) if record is not None else []


def _involved_staff(ctx: Context) -> list[int]:
    """Every organisation that was part of the SIP: its recipients and every consent's scope."""
    if ctx.sip is None:
        return []
    in_consents = sa.select(consent_organisations.c.organisation_id).join(
        ConsentRecord, ConsentRecord.id == consent_organisations.c.record_id).where(ConsentRecord.sip_id == ctx.sip.id)
    recipients = sa.select(SipRecipient.organisation_id).where(SipRecipient.sip_id == ctx.sip.id)
    return staff_of(set(db.session.scalars(in_consents)) | set(db.session.scalars(recipients)))


def _relatives(ctx: Context) -> list[int]:
    return relatives_with_grant(ctx.sip) if ctx.sip is not None else []


def _participants(ctx: Context) -> list[int]:
    if ctx.meeting is None:
        return []
    return [p.user_id for p in ctx.meeting.participants if p.user_id is not None]


def _inviter(ctx: Context) -> list[int]:
    return [ctx.meeting.created_by_id] if ctx.meeting is not None else []


def _coordinator(ctx: Context) -> list[int]:
    found = []
    if ctx.plan is not None and ctx.plan.coordinator_id is not None:
        found.append(ctx.plan.coordinator_id)
    if ctx.sip is not None and ctx.sip.coordinator_id is not None:
        found.append(ctx.sip.coordinator_id)
    return found


def _documenter(ctx: Context) -> list[int]:
    return [ctx.plan.documented_by_id] if ctx.plan is not None else []


def _reporter(ctx: Context) -> list[int]:
    return [ctx.report.reported_by_id] if ctx.report is not None else []


def _report_staff(ctx: Context) -> list[int]:
    """The organisations a missed-meeting report is about: those named as absent, or, when nobody
    came or the meeting itself failed, every organisation invited to it."""
    report = ctx.report
    if report is None:
        return []
    named = report.absentees if report.kind == MissedKind.SOME_ABSENT and report.absentees else \
        report.meeting.participants
    organisations = set()
    for participant in named:
        if participant.organisation_id is not None:
            organisations.add(participant.organisation_id)
        elif participant.user is not None and participant.user.organisation_id is not None:
            organisations.add(participant.user.organisation_id)
    return staff_of(organisations)


def _relative_of_link(ctx: Context) -> list[int]:
    if ctx.link is not None:
        return [ctx.link.relative_id]
    return [ctx.data("relative_id")] if ctx.data("relative_id") is not None else []


def _person_of_link(ctx: Context) -> list[int]:
    if ctx.link is not None:
        return [ctx.link.person_id]
    return [ctx.event.person_id] if ctx.event.person_id is not None else []


@dataclass(frozen=True)
class Rule:
    """One line of the table: these accounts, in this relation, if allowed this far."""

    relation: str
    select: Callable[[Context], Iterable[int]]
    gate: Gate


def _r(relation: str, select, gate: Gate) -> Rule:
    return Rule(relation, select, gate)


PERSON = "person"
REQUESTER = "requester"
RELATIVE = "relative"
STAFF = "staff"
PARTICIPANT = "participant"
INVITER = "inviter"
COORDINATOR = "coordinator"
DOCUMENTER = "documenter"
REPORTER = "reporter"

#: Each event kind → who is told. Refines the suggestion in issue 7: the person is also told of a request
#: made for them by someone else; a relative who steps back themselves is reported to the person.
RECIPIENTS: dict[str, tuple[Rule, ...]] = {
    events.REQUEST_RECEIVED: (_r(STAFF, _recipient_staff, Gate.REQUEST), _r(PERSON, _person, Gate.REQUEST)),
    events.REQUEST_ACKNOWLEDGED: (_r(PERSON, _person, Gate.REQUEST), _r(REQUESTER, _requester, Gate.REQUEST)),
    events.REQUEST_DECLINED: (_r(PERSON, _person, Gate.REQUEST), _r(REQUESTER, _requester, Gate.REQUEST)),
    events.REQUEST_WITHDRAWN: (_r(STAFF, _recipient_staff, Gate.REQUEST), _r(PERSON, _person, Gate.REQUEST),
                               _r(REQUESTER, _requester, Gate.REQUEST)),
    events.CONSENT_GIVEN: (_r(STAFF, _consent_staff, Gate.DETAILS), _r(PERSON, _person, Gate.DETAILS)),
    events.CONSENT_RENEWED: (_r(STAFF, _consent_staff, Gate.DETAILS), _r(PERSON, _person, Gate.DETAILS)),
    events.CONSENT_CHANGED: (_r(STAFF, _consent_staff, Gate.DETAILS), _r(PERSON, _person, Gate.DETAILS)),
    events.CONSENT_WITHDRAWN: (_r(STAFF, _involved_staff, Gate.INFORMED), _r(RELATIVE, _relatives, Gate.HAD_GRANT),
                               _r(PERSON, _person, Gate.INFORMED)),
    events.CONSENT_EXPIRED: (_r(PERSON, _person, Gate.INFORMED), _r(STAFF, _consent_staff, Gate.INFORMED)),
    # The invitation link itself is the message to the relative; the person who made it is the actor.
    events.RELATIVE_INVITED: (),
    events.RELATIVE_ACCEPTED: (_r(PERSON, _person_of_link, Gate.OWN),),
    events.RELATIVE_REMOVED: (_r(RELATIVE, _relative_of_link, Gate.OWN), _r(PERSON, _person_of_link, Gate.OWN)),
    events.MEETING_BOOKED: (_r(PERSON, _person, Gate.DETAILS), _r(PARTICIPANT, _participants, Gate.DETAILS)),
    events.MEETING_MOVED: (_r(PERSON, _person, Gate.DETAILS), _r(PARTICIPANT, _participants, Gate.DETAILS)),
    # Professionals who keep only the stub are still told, so that nobody travels to it in vain.
    events.MEETING_CANCELLED: (_r(PERSON, _person, Gate.INFORMED), _r(PARTICIPANT, _participants, Gate.INFORMED)),
    events.INVITATION_ANSWERED: (_r(INVITER, _inviter, Gate.DETAILS),),
    events.INTERPRETER_CONFIRMED: (_r(PERSON, _person, Gate.DETAILS), _r(INVITER, _inviter, Gate.DETAILS)),
    events.PLAN_AWAITING_APPROVAL: (_r(PERSON, _person, Gate.DETAILS), _r(RELATIVE, _relatives, Gate.DETAILS)),
    events.PLAN_APPROVED: (_r(COORDINATOR, _coordinator, Gate.DETAILS), _r(DOCUMENTER, _documenter, Gate.DETAILS)),
    events.PLAN_CHANGE_REQUESTED: (_r(COORDINATOR, _coordinator, Gate.DETAILS),
                                   _r(DOCUMENTER, _documenter, Gate.DETAILS)),
    events.MISSED_MEETING_REPORTED: (_r(COORDINATOR, _coordinator, Gate.DETAILS),
                                     _r(STAFF, _report_staff, Gate.DETAILS)),
    events.MISSED_MEETING_ANSWERED: (_r(REPORTER, _reporter, Gate.DETAILS), _r(PERSON, _person, Gate.DETAILS)),
    events.SIP_CLOSED: (_r(PERSON, _person, Gate.INFORMED), _r(RELATIVE, _relatives, Gate.DETAILS),
                        _r(STAFF, _consent_staff, Gate.INFORMED)),
}


def allowed(user: User, sip: Sip | None, gate: Gate, cache: dict | None = None) -> bool:
    """Whether ``user`` may be told something about ``sip`` behind ``gate`` (``access_to`` decides)."""
    if not user.active or user.role == Role.ADMIN:
        return False
    if gate == Gate.OWN or sip is None:
        return gate == Gate.OWN
    key = (user.id, sip.id)
    if cache is not None and key in cache:
        access = cache[key]
    else:
        access = access_to(user, sip)
        if cache is not None:
            cache[key] = access
    if gate == Gate.REQUEST:
        return access.can_read_request
    if gate == Gate.DETAILS:
        return access.can_read_details
    if gate == Gate.INFORMED:
        return access.can_read_details or access.standing == Standing.STUB
    return access.can_read_details or relative_grant(sip, user) is not None


def recipients(ctx: Context) -> list[tuple[User, str]]:
    """(account, relation) for everyone to tell about ``ctx.event``, each once, never the actor."""
    told: dict[int, str] = {}
    for rule in RECIPIENTS.get(ctx.event.kind, ()):
        for user_id in rule.select(ctx):
            if user_id is None or user_id in told or user_id == ctx.event.actor_id:
                continue
            user = db.session.get(User, user_id)
            if user is not None and allowed(user, ctx.sip, rule.gate):
                told[user_id] = rule.relation
    return [(db.session.get(User, user_id), relation) for user_id, relation in told.items()]


def meeting_params(meeting: Meeting | None) -> dict:
    """What a meeting message needs to be written later: its id and time."""
    if meeting is None:
        return {}
    return {"meeting_id": meeting.id, "starts_at": meeting.starts_at.isoformat()}


def params_for(ctx: Context) -> dict:
    """The codes and ids an inbox text is written from (never names, purposes or plan text)."""
    params: dict = {"reference": ctx.sip.reference} if ctx.sip is not None else {}
    kind = ctx.event.kind
    if kind in (events.MEETING_BOOKED, events.MEETING_MOVED, events.MEETING_CANCELLED, events.INVITATION_ANSWERED,
                events.INTERPRETER_CONFIRMED):
        params.update(meeting_params(ctx.meeting))
    if kind == events.MEETING_MOVED and ctx.meeting is not None:
        change_id = ctx.data("change_id")
        change = db.session.get(MeetingChange, change_id) if change_id is not None else \
            db.session.scalars(sa.select(MeetingChange).where(MeetingChange.meeting_id == ctx.meeting.id)
                               .order_by(MeetingChange.id.desc()).limit(1)).first()
        if change is not None:
            params["old_starts_at"] = change.old_starts_at.isoformat()
    if kind == events.INVITATION_ANSWERED:
        participant_id = ctx.data("participant_id")
        participant = db.session.get(MeetingParticipant, participant_id) if participant_id is not None else None
        if participant is not None:
            params["participant_id"] = participant.id
            params["response"] = str(ctx.data("response") or participant.response)
    if kind in (events.PLAN_AWAITING_APPROVAL, events.PLAN_APPROVED, events.PLAN_CHANGE_REQUESTED) and ctx.plan:
        params.update(plan_version_id=ctx.plan.id, number=ctx.plan.number)
    if kind in (events.MISSED_MEETING_REPORTED, events.MISSED_MEETING_ANSWERED) and ctx.report is not None:
        params.update(report_id=ctx.report.id, starts_at=ctx.report.meeting.starts_at.isoformat())
    if kind in (events.CONSENT_EXPIRED,) and ctx.consent_record is not None:
        params.update(record_id=ctx.consent_record.id)
        if ctx.consent_record.valid_until is not None:
            params["date"] = ctx.consent_record.valid_until.isoformat()
    if kind in (events.RELATIVE_ACCEPTED, events.RELATIVE_REMOVED):
        link = ctx.link
        params["link_id"] = link.id if link is not None else None
    return params

