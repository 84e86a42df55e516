"""Feedback on a meeting: five questions on a 1 to 5 scale and free text (after SKR's SIP-kollen).

Anonymous in the organisation figures: only averages and counts leave this module.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webapp.extensions import db
from webapp.models import Meeting, MeetingFeedback, MeetingStatus, Sip, User
from webapp.services import clock
from webapp.services.access import access_to
from webapp.services.cases import CaseError

#: The questions, in the order asked.
QUESTIONS = {
    "listened_to": _l("I was listened to"),
    "knows_who_is_responsible": _l("I know who is responsible for what"),
    "knows_what_happens_next": _l("I know what happens next"),
    "understood_everything": _l("I understood everything that was said, with or without an interpreter"),
    "overall": _l("Overall, the meeting was good"),
}


def may_give(user: User, meeting: Meeting) -> bool:
    """The person, or a relative allowed to act, once the meeting has taken place."""
    sip = db.session.get(Sip, meeting.sip_id)
    return access_to(user, sip).can_act and meeting.starts_at <= clock.now() \
        and meeting.status in (MeetingStatus.PLANNED, MeetingStatus.HELD)


def given_by(user: User, meeting: Meeting) -> MeetingFeedback | None:
    return db.session.scalars(sa.select(MeetingFeedback).where(MeetingFeedback.meeting_id == meeting.id,
                                                               MeetingFeedback.user_id == user.id)).first()


def give(user: User, meeting: Meeting, answers: dict[str, int], comment: str = "") -> MeetingFeedback:
    """Save one person's answers (once per meeting)."""
    if not may_give(user, meeting):
        raise PermissionError("may not give feedback on this meeting")
    for name in QUESTIONS:
        if answers.get(name) not in (1, 2, 3, 4, 5):
            raise CaseError(name, _("Choose a number from 1 to 5."))
    if given_by(user, meeting) is not None:
        raise CaseError("overall", _("You have already answered for this meeting. Thank you!"))
    db.begin_write()
    feedback = MeetingFeedback(meeting_id=meeting.id, user_id=user.id, comment=comment.strip(),
                               created_at=clock.now(), **{name: answers[name] for name in QUESTIONS})
    db.session.add(feedback)
    db.session.commit()
    return feedback


@dataclass(frozen=True)
class Averages:
    count: int
    by_question: dict[str, float | None]


def averages(meeting_ids_query: sa.Select | None = None, since: datetime | None = None,
             until: datetime | None = None) -> Averages:
    """Average answers over the meetings of a selection (e.g. an organisation's), never who answered."""
    query = sa.select(sa.func.count(MeetingFeedback.id),
                      *[sa.func.avg(getattr(MeetingFeedback, name)) for name in QUESTIONS])
    if meeting_ids_query is not None:
        query = query.where(MeetingFeedback.meeting_id.in_(meeting_ids_query))
    if since is not None:
        query = query.where(MeetingFeedback.created_at >= since)
    if until is not None:
        query = query.where(MeetingFeedback.created_at < until)
    count, *values = db.session.execute(query).one()
    return Averages(count=count, by_question={
        name: (round(float(value), 1) if value is not None else None) for name, value in zip(QUESTIONS, values)
    })
