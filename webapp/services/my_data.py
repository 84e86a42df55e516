"""My data: everything the app holds about a person, to download, and deleting the account.

Deleting erases what is the person's own (contacts, relative links and invitations, notifications,
push subscriptions, sessions, login attempts) and keeps what others must keep: the SIPs, meetings and
plans that professionals documented (the law makes them keep their records), the consent history
(the proof of what was agreed) and the access log (the proof of who read what). What is kept points
to an anonymised account: "Deleted account", an e-mail that is no address, no password, inactive.
"""
from __future__ import annotations

import enum
import json
import logging
import secrets
from datetime import date, datetime

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import (
    AccessLogEntry,
    CalendarFeed,
    ConsentRecord,
    Contact,
    RequestDraft,
    LoginAttempt,
    Meeting,
    MeetingFeedback,
    MissedMeetingReport,
    Notification,
    NotificationPreference,
    PlanStatus,
    PlanVersion,
    PushSubscription,
    RelativeInvitation,
    RelativeLink,
    Sip,
    User,
    UserSession,
)
from webapp.services import clock, documents, events

log = logging.getLogger(__name__)

DELETED_NAME = "Deleted account"
#: Plan versions the person has been shown (drafts are still the professionals' work).
VISIBLE_PLAN_STATUSES = (PlanStatus.PENDING_APPROVAL, PlanStatus.CHANGE_REQUESTED, PlanStatus.APPROVED,
                         PlanStatus.SUPERSEDED)


def _values(obj, names: str) -> dict:
    return {name: getattr(obj, name) for name in names.split()}


def _account(user: User) -> dict:
    return _values(user, "name email phone language created_at")


def _contacts(user: User) -> list[dict]:
    rows = db.session.scalars(sa.select(Contact).where(Contact.owner_id == user.id).order_by(Contact.name, Contact.id))
    return [{**_values(c, "name role_title sector phone email helps_with meeting_frequency meeting_place "
                          "next_meeting_at created_at updated_at"), "organisation": c.organisation_label}
            for c in rows]


def _consents(sip: Sip) -> list[dict]:
    rows = db.session.scalars(sa.select(ConsentRecord).where(ConsentRecord.sip_id == sip.id).order_by(ConsentRecord.id))
    return [{**_values(r, "action method created_at purpose not_agreed valid_from valid_until note"),
             "recorded_by": r.recorded_by.name,
             "organisations": [org.name for org in r.organisations],
             "relatives": [user.name for user in r.relatives]} for r in rows]


def _meetings(sip: Sip) -> list[dict]:
    rows = db.session.scalars(sa.select(Meeting).where(Meeting.sip_id == sip.id).order_by(Meeting.starts_at, Meeting.id))
    return [{**_values(m, "kind starts_at duration_minutes place_kind address remote_link purpose status "
                          "cancelled_at cancel_reason cancelled_for_consent outcome outcome_note"),
             "participants": [{**_values(p, "name role_title organisation_name response substitute_name attended")}
                              for p in m.participants]} for m in rows]


def _plans(sip: Sip) -> list[dict]:
    rows = db.session.scalars(sa.select(PlanVersion).where(
        PlanVersion.sip_id == sip.id, PlanVersion.status.in_(VISIBLE_PLAN_STATUSES)).order_by(PlanVersion.number))
    return [{**_values(v, "number status sent_at decided_at change_comment current_situation "
                          "overall_responsibility next_follow_up_on no_follow_up_reason"),
             "coordinator": v.coordinator.name if v.coordinator else "",
             "goals": [_values(g, "horizon text") for g in v.goals],
             "interventions": [{**_values(i, "what principal responsible_name responsible_phone responsible_email "
                                             "when frequency place evaluation"),
                                "organisation": i.organisation_label} for i in v.interventions]}
            for v in rows]


def _missed_reports(sip: Sip) -> list[dict]:
    rows = db.session.scalars(sa.select(MissedMeetingReport).where(MissedMeetingReport.sip_id == sip.id)
                              .order_by(MissedMeetingReport.id))
    return [_values(r, "kind description created_at status answer answered_at") for r in rows]


def _sip(sip: Sip) -> dict:
    return {
        **_values(sip, "reference status purpose start_path discharge_date place_preference needs_hearing_loop "
                       "needs_step_free needs_easy_read needs_other created_at acknowledged_at closed_at"),
        "requested_by": sip.requested_by.name,
        "sent_to": [recipient.organisation.name for recipient in sip.recipients],
        "contacts_to_invite": [_values(c, "name role_title organisation_name phone email")
                               for c in sip.requested_contacts],
        "interpreter": [_values(i, "language sign_language mode status") for i in sip.interpreter_requests],
        "consent_history": _consents(sip),
        "meetings": _meetings(sip),
        "plans": _plans(sip),
        "missed_meeting_reports": _missed_reports(sip),
    }


def _relatives(user: User) -> list[dict]:
    rows = db.session.scalars(sa.select(RelativeLink).where(RelativeLink.person_id == user.id).order_by(RelativeLink.id))
    return [{"relative": link.relative.name, **_values(link, "created_at ends_on can_request removed_at"),
             "sips": [{"reference": db.session.get(Sip, g.sip_id).reference, "can_act": g.can_act}
                      for g in link.grants]} for link in rows]


def _following(user: User) -> list[dict]:
    rows = db.session.scalars(sa.select(RelativeLink).where(RelativeLink.relative_id == user.id).order_by(RelativeLink.id))
    return [{"person": link.person.name, **_values(link, "created_at ends_on can_request removed_at")}
            for link in rows]


def collect(user: User) -> dict:
    """Everything the app holds about ``user``, as plain values (dates as dates)."""
    own_sips = db.session.scalars(sa.select(Sip).where(Sip.person_id == user.id).order_by(Sip.created_at, Sip.id))
    for_others = db.session.scalars(sa.select(Sip).where(
        Sip.requested_by_id == user.id, sa.or_(Sip.person_id.is_(None), Sip.person_id != user.id)).order_by(Sip.id))
    invitations = db.session.scalars(sa.select(RelativeInvitation).where(RelativeInvitation.person_id == user.id)
                                     .order_by(RelativeInvitation.id))
    notifications = db.session.scalars(sa.select(Notification).where(Notification.user_id == user.id)
                                       .order_by(Notification.created_at.desc(), Notification.id.desc()))
    feedback = db.session.scalars(sa.select(MeetingFeedback).where(MeetingFeedback.user_id == user.id)
                                  .order_by(MeetingFeedback.id))
    log = db.session.scalars(sa.select(AccessLogEntry).where(AccessLogEntry.person_id == user.id)
                             .order_by(AccessLogEntry.at.desc(), AccessLogEntry.id.desc()))
    feed = db.session.scalars(sa.select(CalendarFeed).where(CalendarFeed.user_id == user.id)).first()
    return {
        "exported_at": clock.now(),
        "account": _account(user),
        "contacts": _contacts(user),
        "sips": [_sip(sip) for sip in own_sips],
        "requests_for_others": [{**_values(s, "reference status created_at"), "person": s.display_name}
                                for s in for_others],
        "relatives": _relatives(user),
        "relative_invitations": [_values(i, "label created_at expires_at used_at revoked_at ends_on can_request")
                                 for i in invitations],
        "following": _following(user),
        "meeting_feedback": [_values(f, "listened_to knows_who_is_responsible knows_what_happens_next "
                                        "understood_everything overall comment created_at") for f in feedback],
        "notifications": [_values(n, "kind created_at read_at url") for n in notifications],
        "notification_preferences": [_values(p, "kind inbox push") for p in db.session.scalars(
            sa.select(NotificationPreference).where(NotificationPreference.user_id == user.id))],
        "push_subscriptions": [_values(p, "label created_at last_success_at") for p in db.session.scalars(
            sa.select(PushSubscription).where(PushSubscription.user_id == user.id))],
        "calendar_feed": {"created_at": feed.created_at} if feed else None,
        "access_log": [_values(e, "at actor_name actor_role actor_organisation resource")
                       | {"sip": db.session.get(Sip, e.sip_id).reference if e.sip_id else None} for e in log],
    }


def _plain(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    raise TypeError(f"cannot export {type(value).__name__}")


def export_json(user: User) -> str:
    """The download: a JSON document of everything in ``collect``."""
    return json.dumps({"format": "minsip-my-data/1", **collect(user)}, default=_plain, ensure_ascii=False, indent=2)


def render_pdf(html: str, css: str) -> bytes:
    """The readable copy, through the one document renderer (which never fetches anything outside)."""
    return documents.render_pdf(html, css)


def delete_account(user: User) -> None:
    """Erase the person's own data and anonymise the account; keep what others must keep."""
    if not user.is_citizen:
        raise PermissionError("only a citizen deletes their own account here")
    db.begin_write()
    now = clock.now()
    for link in db.session.scalars(sa.select(RelativeLink).where(
            sa.or_(RelativeLink.person_id == user.id, RelativeLink.relative_id == user.id))):
        if link.removed_at is None:
            # Whoever was on the other side is told that the link has ended.
            events.record(events.RELATIVE_REMOVED, actor=user, person_id=link.person_id, link_id=link.id,
                          relative_id=link.relative_id, by_relative=link.relative_id == user.id)
        db.session.delete(link)
    for model, column in ((Contact, Contact.owner_id), (RelativeInvitation, RelativeInvitation.person_id),
                          (Notification, Notification.user_id), (PushSubscription, PushSubscription.user_id),
                          (NotificationPreference, NotificationPreference.user_id),
                          (CalendarFeed, CalendarFeed.user_id), (UserSession, UserSession.user_id),
                          (RequestDraft, RequestDraft.user_id)):
        for row in db.session.scalars(sa.select(model).where(column == user.id)):
            db.session.delete(row)
    for row in db.session.scalars(sa.select(LoginAttempt).where(LoginAttempt.email == user.email)):
        db.session.delete(row)
    for feedback in db.session.scalars(sa.select(MeetingFeedback).where(MeetingFeedback.user_id == user.id)):
        # The scores still count, anonymously, in the organisations' figures; the words were the person's.
        feedback.user_id = None
        feedback.comment = ""
    user.name = DELETED_NAME
    user.email = f"deleted-account-{user.id}-{secrets.token_hex(8)}"  # unique, and not an address
    user.password_hash = "!" + secrets.token_hex(16)  # no password verifies against it
    user.phone = ""
    user.title = ""
    user.active = False
    user.deactivated_at = now
    db.session.commit()
