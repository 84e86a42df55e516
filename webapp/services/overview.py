"""What the person (or a relative) opens the app for: each SIP, where it stands, the next meeting,
who to call, and what is waiting for them.

"Nothing else competes for the first screen of a phone" (issue 6): the home page and a SIP's own page
are built from ``for_user`` and ``for_sip``, which gather everything in a handful of queries for all
the SIPs at once. A relative sees only the SIPs the access service lets them read; showing them the
next meeting of someone else's SIP is a read of that person's meetings and is logged (once a day per
SIP, as for any list).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from webapp.extensions import db
from webapp.models import (
    Meeting,
    MeetingFeedback,
    MeetingParticipant,
    MeetingStatus,
    MissedKind,
    MissedMeetingReport,
    ParticipantKind,
    PlanStatus,
    PlanVersion,
    Resource,
    Response,
    Sip,
    SipStatus,
    User,
)
from webapp.services import access, audit, clock, relatives
from webapp.services.consent_rules import renewal_open
from webapp.services.consent_state import ConsentState, ConsentStatus, states_of
from webapp.services.request_status import TIMELINE

#: Feedback is asked for meetings held in the last 30 days: after that it is no longer fresh.
FEEDBACK_WINDOW = timedelta(days=30)
ENDED = frozenset({SipStatus.CLOSED, SipStatus.DECLINED, SipStatus.WITHDRAWN})


class TaskKind:
    """What can be waiting for the person, most pressing first."""

    APPROVE_PLAN = "approve_plan"
    GIVE_CONSENT = "give_consent"
    RENEW_CONSENT = "renew_consent"
    ANSWER_INVITATION = "answer_invitation"
    GIVE_FEEDBACK = "give_feedback"
    #: For a relative who may not act: the plan waits for the person's approval (for information).
    PLAN_WAITING_FOR_PERSON = "plan_waiting_for_person"

    ORDER = (APPROVE_PLAN, GIVE_CONSENT, RENEW_CONSENT, ANSWER_INVITATION, GIVE_FEEDBACK, PLAN_WAITING_FOR_PERSON)


@dataclass(frozen=True)
class Task:
    """One thing waiting for the reader in one SIP."""

    kind: str
    sip: Sip
    meeting: Meeting | None = None
    version: PlanVersion | None = None
    until: date | None = None


@dataclass
class SipSummary:
    """One SIP as the home page and its own page show it."""

    sip: Sip
    is_person: bool
    can_act: bool
    consent: ConsentState
    next_meeting: Meeting | None = None
    waiting_version: PlanVersion | None = None
    tasks: list[Task] = field(default_factory=list)

    @property
    def step_number(self) -> int | None:
        """Where the SIP stands on the timeline (1-based), or None once it was declined or withdrawn."""
        return TIMELINE.index(self.sip.status) + 1 if self.sip.status in TIMELINE else None

    @property
    def step_total(self) -> int:
        return len(TIMELINE)

    @property
    def contact(self) -> User | None:
        """Who to call: the coordinator, or until one is appointed the professional who took the case."""
        return self.sip.coordinator or self.sip.owner

    @property
    def contact_is_coordinator(self) -> bool:
        return self.sip.coordinator is not None

    @property
    def ended(self) -> bool:
        return self.sip.status in ENDED


@dataclass
class FollowedPerson:
    """Someone a relative follows, with the SIPs they may see."""

    person: User
    sips: list[SipSummary]


@dataclass
class Home:
    """The citizen's home page: their own SIPs, the people they follow, and their ended SIPs."""

    mine: list[SipSummary]
    followed: list[FollowedPerson]
    ended: list[SipSummary]

    @property
    def tasks(self) -> list[Task]:
        """Everything waiting, across the reader's own and followed SIPs, most pressing first."""
        every = [task for summary in self.mine for task in summary.tasks]
        every += [task for person in self.followed for summary in person.sips for task in summary.tasks]
        return sorted(every, key=lambda task: TaskKind.ORDER.index(task.kind))


def _load_sips(ids: list[int]) -> list[Sip]:
    if not ids:
        return []
    return list(db.session.scalars(
        sa.select(Sip).where(Sip.id.in_(ids))
        .options(selectinload(Sip.coordinator), selectinload(Sip.owner), selectinload(Sip.person))
        .order_by(Sip.created_at.desc(), Sip.id.desc())))


def _next_meetings(ids: list[int]) -> dict[int, Meeting]:
    found: dict[int, Meeting] = {}
    for meeting in db.session.scalars(
            sa.select(Meeting).where(Meeting.sip_id.in_(ids), Meeting.status == MeetingStatus.PLANNED,
                                     Meeting.starts_at > clock.now()).order_by(Meeting.starts_at)):
        found.setdefault(meeting.sip_id, meeting)
    return found


def _waiting_versions(ids: list[int]) -> dict[int, PlanVersion]:
    return {version.sip_id: version for version in db.session.scalars(
        sa.select(PlanVersion).where(PlanVersion.sip_id.in_(ids),
                                     PlanVersion.status == PlanStatus.PENDING_APPROVAL))}


def _unanswered(ids: list[int]) -> dict[int, list[Meeting]]:
    """Planned meetings ahead where the person's own invitation has no answer yet."""
    rows = db.session.scalars(
        sa.select(Meeting).join(MeetingParticipant, MeetingParticipant.meeting_id == Meeting.id)
        .where(Meeting.sip_id.in_(ids), Meeting.status == MeetingStatus.PLANNED, Meeting.starts_at > clock.now(),
               MeetingParticipant.kind == ParticipantKind.PERSON, MeetingParticipant.response == Response.PENDING)
        .order_by(Meeting.starts_at))
    found: dict[int, list[Meeting]] = {}
    for meeting in rows:
        found.setdefault(meeting.sip_id, []).append(meeting)
    return found


def _feedback_due(user: User, ids: list[int]) -> dict[int, list[Meeting]]:
    """Meetings held in the last 30 days that ``user`` has not given feedback on (nor reported that
    nobody came: there was no meeting to judge)."""
    now = clock.now()
    answered = sa.select(MeetingFeedback.meeting_id).where(MeetingFeedback.user_id == user.id)
    nobody_came = sa.select(MissedMeetingReport.meeting_id).where(MissedMeetingReport.kind == MissedKind.NOBODY_CAME)
    rows = db.session.scalars(
        sa.select(Meeting).where(Meeting.sip_id.in_(ids), Meeting.starts_at <= now,
                                 Meeting.starts_at > now - FEEDBACK_WINDOW,
                                 Meeting.status.in_([MeetingStatus.PLANNED, MeetingStatus.HELD]),
                                 Meeting.id.not_in(answered), Meeting.id.not_in(nobody_came))
        .order_by(Meeting.starts_at.desc()))
    found: dict[int, list[Meeting]] = {}
    for meeting in rows:
        found.setdefault(meeting.sip_id, []).append(meeting)
    return found


def _summaries(user: User, sips: list[Sip], rights: dict[int, access.Access]) -> list[SipSummary]:
    ids = [sip.id for sip in sips]
    if not ids:
        return []
    meetings, versions = _next_meetings(ids), _waiting_versions(ids)
    unanswered, feedback_due = _unanswered(ids), _feedback_due(user, ids)
    today = clock.today()
    summaries = []
    for sip in sips:
        seen = rights[sip.id]
        summary = SipSummary(sip=sip, is_person=seen.is_person, can_act=seen.can_act, consent=seen.consent,
                             next_meeting=meetings.get(sip.id), waiting_version=versions.get(sip.id))
        tasks = summary.tasks
        version = versions.get(sip.id)
        if version is not None:
            kind = TaskKind.APPROVE_PLAN if seen.is_person else TaskKind.PLAN_WAITING_FOR_PERSON
            tasks.append(Task(kind, sip, version=version))
        if seen.is_person and sip.status not in ENDED:
            # A consent the person withdrew is their choice: only a SIP never consented to asks for one.
            if seen.consent.status == ConsentStatus.NONE:
                tasks.append(Task(TaskKind.GIVE_CONSENT, sip))
            elif renewal_open(seen.consent, today):
                tasks.append(Task(TaskKind.RENEW_CONSENT, sip, until=seen.consent.valid_until))
        if seen.can_act:
            tasks += [Task(TaskKind.ANSWER_INVITATION, sip, meeting=m) for m in unanswered.get(sip.id, [])]
            tasks += [Task(TaskKind.GIVE_FEEDBACK, sip, meeting=m) for m in feedback_due.get(sip.id, [])]
        summaries.append(summary)
    return summaries


def for_user(user: User) -> Home:
    """The home page of a citizen: their SIPs, the SIPs of the people they follow, what waits."""
    own = _load_sips(list(db.session.scalars(sa.select(Sip.id).where(Sip.person_id == user.id))))
    states = states_of([sip.id for sip in own])
    rights: dict[int, access.Access] = {sip.id: access.Access(access.Standing.PERSON, states[sip.id],
                                                              can_read_request=True, can_read_details=True)
                                        for sip in own}
    followed_people: list[tuple[User, list[Sip]]] = []
    for person in relatives.followed_by(user):
        sips = []
        for sip, _grant in person.sips:
            rights[sip.id] = access.access_to(user, sip)
            sips.append(sip)
        if sips:
            followed_people.append((person.link.person, sips))
    followed_sips = [sip for _person, sips in followed_people for sip in sips]
    # The relative sees the next meeting and what is waiting in someone else's SIP: a logged read.
    audit.record_list_reads(user, followed_sips, Resource.MEETINGS)
    summaries = {s.sip.id: s for s in _summaries(user, own + followed_sips, rights)}
    mine = [summaries[sip.id] for sip in own]
    return Home(
        mine=[s for s in mine if not s.ended],
        followed=[FollowedPerson(person, [summaries[sip.id] for sip in sips if not summaries[sip.id].ended])
                  for person, sips in followed_people],
        ended=[s for s in mine if s.ended],
    )


def for_sip(user: User, sip: Sip, seen: access.Access) -> SipSummary:
    """One SIP's summary for its own page (the caller has checked and logged the read)."""
    return _summaries(user, [sip], {sip.id: seen})[0]
