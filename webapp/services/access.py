"""The one function that decides who may see and do what with a person's SIP data.

Every view, export, document and notification that reads a person's SIP asks ``access_to`` (or its
wrappers ``require_*``), which checks, denying by default:

- is this the person;
- a relative with a live link and a grant for this SIP (and the SIP not without consent);
- the relative or other account that sent the request, for the request itself (not once the
  consent is withdrawn or expired);
- a professional of an organisation inside a live consent's scope; before any consent, only the
  request itself, for the organisations it was sent to; once consent is withdrawn or expired, only
  what they need to know that it was (the "stub").

Every read by someone other than the person is written to the access log in the request's own
transaction (``services.audit``), so a page is never shown unrecorded.
"""
from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import aliased
from werkzeug.local import LocalProxy

from webapp.extensions import db
from webapp.models import RelativeGrant, RelativeLink, Resource, Role, Sip, SipRecipient, User
from webapp.services import audit, clock, id_lists
from webapp.services.consent_state import ConsentState, LightStates, latest_columns, state_of, states_of


class Standing(enum.StrEnum):
    """How a user stands towards one SIP."""

    PERSON = "person"
    RELATIVE = "relative"
    REQUESTER = "requester"
    PROFESSIONAL = "professional"      # inside the consent (or a recipient before any consent)
    STUB = "stub"                      # a professional after consent was withdrawn or expired
    NONE = "none"


@dataclass
class Access:
    """What one user may do with one SIP, decided once per request.

    ``consent_source`` is the SIP's consent state, or a function giving it: the person's own access
    does not depend on it, so it is only looked up if someone asks for ``consent``.
    """

    standing: Standing
    consent_source: ConsentState | Callable[[], ConsentState]
    can_read_request: bool = False     # status, purpose, recipients, wishes: the request itself
    can_read_details: bool = False     # plan, meetings, consent, documents
    can_act_for_person: bool = False   # a relative allowed to act (never consent)
    can_work: bool = False             # a professional may act on the case (acknowledge, plan...)

    @property
    def consent(self) -> ConsentState:
        if callable(self.consent_source):
            self.consent_source = self.consent_source()
        return self.consent_source

    @property
    def is_person(self) -> bool:
        return self.standing == Standing.PERSON

    @property
    def can_act(self) -> bool:
        """May answer invitations, report a missed meeting, give feedback: the person or an acting relative."""
        return self.is_person or self.can_act_for_person

    @property
    def can_manage_consent(self) -> bool:
        """Only the person gives, renews or withdraws consent in the app."""
        return self.is_person



class SipRow(Protocol):
    """What the decision reads of a SIP itself: a ``Sip``, or a plain row with these columns."""

    @property
    def id(self) -> int: ...

    @property
    def person_id(self) -> int | None: ...

    @property
    def requested_by_id(self) -> int: ...


def _link_is_live(link: RelativeLink, today: date) -> bool:
    return link.removed_at is None and (link.ends_on is None or link.ends_on >= today)


def live_link(person_id: int, relative_id: int) -> RelativeLink | None:
    """The live link by which ``relative_id`` follows ``person_id``, if any."""
    today = clock.today()
    for link in db.session.scalars(
        sa.select(RelativeLink).where(RelativeLink.person_id == person_id,
                                      RelativeLink.relative_id == relative_id,
                                      RelativeLink.removed_at.is_(None))
    ):
        if _link_is_live(link, today):
            return link
    return None


def live_links_of_relative(relative_id: int) -> list[RelativeLink]:
    """The people a relative follows right now."""
    today = clock.today()
    links = db.session.scalars(
        sa.select(RelativeLink).where(RelativeLink.relative_id == relative_id, RelativeLink.removed_at.is_(None))
    )
    return [link for link in links if _link_is_live(link, today)]


def relative_grant(sip: SipRow, user: User) -> RelativeGrant | None:
    """The grant that lets ``user`` follow ``sip`` as a relative, if the link is live."""
    if sip.person_id is None:
        return None
    link = live_link(sip.person_id, user.id)
    if link is None:
        return None
    return db.session.scalars(
        sa.select(RelativeGrant).where(RelativeGrant.link_id == link.id, RelativeGrant.sip_id == sip.id)
    ).first()


def _recipient_org_ids(sip: Sip) -> set[int]:
    return set(db.session.scalars(sa.select(SipRecipient.organisation_id).where(SipRecipient.sip_id == sip.id)))


def access_to(user: User | None, sip: Sip) -> Access:
    """Decide what ``user`` may do with ``sip``. Deny by default."""
    return _decide(user, sip, lambda: state_of(sip), lambda: _recipient_org_ids(sip))


def access_to_many(user: User | None, sips: list[Sip]) -> dict[int, Access]:
    """``access_to`` for every SIP of a list page, by SIP id: the same decision, with the consent states
    and recipients of all of them looked up together (a few statements, not a few per SIP)."""
    ids = [sip.id for sip in sips]
    states = states_of(ids)
    recipients: dict[int, set[int]] = {sip_id: set() for sip_id in ids}
    if ids:
        for sip_id, org_id in db.session.execute(
                sa.select(SipRecipient.sip_id, SipRecipient.organisation_id).where(SipRecipient.sip_id.in_(ids))):
            recipients[sip_id].add(org_id)
    return {sip.id: _decide(user, sip, lambda sip=sip: states[sip.id], lambda sip=sip: recipients[sip.id])
            for sip in sips}


@functools.cache
def light_columns() -> tuple:
    """The columns ``access_to_rows`` decides on, to add to a select of SIPs (``Sip.id`` among its
    columns): the SIP's person and requester, the organisations it was sent to and its latest consent."""
    recipient = aliased(SipRecipient, name="any_recipient")
    return (Sip.person_id, Sip.requested_by_id,
            id_lists.aggregated(recipient.organisation_id, recipient.sip_id == Sip.id)
            .label("recipient_organisation_ids"),
            *latest_columns(Sip.id))


def access_to_rows(user: User | None, rows: Sequence[SipRow]) -> dict[int, Access]:
    """``access_to_many`` for lists of thousands of SIPs: the same decision, on the rows of one select
    with ``light_columns`` (no statement more, no object per SIP; each ``Access.consent`` is a
    ``LightStates`` state, without its record). A citizen's decision still looks up their links per SIP,
    as ``access_to`` does: it is meant for the organisations' lists."""
    if isinstance(user, LocalProxy):
        user = user._get_current_object()  # ``current_user``: asked once, not at each of thousands of SIPs
    states = LightStates()
    return {row.id: _decide(user, row, lambda row=row: states(row),
                            lambda row=row: set(id_lists.parsed(row.recipient_organisation_ids)))
            for row in rows}


def _decide(user: User | None, sip: SipRow, consent_of: Callable[[], ConsentState],
            recipients_of: Callable[[], set[int]]) -> Access:
    if user is None or not user.is_authenticated or not user.active:
        return Access(Standing.NONE, consent_of)
    if user.role == Role.CITIZEN:
        if sip.person_id == user.id:
            return Access(Standing.PERSON, consent_of, can_read_request=True, can_read_details=True)
        return _citizen_access(user, sip, consent_of())
    if user.role == Role.PROFESSIONAL and user.organisation_id is not None:
        return _professional_access(user, consent_of(), recipients_of)
    return Access(Standing.NONE, consent_of)


def _citizen_access(user: User, sip: SipRow, consent: ConsentState) -> Access:
    grant = relative_grant(sip, user)
    if grant is not None and not consent.lost:
        return Access(Standing.RELATIVE, consent, can_read_request=True, can_read_details=True,
                      can_act_for_person=grant.can_act)
    if (sip.requested_by_id == user.id and not consent.lost
            and (sip.person_id is None or live_link(sip.person_id, user.id))):
        # The one who sent it follows the request itself, as long as the person still lets them:
        # a withdrawn or expired consent ends it, as it ends every relative's access.
        return Access(Standing.REQUESTER, consent, can_read_request=True)
    return Access(Standing.NONE, consent)


def _professional_access(user: User, consent: ConsentState, recipients_of: Callable[[], set[int]]) -> Access:
    org = user.organisation_id
    if consent.live:
        if org in consent.organisation_ids:
            return Access(Standing.PROFESSIONAL, consent, can_read_request=True, can_read_details=True,
                          can_work=True)
        return Access(Standing.NONE, consent)
    recipients = recipients_of()
    if consent.lost:
        involved = recipients | consent.named_organisation_ids
        return Access(Standing.STUB if org in involved else Standing.NONE, consent)
    if org in recipients:
        return Access(Standing.PROFESSIONAL, consent, can_read_request=True, can_work=True)
    return Access(Standing.NONE, consent)


def _deny() -> None:
    # 404, not 403: someone without access does not learn that the SIP exists.
    abort(404)


def require_request(user: User, sip: Sip, resource: Resource = Resource.REQUEST) -> Access:
    """Allow reading the request itself, or answer 404; log the read when it is not the person's."""
    access = access_to(user, sip)
    if not access.can_read_request:
        _deny()
    audit.record_read(user, sip, resource, access)
    return access


def require_details(user: User, sip: Sip, resource: Resource) -> Access:
    """Allow reading the SIP's details (plan, meetings, consent, documents), or answer 404; log it."""
    access = access_to(user, sip)
    if not access.can_read_details:
        _deny()
    audit.record_read(user, sip, resource, access)
    return access


def require_work(user: User, sip: Sip, resource: Resource = Resource.SIP, details: bool = False) -> Access:
    """Allow a professional to act on the case (``details``: with a live consent), or answer 404."""
    access = access_to(user, sip)
    if not access.can_work or (details and not access.can_read_details):
        _deny()
    audit.record_read(user, sip, resource, access)
    return access


def require_act(user: User, sip: Sip, resource: Resource = Resource.MEETINGS) -> Access:
    """Allow the person, or a relative allowed to act, to act in this SIP, or answer 404."""
    access = access_to(user, sip)
    if not access.can_act:
        _deny()
    audit.record_read(user, sip, resource, access)
    return access


def require_person(user: User, sip: Sip) -> Access:
    """Only the person (consent is theirs alone to give or withdraw)."""
    access = access_to(user, sip)
    if not access.is_person:
        _deny()
    return access
