"""Consent (samtycke): giving, changing, renewing and withdrawing it, and who may share what.

The rules come from the sources: consent is needed for a SIP, is usually given orally and written
down, is limited to the question agreed and in time, **at most one year**; new questions that come
up at the meeting are covered until follow-up and closing; after closing a new question needs a new
consent (seed 002, step 1). The person may withdraw it and end the SIP at any time (seed 003).

Every step is a new, immutable ``ConsentRecord``; ``consent_state`` computes what is in force.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from webapp.extensions import db
from webapp.models import (
    ConsentAction,
    ConsentMethod,
    ConsentRecord,
    Event,
    Meeting,
    MeetingStatus,
    Organisation,
    RelativeGrant,
    Role,
    Sip,
    SipRecipient,
    SipStatus,
    User,
)
from webapp.services import access, clock, events
from webapp.services.consent_scope import consents_of, organisation_options, relative_options
from webapp.services.consent_rules import (
    RENEWAL_WINDOW,
    TEXT_MAX,
    ConsentError,
    ConsentTerms,
    Period,
    check_period,
    latest_end,
    period_for,
    refusal,
    reminder_due_on,
    renewal_open,
)
from webapp.services.consent_state import ConsentState, state_of

#: The service's interface; the period rules come from ``consent_rules`` and are part of it.
__all__ = [
    "RENEWAL_WINDOW", "TEXT_MAX", "ConsentError", "ConsentPreview", "ConsentTerms", "Period", "change",
    "check_period", "confirm", "consents_ending_between", "ending_soon_for", "expire_lapsed", "give",
    "latest_end", "period_for", "planned_meetings", "preview", "record_by_professional", "refusal",
    "reminder_due_on", "renew", "renewal_open", "terms_for_new", "terms_of", "withdraw",
]

_EVENT_OF = {
    ConsentAction.GIVE: events.CONSENT_GIVEN,
    ConsentAction.CHANGE: events.CONSENT_CHANGED,
    ConsentAction.RENEW: events.CONSENT_RENEWED,
    ConsentAction.WITHDRAW: events.CONSENT_WITHDRAWN,
}


# -- What the pages start from -------------------------------------------------------------------

def terms_for_new(sip: Sip) -> ConsentTerms:
    """A new consent's starting point: the purpose from the request, the organisations it went to,
    one year from today."""
    return ConsentTerms(purpose=sip.purpose, organisation_ids=[r.organisation_id for r in sip.recipients],
                        valid_until=latest_end(clock.today()))


def terms_of(record: ConsentRecord, valid_until: date | None = None) -> ConsentTerms:
    """The terms of an existing record, to change or renew them."""
    return ConsentTerms(
        purpose=record.purpose, organisation_ids=[org.id for org in record.organisations],
        not_agreed=record.not_agreed, relative_ids=[user.id for user in record.relatives],
        valid_until=valid_until or record.valid_until,
    )


def ending_soon_for(person: User) -> list[tuple[Sip, ConsentState]]:
    """The person's live consents that end within 30 days: the reminder on their home page."""
    today = clock.today()
    return [(sip, state) for sip, state in consents_of(person) if renewal_open(state, today)]


def consents_ending_between(start: date, end: date) -> list[ConsentRecord]:
    """Consents in force whose last day falls between ``start`` and ``end`` (inclusive). For the
    notifications' reminder job: a consent ending on day D is due a reminder on D - 30 days."""
    latest = sa.select(sa.func.max(ConsentRecord.id)).group_by(ConsentRecord.sip_id)
    return list(db.session.scalars(
        sa.select(ConsentRecord).where(
            ConsentRecord.id.in_(latest), ConsentRecord.action != ConsentAction.WITHDRAW,
            ConsentRecord.valid_until >= start, ConsentRecord.valid_until <= end,
        ).order_by(ConsentRecord.valid_until, ConsentRecord.id)))


# -- Giving, changing, renewing, withdrawing -----------------------------------------------------

def _require_person(person: User, sip: Sip) -> None:
    if not access.access_to(person, sip).can_manage_consent:
        raise PermissionError("only the person gives, changes, renews or withdraws consent in the app")


def _refuse_if_closed(sip: Sip) -> None:
    reason = refusal(sip)
    if reason:
        raise ConsentError("", reason)


@dataclass(frozen=True)
class ConsentPreview:
    """The summary shown before the person confirms: exactly what will be recorded."""

    action: ConsentAction
    terms: ConsentTerms
    valid_from: date
    organisations: list[Organisation]
    relatives: list[User]
    #: Relatives named in the last consent and not in this one: they stop seeing this SIP.
    relatives_leaving: list[User]


def _validate(sip: Sip, terms: ConsentTerms, period: Period) -> tuple[list[Organisation], list[User]]:
    terms.purpose = (terms.purpose or "").strip()
    terms.not_agreed = (terms.not_agreed or "").strip()
    if not terms.purpose:
        raise ConsentError("purpose", _("Write what the consent is for."))
    if len(terms.purpose) > TEXT_MAX:
        raise ConsentError("purpose", _("Use at most %(max)d characters.", max=TEXT_MAX))
    if len(terms.not_agreed) > TEXT_MAX:
        raise ConsentError("not_agreed", _("Use at most %(max)d characters.", max=TEXT_MAX))
    offered = {option.organisation.id: option.organisation for option in organisation_options(sip)}
    chosen = list(dict.fromkeys(terms.organisation_ids))
    if not chosen:
        raise ConsentError("organisation_ids", _("Choose at least one organisation."))
    if any(org_id not in offered for org_id in chosen):
        raise ConsentError("organisation_ids", _("Choose organisations from the list."))
    relatives = {user.id: user for user in relative_options(sip)}
    chosen_relatives = list(dict.fromkeys(terms.relative_ids))
    if any(user_id not in relatives for user_id in chosen_relatives):
        raise ConsentError("relative_ids", _("Choose relatives from the list."))
    check_period(period.valid_from, terms.valid_until, period.latest, change=period.change)
    return (sorted((offered[i] for i in chosen), key=lambda org: org.name),
            sorted((relatives[i] for i in chosen_relatives), key=lambda user: user.name))


def _add_record(sip: Sip, actor: User, action: ConsentAction, method: ConsentMethod, terms: ConsentTerms,
                valid_from: date | None, organisations: list[Organisation], relatives: list[User],
                note: str = "") -> ConsentRecord:
    record = ConsentRecord(
        sip_id=sip.id, action=action, method=method, recorded_by_id=actor.id, created_at=clock.now(),
        purpose=terms.purpose, not_agreed=terms.not_agreed, valid_from=valid_from,
        valid_until=terms.valid_until, note=note.strip(),
    )
    record.organisations = organisations
    record.relatives = relatives
    db.session.add(record)
    db.session.flush()
    return record


def _leaving(sip: Sip, relatives: list[User]) -> list[User]:
    record = state_of(sip).record
    if record is None:
        return []
    staying = {user.id for user in relatives}
    return [user for user in record.relatives if user.id not in staying]


def _follow_the_consent(sip: Sip, relatives: list[User], leaving: list[User]) -> None:
    """Relatives follow what the consent says. One the person names takes part, so they may see the
    plan and meetings of this SIP in the app (a grant, without acting for the person unless they
    already may); one the person no longer names stops seeing it."""
    if sip.person_id is None:
        return
    for relative in relatives + leaving:
        link = access.live_link(sip.person_id, relative.id)
        if link is None:
            continue
        grant = db.session.scalars(sa.select(RelativeGrant).where(
            RelativeGrant.link_id == link.id, RelativeGrant.sip_id == sip.id)).first()
        if relative in leaving and grant is not None:
            db.session.delete(grant)
        elif relative not in leaving and grant is None:
            db.session.add(RelativeGrant(link_id=link.id, sip_id=sip.id, can_act=False, created_at=clock.now()))


def _mark_confirmed(sip: Sip) -> None:
    # The first of the five steps is done: the need is seen and the consent obtained.
    if sip.status in (SipStatus.SENT, SipStatus.RECEIVED):
        sip.status = SipStatus.CONSENT_CONFIRMED
        sip.updated_at = clock.now()


def _save(actor: User, sip: Sip, action: ConsentAction, method: ConsentMethod, terms: ConsentTerms,
          period: Period, note: str = "") -> ConsentRecord:
    organisations, relatives = _validate(sip, terms, period)
    leaving = _leaving(sip, relatives)
    record = _add_record(sip, actor, action, method, terms, period.valid_from, organisations, relatives, note)
    _follow_the_consent(sip, relatives, leaving)
    _mark_confirmed(sip)
    events.record(_EVENT_OF[action], sip=sip, actor=actor, record_id=record.id, method=str(method))
    db.session.commit()
    return record


def preview(person: User, sip: Sip, action: ConsentAction, terms: ConsentTerms) -> ConsentPreview:
    """Check what the person filled in, without recording anything: the summary before confirming."""
    _require_person(person, sip)
    _refuse_if_closed(sip)
    period = period_for(action, state_of(sip), clock.today())
    organisations, relatives = _validate(sip, terms, period)
    return ConsentPreview(action, terms, period.valid_from, organisations, relatives, _leaving(sip, relatives))


def confirm(person: User, sip: Sip, action: ConsentAction, terms: ConsentTerms) -> ConsentRecord:
    """The person confirms in the app: GIVE, CHANGE or RENEW becomes a new record, in force at once."""
    _require_person(person, sip)
    db.begin_write()
    _refuse_if_closed(sip)
    period = period_for(action, state_of(sip), clock.today())
    return _save(person, sip, action, ConsentMethod.APP, terms, period)


def give(person: User, sip: Sip, terms: ConsentTerms) -> ConsentRecord:
    """The person gives consent in the app: from today, for at most one year."""
    return confirm(person, sip, ConsentAction.GIVE, terms)


def change(person: User, sip: Sip, terms: ConsentTerms) -> ConsentRecord:
    """The person changes the consent in force (e.g. adds an organisation): a new record; the end
    date can stay or come sooner, never later (that is renewing)."""
    return confirm(person, sip, ConsentAction.CHANGE, terms)


def renew(person: User, sip: Sip, terms: ConsentTerms) -> ConsentRecord:
    """The person renews a consent in its last 30 days: up to one more year from today."""
    return confirm(person, sip, ConsentAction.RENEW, terms)


def planned_meetings(sip: Sip) -> list[Meeting]:
    """The SIP's meetings still planned ahead: those a withdrawal or an expiry cancels."""
    return list(db.session.scalars(sa.select(Meeting).where(
        Meeting.sip_id == sip.id, Meeting.status == MeetingStatus.PLANNED, Meeting.starts_at > clock.now(),
    ).order_by(Meeting.starts_at)))


def _cancel_planned_meetings(sip: Sip, actor: User | None) -> int:
    """Planned meetings still ahead show as cancelled: there is no consent to hold them."""
    now = clock.now()
    meetings = planned_meetings(sip)
    for meeting in meetings:
        meeting.status = MeetingStatus.CANCELLED
        meeting.cancelled_for_consent = True
        meeting.cancelled_at = now
        meeting.cancelled_by_id = actor.id if actor else None
        meeting.updated_at = now
    return len(meetings)


def _unconfirm(sip: Sip) -> None:
    if sip.status == SipStatus.CONSENT_CONFIRMED:
        acknowledged = sip.acknowledged_at or any(r.acknowledged_at for r in sip.recipients)
        sip.status = SipStatus.RECEIVED if acknowledged else SipStatus.SENT
        sip.updated_at = clock.now()


def withdraw(person: User, sip: Sip) -> ConsentRecord:
    """The person withdraws consent. At once: the SIP is without consent, professionals keep only
    the stub, relatives lose access, planned meetings are cancelled, and everyone concerned is told."""
    _require_person(person, sip)
    db.begin_write()
    state = state_of(sip)
    if not state.live:
        raise ConsentError("", _("There is no consent in force to withdraw."))
    current = state.record
    # The withdrawal names what was withdrawn, so the history reads on its own.
    record = _add_record(sip, person, ConsentAction.WITHDRAW, ConsentMethod.APP, terms_of(current),
                         current.valid_from, list(current.organisations), list(current.relatives))
    cancelled = _cancel_planned_meetings(sip, person)
    _unconfirm(sip)
    events.record(events.CONSENT_WITHDRAWN, sip=sip, actor=person, record_id=record.id,
                  meetings_cancelled=cancelled)
    db.session.commit()
    return record


def record_by_professional(professional: User, sip: Sip, *, method: ConsentMethod, terms: ConsentTerms,
                           given_on: date | None = None, note: str = "",
                           action: ConsentAction | None = None) -> ConsentRecord:
    """A professional of an organisation in the request writes down a consent the person gave orally
    or on paper (seed 002: "Samtycket inhämtas vanligen muntligt, dokumentera i journalen"): who
    recorded it (them), when it was given (``given_on``, default today, never in the future) and how
    (``method``, ``note``). The person sees it in the app and can withdraw it.

    ``action``: GIVE (the default when none is in force), CHANGE (the default when one is) or RENEW
    (in its last 30 days). The same period rules apply as in the app, counted from ``given_on``.
    """
    if method not in (ConsentMethod.ORAL, ConsentMethod.PAPER):
        raise ValueError("a professional records a consent given orally or on paper")
    if professional.role != Role.PROFESSIONAL or professional.organisation_id is None or not professional.active:
        raise PermissionError("only a professional records a consent")
    db.begin_write()
    state = state_of(sip)
    involved = set(db.session.scalars(
        sa.select(SipRecipient.organisation_id).where(SipRecipient.sip_id == sip.id)))
    if state.live:
        involved |= state.organisation_ids
    if professional.organisation_id not in involved:
        raise PermissionError("the professional's organisation is not in this request")
    _refuse_if_closed(sip)
    today = clock.today()
    given_on = given_on or today
    if given_on > today:
        raise ConsentError("given_on", _("The date it was given cannot be in the future."))
    if len(note) > TEXT_MAX:
        raise ConsentError("note", _("Use at most %(max)d characters.", max=TEXT_MAX))
    action = action or (ConsentAction.CHANGE if state.live else ConsentAction.GIVE)
    period = period_for(action, state, given_on)
    return _save(professional, sip, action, method, terms, period, note)


def expire_lapsed(today: date | None = None) -> int:
    """For consents whose end date has passed: cancel their planned meetings and record
    ``CONSENT_EXPIRED`` once. Access already ends by itself (``consent_state``); this tells people.
    Meant for a daily job; safe to run any number of times. Returns how many consents lapsed now."""
    today = today or clock.today()
    db.begin_write()
    latest = sa.select(sa.func.max(ConsentRecord.id)).group_by(ConsentRecord.sip_id)
    lapsed = db.session.scalars(sa.select(ConsentRecord).where(
        ConsentRecord.id.in_(latest), ConsentRecord.action != ConsentAction.WITHDRAW,
        ConsentRecord.valid_until < today)).all()
    count = 0
    for record in lapsed:
        told = db.session.scalars(sa.select(Event.id).where(
            Event.kind == events.CONSENT_EXPIRED, Event.sip_id == record.sip_id,
            Event.created_at >= record.created_at)).first()
        if told is not None:
            continue
        sip = db.session.get(Sip, record.sip_id)
        cancelled = _cancel_planned_meetings(sip, None)
        _unconfirm(sip)
        events.record(events.CONSENT_EXPIRED, sip=sip, record_id=record.id, meetings_cancelled=cancelled)
        count += 1
    db.session.commit()
    return count
