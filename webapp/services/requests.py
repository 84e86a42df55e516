"""Asking for a SIP: sending the request, withdrawing it, and who sees which requests.

Anyone may start a SIP: the person, a relative, or staff; a request should be refused only in
exceptional cases (DOMAIN.md, "Who may start one"). A request reaches the queue of every
organisation it was sent to (``SipRecipient``); consent is obtained after it, by staff (seed 002,
step 1), so a request for someone else says that their consent is still to be obtained.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from webapp.extensions import db
from webapp.models import (
    Contact,
    InterpreterMode,
    InterpreterRequest,
    InterpreterStatus,
    PlacePreference,
    RelativeGrant,
    RequestDraft,
    RequestedContact,
    Sip,
    SipRecipient,
    SipStatus,
    StartPath,
    User,
)
from webapp.services import access, clock, contacts, directory, events, interpreter_languages, references
from webapp.services import request_drafts as drafts

#: A request can be withdrawn until it has led to a meeting.
WITHDRAWABLE = frozenset({SipStatus.SENT, SipStatus.RECEIVED, SipStatus.CONSENT_CONFIRMED})
#: Statuses of a request that is still waiting for, or being worked on by, the organisations.
OPEN_STATUSES = frozenset({SipStatus.SENT, SipStatus.RECEIVED, SipStatus.CONSENT_CONFIRMED,
                           SipStatus.MEETING_BOOKED, SipStatus.PLAN_AGREED, SipStatus.FOLLOW_UP})
ACCESSIBILITY_NEEDS = ("hearing_loop", "step_free", "easy_read", "other")


class RequestProblem(ValueError):
    """An answer that no longer holds when the request is sent; ``step`` is the page to fix it on."""

    def __init__(self, step: str, message: str):
        super().__init__(message)
        self.step = step
        self.message = message


# --- for whom -------------------------------------------------------------------------------------

def people_to_ask_for(user: User) -> list[User]:
    """The people who let ``user`` ask for a SIP on their behalf (a live link with ``can_request``)."""
    people = [link.person for link in access.live_links_of_relative(user.id) if link.can_request]
    return sorted(people, key=lambda person: person.name.casefold())


def subject_of(user: User, choice: str) -> User | None:
    """The person a ``person:<id>`` answer names, if ``user`` may still ask on their behalf."""
    if not choice.startswith(drafts.PERSON_PREFIX):
        return None
    try:
        person_id = int(choice.removeprefix(drafts.PERSON_PREFIX))
    except ValueError:
        return None
    link = access.live_link(person_id, user.id)
    return link.person if link is not None and link.can_request else None


def contact_choices(user: User) -> list[Contact]:
    """The contacts offered under "who should be invited": the asker's own contact map (a person's
    map is theirs alone, so a relative asking for them picks from their own)."""
    return contacts.contacts_of(user)


def _principal(organisation_id: int):
    organisation = directory.get_organisation(organisation_id)
    if organisation is None or not organisation.active or not organisation.kind.is_principal:
        return None
    return organisation


# --- sending --------------------------------------------------------------------------------------

def submit(user: User, data: dict) -> Sip:
    """Send the request the draft describes: the SIP, its recipients, the contacts to invite, the
    interpreter request and the event; a relative asking for someone with an account gets a grant
    to follow it. Raises ``RequestProblem`` when an answer no longer holds."""
    db.begin_write()
    missing = drafts.first_missing(data)
    if missing is not None:
        raise RequestProblem(missing, _("Answer this question before you send the request."))
    sip = _build(user, data)
    db.session.add(sip)
    db.session.flush()
    if sip.on_behalf and sip.person_id is not None:
        link = access.live_link(sip.person_id, user.id)
        db.session.add(RelativeGrant(link_id=link.id, sip_id=sip.id, can_act=True, created_at=sip.created_at))
    events.record(events.REQUEST_RECEIVED, sip=sip, actor=user, on_behalf=sip.on_behalf,
                  interpreter=bool(sip.interpreter_requests))
    db.session.execute(sa.delete(RequestDraft).where(RequestDraft.user_id == user.id))
    db.session.commit()
    return sip


def _build(user: User, data: dict) -> Sip:
    now = clock.now()
    sip = Sip(reference=references.new_reference(), requested_by_id=user.id, created_at=now, updated_at=now,
              status=SipStatus.SENT)
    _apply_subject(sip, user, data)
    sip.purpose = data["purpose"]["purpose"]
    sip.start_path = StartPath(data["start"]["path"])
    sip.discharge_date = (date.fromisoformat(data["start"]["discharge_date"])
                          if sip.start_path == StartPath.DISCHARGE else None)
    sip.place_preference = PlacePreference(data["place"]["place"])
    needs = set(data["accessibility"].get("needs", []))
    sip.needs_hearing_loop = "hearing_loop" in needs
    sip.needs_step_free = "step_free" in needs
    sip.needs_easy_read = "easy_read" in needs
    sip.needs_other = data["accessibility"].get("other", "") if "other" in needs else ""
    sip.recipients = _recipients(data)
    sip.requested_contacts = _requested_contacts(user, data)
    if data["interpreter"]["needed"] == "yes":
        sip.interpreter_requests = [_interpreter(user, data["interpreter_details"], now)]
    return sip


def _apply_subject(sip: Sip, user: User, data: dict) -> None:
    choice = data["for_whom"]["choice"]
    if choice == drafts.SELF:
        sip.person_id = user.id
        sip.on_behalf = False
        return
    sip.on_behalf = True
    if choice == drafts.OTHER:
        about = data["about_them"]
        sip.subject_name = about["name"]
        sip.subject_phone = about.get("phone", "")
        sip.subject_informed = about["awareness"] in ("agrees", "informed")
        sip.subject_agrees = about["awareness"] == "agrees"
        return
    person = subject_of(user, choice)
    if person is None:
        raise RequestProblem("for_whom", _("You can no longer ask for a SIP for this person. Choose again."))
    sip.person_id = person.id
    # The person has not said yes to this request themselves: staff ask them (seed 002, step 1).
    sip.subject_informed = True
    sip.subject_agrees = False


def _recipients(data: dict) -> list[SipRecipient]:
    recipients = []
    for organisation_id in data["organisations"]["ids"]:
        organisation = _principal(organisation_id)
        if organisation is None:
            raise RequestProblem("organisations", _("One of the organisations you chose can no longer "
                                                    "receive requests. Choose again."))
        recipients.append(SipRecipient(organisation_id=organisation.id))
    if not recipients:
        raise RequestProblem("organisations", _("Choose at least one municipality or region."))
    return recipients


def _requested_contacts(user: User, data: dict) -> list[RequestedContact]:
    chosen = []
    for contact_id in data["contacts"].get("ids", []):
        contact = contacts.contact_of(user, contact_id)
        if contact is None:
            raise RequestProblem("contacts", _("One of the contacts you chose is no longer on your contact map. "
                                               "Choose again."))
        chosen.append(RequestedContact(contact_id=contact.id, name=contact.name, role_title=contact.role_title,
                                       organisation_name=contact.organisation_label, phone=contact.phone,
                                       email=contact.email))
    return chosen


def _interpreter(user: User, details: dict, now) -> InterpreterRequest:
    language = details["language"]
    if not interpreter_languages.is_known(language):
        raise RequestProblem("interpreter_details", _("Choose a language from the list."))
    return InterpreterRequest(
        language=language,
        language_name=details.get("language_name", "") if language == interpreter_languages.OTHER_SIGN_LANGUAGE else "",
        sign_language=interpreter_languages.is_sign_language(language),
        mode=InterpreterMode(details["mode"]), notes=details.get("notes", ""),
        status=InterpreterStatus.REQUESTED, created_by_id=user.id, created_at=now, updated_at=now,
    )


# --- finding and withdrawing ---------------------------------------------------------------------

def by_reference(reference: str) -> Sip | None:
    """The SIP with this reference (typed in any case or spacing), or ``None``. Callers then ask
    ``access``: finding a SIP is not the right to see it."""
    return db.session.scalars(sa.select(Sip).where(Sip.reference == references.normalise(reference))).first()


def can_withdraw(user: User, sip: Sip, the_access: access.Access) -> bool:
    """The person, or the one who sent it while they still follow it, until it has led to a meeting."""
    if sip.status not in WITHDRAWABLE:
        return False
    return the_access.is_person or (sip.requested_by_id == user.id and the_access.can_read_request)


def withdraw(user: User, sip: Sip) -> None:
    """Withdraw the request: the organisations stop working on it and the interpreter is cancelled."""
    the_access = access.access_to(user, sip)
    if not can_withdraw(user, sip, the_access):
        raise PermissionError("this request cannot be withdrawn by this user")
    db.begin_write()
    now = clock.now()
    sip.status = SipStatus.WITHDRAWN
    sip.withdrawn_at = now
    sip.withdrawn_by_id = user.id
    sip.updated_at = now
    for interpreter in sip.interpreter_requests:
        if interpreter.status != InterpreterStatus.CANCELLED:
            interpreter.status = InterpreterStatus.CANCELLED
            interpreter.updated_at = now
    events.record(events.REQUEST_WITHDRAWN, sip=sip, actor=user)
    db.session.commit()


# --- lists ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ListedRequest:
    sip: Sip
    access: access.Access

    @property
    def is_own(self) -> bool:
        return self.access.is_person


def requests_of(user: User) -> list[ListedRequest]:
    """The SIPs about ``user`` and those ``user`` asked for on someone's behalf, newest first, each
    one that ``access`` lets them read."""
    candidates = db.session.scalars(
        sa.select(Sip).where(sa.or_(Sip.person_id == user.id, Sip.requested_by_id == user.id))
        .order_by(Sip.created_at.desc(), Sip.id.desc())
    )
    listed = []
    for sip in candidates:
        the_access = access.access_to(user, sip)
        if the_access.can_read_request:
            listed.append(ListedRequest(sip, the_access))
    return listed
