"""The rules of a consent's period and scope: at most one year, renewing in the last 30 days, what
a change may do, and when a SIP takes no new consent (seed 002, step 1: "Samtycket till SIP ska vara
begränsat i tid och gälla för den fråga som man kommit överens om"; "Samtycket gäller max 1 år";
"Om nya frågeställningar kommer efter avslut krävs ett nytt samtycke").

``services.consent`` applies them; they live here so that each is one function, tested on its own.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import format_date
from flask_babel import gettext as _

from webapp.models import ConsentAction, ConsentRecord, Sip, SipStatus
from webapp.services import clock
from webapp.services.consent_state import ConsentState

#: The person is reminded, and may renew, from 30 days before the consent ends.
RENEWAL_WINDOW = timedelta(days=30)
#: The longest free text kept in a record (purpose, what is not agreed, a note).
TEXT_MAX = 2000


class ConsentError(ValueError):
    """A rule refused the consent; ``field`` names the form field the message belongs to."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass
class ConsentTerms:
    """What a consent says: the question agreed, who may share, what is not agreed, who takes part, until when."""

    purpose: str = ""
    organisation_ids: list[int] = field(default_factory=list)
    not_agreed: str = ""
    relative_ids: list[int] = field(default_factory=list)
    valid_until: date | None = None


# -- The period: at most one year ---------------------------------------------------------------

def latest_end(start: date) -> date:
    """The last day of a consent that starts on ``start``: one year, never more (seed 002,
    "Samtycket gäller max 1 år"). From 2 March 2026 that is 1 March 2027; a start on 29 February
    ends on 28 February."""
    try:
        anniversary = start.replace(year=start.year + 1)
    except ValueError:  # 29 February: the year after has none
        anniversary = date(start.year + 1, 3, 1)
    return anniversary - timedelta(days=1)


def check_period(valid_from: date, valid_until: date | None, latest: date, today: date | None = None,
                 change: bool = False) -> None:
    """Refuse an end date before today (or the start) or after ``latest``, with a clear message."""
    today = today or clock.today()
    earliest = max(valid_from, today)
    if valid_until is None:
        raise ConsentError("valid_until", _("Enter the date the consent ends."))
    if valid_until < earliest:
        raise ConsentError("valid_until", _("The end date cannot be before %(date)s.",
                                            date=format_date(earliest, "long")))
    if valid_until > latest:
        if change:
            raise ConsentError("valid_until", _(
                "A change cannot make the consent last longer. Choose %(date)s or earlier, "
                "or renew the consent when it is close to its end.", date=format_date(latest, "long")))
        raise ConsentError("valid_until", _("Consent lasts at most one year. Choose %(date)s or earlier.",
                                            date=format_date(latest, "long")))


def renewal_open(state: ConsentState, today: date | None = None) -> bool:
    """A live consent can be renewed from 30 days before it ends."""
    today = today or clock.today()
    return state.live and state.valid_until is not None and state.valid_until - today <= RENEWAL_WINDOW


def reminder_due_on(record: ConsentRecord) -> date | None:
    """The day the person is reminded that the consent is ending (30 days before)."""
    return record.valid_until - RENEWAL_WINDOW if record.valid_until else None


@dataclass(frozen=True)
class Period:
    """When a new record's consent starts, the latest day it may end, and whether it is a change."""

    valid_from: date
    latest: date
    change: bool = False


def period_for(action: ConsentAction, state: ConsentState, start: date) -> Period:
    """Whether ``action`` is possible now, and the period it may cover:

    - GIVE: when no consent is in force; from ``start``, at most one year;
    - CHANGE: when one is in force; the period stays, the end may come sooner but never later;
    - RENEW: in the last 30 days of one in force; up to one more year from ``start``.
    """
    if action == ConsentAction.GIVE:
        if state.live:
            raise ConsentError("", _("A consent is already in force. You can change it or withdraw it."))
        return Period(start, latest_end(start))
    if action == ConsentAction.CHANGE:
        if not state.live:
            raise ConsentError("", _("There is no consent in force to change. You can give a new one."))
        return Period(state.record.valid_from, state.valid_until, change=True)
    if action == ConsentAction.RENEW:
        if not renewal_open(state):
            raise ConsentError("", _("A consent can be renewed from 30 days before it ends."))
        return Period(start, latest_end(start))
    raise ValueError(f"{action} is not given, changed or renewed")


def refusal(sip: Sip) -> str | None:
    """Why this SIP cannot take a new consent now, in plain words; None when it can."""
    if sip.status == SipStatus.CLOSED:
        # Seed 002: "Om nya frågeställningar kommer efter avslut krävs ett nytt samtycke."
        return _("This SIP is closed. A new question needs a new SIP, with a new consent: ask for a new SIP.")
    if sip.status == SipStatus.WITHDRAWN:
        return _("This request was withdrawn. To start again, ask for a new SIP.")
    if sip.status == SipStatus.DECLINED:
        return _("This request was declined. To start again, ask for a new SIP.")
    return None
