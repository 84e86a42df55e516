"""Every kind of notification, in one table: what it is called in the settings, whether it can be
turned off, what the push says, how long the push service keeps it, and the inbox text.

Push texts are deliberately generic ("A meeting has been cancelled"): a phone's lock screen is seen by
others, so a push never carries a name, a purpose or anything from the plan; the page it opens shows
the details after login. Inbox texts are written when they are read, in the reader's language, from
the notification's ``params`` (codes, ids, dates and the SIP reference: never copies of personal text).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from babel.dates import format_skeleton, get_datetime_format
from flask_babel import format_date, get_locale, get_timezone, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webapp.services import events

CITIZEN = "citizen"
PROFESSIONAL = "professional"
BOTH = frozenset({CITIZEN, PROFESSIONAL})

# Reminders: created by ``flask send-reminders`` when due, never twice (services/reminders.py).
MEETING_24H = "meeting_24h"
MEETING_2H = "meeting_2h"
FOLLOW_UP_7D = "follow_up_7d"
CONSENT_ENDS_30D = "consent_ends_30d"
PLAN_WAITING_3D = "plan_waiting_3d"
REQUEST_WAITING_3WD = "request_waiting_3wd"
INTERPRETER_UNCONFIRMED_3D = "interpreter_unconfirmed_3d"

HOUR = 3600
DAY = 24 * HOUR


@dataclass(frozen=True)
class Kind:
    """One kind of notification."""

    code: str
    group: str                       # the heading it is listed under in the settings
    audiences: frozenset[str]        # who can receive it: citizens, professionals
    label: object                    # what the settings call it (lazy)
    push_body: object                # the generic push text (lazy)
    ttl: int                         # seconds the push service keeps it for an offline phone
    subject: str = "sip"             # what it is about: request, consent, relatives, meeting, plan, report, sip
    mandatory_reason: object | None = None   # set when it cannot be turned off, saying why
    urgent: bool = False             # always sent with Urgency: high

    @property
    def mandatory(self) -> bool:
        """True when people cannot turn this kind off."""
        return self.mandatory_reason is not None


GROUPS = {
    "requests": _l("Requests"),
    "consent": _l("Consent"),
    "relatives": _l("Relatives"),
    "meetings": _l("Meetings"),
    "plan": _l("The plan"),
    "reports": _l("Missed meetings"),
    "sip": _l("The SIP"),
}

_CONSENT_REASON = _l("Always sent: it changes who may see your information.")
_CANCELLED_REASON = _l("Always sent, so that nobody comes to a meeting that will not take place.")

_KINDS = (
    Kind(events.REQUEST_RECEIVED, "requests", BOTH, _l("A new SIP request"),
         _l("There is a new SIP request"), 3 * DAY, "request"),
    Kind(events.REQUEST_ACKNOWLEDGED, "requests", frozenset({CITIZEN}), _l("A request is received by staff"),
         _l("Your SIP request has been received"), 3 * DAY, "request"),
    Kind(events.REQUEST_DECLINED, "requests", frozenset({CITIZEN}), _l("A request is declined"),
         _l("There is news about a SIP request"), 3 * DAY, "request"),
    Kind(events.REQUEST_WITHDRAWN, "requests", BOTH, _l("A request is withdrawn"),
         _l("A SIP request has been withdrawn"), 3 * DAY, "request"),
    Kind(REQUEST_WAITING_3WD, "requests", frozenset({PROFESSIONAL}),
         _l("Reminder: a request has waited 3 working days"),
         _l("A SIP request is waiting to be acknowledged"), DAY, "request"),
    Kind(events.CONSENT_GIVEN, "consent", BOTH, _l("Consent is given"),
         _l("Consent for a SIP has been given"), 3 * DAY, "consent"),
    Kind(events.CONSENT_RENEWED, "consent", BOTH, _l("Consent is renewed"),
         _l("Consent for a SIP has been renewed"), 3 * DAY, "consent"),
    Kind(events.CONSENT_CHANGED, "consent", BOTH, _l("Consent is changed"),
         _l("Consent for a SIP has been changed"), 3 * DAY, "consent"),
    Kind(events.CONSENT_WITHDRAWN, "consent", BOTH, _l("Consent is withdrawn"),
         _l("Consent for a SIP has been withdrawn"), 7 * DAY, "consent", mandatory_reason=_CONSENT_REASON),
    Kind(events.CONSENT_EXPIRED, "consent", BOTH, _l("Consent has ended"),
         _l("Consent for a SIP has ended"), 7 * DAY, "consent"),
    Kind(CONSENT_ENDS_30D, "consent", frozenset({CITIZEN}), _l("Reminder: consent ends in 30 days"),
         _l("Consent for your SIP ends soon"), 7 * DAY, "consent"),
    Kind(events.RELATIVE_INVITED, "relatives", frozenset(), _l("A relative is invited"),
         _l("Your SIP has been updated"), DAY, "relatives"),
    Kind(events.RELATIVE_ACCEPTED, "relatives", frozenset({CITIZEN}), _l("A relative accepts your invitation"),
         _l("A relative has accepted your invitation"), 3 * DAY, "relatives"),
    Kind(events.RELATIVE_REMOVED, "relatives", frozenset({CITIZEN}), _l("A relative link ends"),
         _l("A relative link has ended"), 3 * DAY, "relatives"),
    Kind(events.MEETING_BOOKED, "meetings", BOTH, _l("A meeting is booked"),
         _l("You have a new meeting invitation"), 2 * DAY, "meeting"),
    Kind(events.MEETING_MOVED, "meetings", BOTH, _l("A meeting is moved"),
         _l("A meeting has been moved"), 2 * DAY, "meeting"),
    Kind(events.MEETING_CANCELLED, "meetings", BOTH, _l("A meeting is cancelled"),
         _l("A meeting has been cancelled"), 2 * DAY, "meeting", mandatory_reason=_CANCELLED_REASON, urgent=True),
    Kind(events.INVITATION_ANSWERED, "meetings", frozenset({PROFESSIONAL}), _l("Someone answers your invitation"),
         _l("Someone has answered a meeting invitation"), 2 * DAY, "meeting"),
    Kind(events.INTERPRETER_CONFIRMED, "meetings", BOTH, _l("The interpreter is confirmed"),
         _l("The interpreter for a meeting is confirmed"), 2 * DAY, "meeting"),
    Kind(MEETING_24H, "meetings", BOTH, _l("Reminder: a meeting within 24 hours"),
         _l("Reminder: you have a meeting within 24 hours"), DAY, "meeting", urgent=True),
    Kind(MEETING_2H, "meetings", BOTH, _l("Reminder: a meeting within 2 hours"),
         _l("Reminder: you have a meeting within 2 hours"), 2 * HOUR, "meeting", urgent=True),
    Kind(INTERPRETER_UNCONFIRMED_3D, "meetings", frozenset({PROFESSIONAL}),
         _l("Reminder: interpreter not confirmed 3 days before"),
         _l("An interpreter is not yet confirmed for a meeting"), DAY, "meeting"),
    Kind(FOLLOW_UP_7D, "meetings", BOTH, _l("Reminder: follow-up in 7 days"),
         _l("A follow-up is due in a week"), 3 * DAY, "plan"),
    Kind(events.PLAN_AWAITING_APPROVAL, "plan", frozenset({CITIZEN}), _l("A plan waits for approval"),
         _l("A plan is waiting for your approval"), 7 * DAY, "plan"),
    Kind(PLAN_WAITING_3D, "plan", frozenset({CITIZEN}), _l("Reminder: a plan has waited 3 days for approval"),
         _l("A plan is still waiting for your approval"), 3 * DAY, "plan"),
    Kind(events.PLAN_APPROVED, "plan", frozenset({PROFESSIONAL}), _l("A plan is approved"),
         _l("A plan has been approved"), 3 * DAY, "plan"),
    Kind(events.PLAN_CHANGE_REQUESTED, "plan", frozenset({PROFESSIONAL}), _l("A change to a plan is asked for"),
         _l("A change to a plan has been asked for"), 3 * DAY, "plan"),
    Kind(events.MISSED_MEETING_REPORTED, "reports", frozenset({PROFESSIONAL}), _l("A missed meeting is reported"),
         _l("A missed meeting has been reported"), 3 * DAY, "report"),
    Kind(events.MISSED_MEETING_ANSWERED, "reports", frozenset({CITIZEN}),
         _l("Your report about a missed meeting is answered"),
         _l("Your report about a missed meeting has been answered"), 3 * DAY, "report"),
    Kind(events.SIP_CLOSED, "sip", BOTH, _l("A SIP is closed"), _l("A SIP has been closed"), 3 * DAY),
)

KINDS: dict[str, Kind] = {kind.code: kind for kind in _KINDS}
REMINDER_KINDS = (MEETING_24H, MEETING_2H, FOLLOW_UP_7D, CONSENT_ENDS_30D, PLAN_WAITING_3D,
                  REQUEST_WAITING_3WD, INTERPRETER_UNCONFIRMED_3D)


def kind(code: str) -> Kind:
    """The kind with this code; an unknown code (an old row) reads as a generic update."""
    return KINDS.get(code) or Kind(code, "sip", frozenset(), code, _l("Your SIP has been updated"), DAY)


def kinds_for(audience: str) -> list[Kind]:
    """The kinds someone of this audience can receive, in the order of the table."""
    return [k for k in _KINDS if audience in k.audiences]


# --- Inbox texts, written at reading time -------------------------------------------------------

def when(instant: datetime | str | None) -> str:
    """An instant in Swedish time, in the reader's language, without seconds: "tors 12 mars 2026 10:00"."""
    if not instant:
        return ""
    if isinstance(instant, str):
        instant = datetime.fromisoformat(instant)
    local, locale = instant.astimezone(get_timezone()), get_locale()
    # Babel's own date and time patterns, joined the way the language joins them.
    return get_datetime_format("medium", locale=locale).format(
        format_skeleton("Hm", local, locale=locale), format_skeleton("yMMMEd", local, locale=locale))


def _day(value: str | None) -> str:
    return format_date(date.fromisoformat(value), "long") if value else ""


def _response_text(p: dict) -> str:
    response = p.get("response")
    if response == "accepted":
        return _("%(name)s has accepted the invitation to the meeting on %(when)s (%(reference)s).", **p)
    if response == "declined":
        return _("%(name)s has declined the invitation to the meeting on %(when)s (%(reference)s).", **p)
    if response == "substitute":
        return _("%(name)s cannot come to the meeting on %(when)s and sends a substitute (%(reference)s).", **p)
    return _("%(name)s has answered the invitation to the meeting on %(when)s (%(reference)s).", **p)


def _staff(p: dict) -> bool:
    return p.get("as") in ("staff", "inviter", "coordinator", "documenter")


_TEXTS = {
    events.REQUEST_RECEIVED: lambda p: (
        _("New SIP request %(reference)s for your organisation.", **p) if _staff(p)
        else _("A SIP has been requested for you: %(reference)s.", **p)),
    events.REQUEST_ACKNOWLEDGED: lambda p: _("Staff have received the SIP request %(reference)s.", **p),
    events.REQUEST_DECLINED: lambda p: _(
        "The SIP request %(reference)s has been declined. Open it to see the reason and where to turn.", **p),
    events.REQUEST_WITHDRAWN: lambda p: _("The SIP request %(reference)s has been withdrawn.", **p),
    REQUEST_WAITING_3WD: lambda p: ngettext(
        "The SIP request %(reference)s has waited %(num)d working day without being acknowledged.",
        "The SIP request %(reference)s has waited %(num)d working days without being acknowledged.",
        p.get("days", 0), **p),
    events.CONSENT_GIVEN: lambda p: (
        _("Consent has been given for %(reference)s.", **p) if _staff(p)
        else _("Staff have recorded your consent for %(reference)s.", **p)),
    events.CONSENT_RENEWED: lambda p: _("Consent for %(reference)s has been renewed.", **p),
    events.CONSENT_CHANGED: lambda p: _("Consent for %(reference)s has been changed.", **p),
    events.CONSENT_WITHDRAWN: lambda p: (
        _("Consent for %(reference)s has been withdrawn. Its details are no longer shared with your "
          "organisation.", **p) if _staff(p)
        else _("Consent for %(reference)s has been withdrawn. You can no longer follow it.", **p)
        if p.get("as") == "relative"
        else _("Consent for %(reference)s has been withdrawn.", **p)),
    events.CONSENT_EXPIRED: lambda p: (
        _("Consent for %(reference)s ended on %(date)s. Its details are no longer shared with your "
          "organisation.", **p) if _staff(p)
        else _("Your consent for %(reference)s ended on %(date)s. You can give a new one.", **p)),
    CONSENT_ENDS_30D: lambda p: ngettext(
        "Your consent for %(reference)s ends in %(num)d day, on %(date)s. You can renew it.",
        "Your consent for %(reference)s ends in %(num)d days, on %(date)s. You can renew it.",
        p.get("days", 0), **p),
    events.RELATIVE_INVITED: lambda p: _("A relative has been invited.", **p),
    events.RELATIVE_ACCEPTED: lambda p: _("%(name)s has accepted your invitation and now follows your SIP.", **p),
    events.RELATIVE_REMOVED: lambda p: (
        _("%(name)s has ended your access as a relative.", **p) if p.get("as") == "relative"
        else _("%(name)s no longer follows your SIP as a relative.", **p)),
    events.MEETING_BOOKED: lambda p: _("You are invited to a meeting on %(when)s (%(reference)s).", **p),
    events.MEETING_MOVED: lambda p: (
        _("The meeting on %(old_when)s has been moved to %(when)s (%(reference)s).", **p) if p.get("old_when")
        else _("A meeting has been moved to %(when)s (%(reference)s).", **p)),
    events.MEETING_CANCELLED: lambda p: _("The meeting on %(when)s has been cancelled (%(reference)s).", **p),
    events.INVITATION_ANSWERED: _response_text,
    events.INTERPRETER_CONFIRMED: lambda p: _(
        "The interpreter for the meeting on %(when)s is confirmed (%(reference)s).", **p),
    MEETING_24H: lambda p: _("Reminder: you have a meeting on %(when)s (%(reference)s).", **p),
    MEETING_2H: lambda p: _("Reminder: your meeting starts soon, on %(when)s (%(reference)s).", **p),
    INTERPRETER_UNCONFIRMED_3D: lambda p: _(
        "No interpreter is confirmed yet for the meeting on %(when)s (%(reference)s).", **p),
    FOLLOW_UP_7D: lambda p: _("The follow-up of %(reference)s is due on %(date)s.", **p),
    events.PLAN_AWAITING_APPROVAL: lambda p: (
        _("A new version of the plan for %(reference)s is waiting for approval.", **p) if p.get("as") == "relative"
        else _("A new version of the plan for %(reference)s is waiting for your approval.", **p)),
    PLAN_WAITING_3D: lambda p: ngettext(
        "The plan for %(reference)s has waited %(num)d day for your approval.",
        "The plan for %(reference)s has waited %(num)d days for your approval.",
        p.get("days", 0), **p),
    events.PLAN_APPROVED: lambda p: _("Version %(number)s of the plan for %(reference)s has been approved.", **p),
    events.PLAN_CHANGE_REQUESTED: lambda p: _(
        "A change has been asked for in version %(number)s of the plan for %(reference)s.", **p),
    events.MISSED_MEETING_REPORTED: lambda p: _(
        "A missed meeting on %(when)s has been reported (%(reference)s).", **p),
    events.MISSED_MEETING_ANSWERED: lambda p: _(
        "Your report about the meeting on %(when)s has been answered (%(reference)s).", **p),
    events.SIP_CLOSED: lambda p: _("%(reference)s has been closed.", **p),
}


def inbox_text(code: str, params: dict, name: str = "") -> str:
    """The inbox text of a notification, in the current language. ``name`` is looked up by the caller
    from the ids in ``params`` (a relative's or a participant's name), never stored in them."""
    values = {"reference": "", "number": "", **params, "name": name or _("Someone"),
              "when": when(params.get("starts_at")), "old_when": when(params.get("old_starts_at")),
              "date": _day(params.get("date"))}
    text = _TEXTS.get(code)
    return text(values) if text else _("Your SIP has been updated")
