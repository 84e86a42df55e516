"""Relatives (närstående): the person invites them, chooses per SIP what each may see and do, and
removes them in one step. A relative sees the people they follow and can step back themselves.

What a relative may do, and never do, is decided by ``services.access``; this module only keeps the
person's choices: the link (``RelativeLink``), its end date and ``can_request``, and a grant per SIP
(``RelativeGrant``; ``can_act`` to act for the person, never to give or withdraw consent).
"""
from __future__ import annotations

import enum
import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from webapp.extensions import db
from webapp.models import RelativeGrant, RelativeInvitation, RelativeLink, Role, Sip, User
from webapp.services import access, clock, events

#: A link works once, for 7 days.
INVITATION_LIFETIME = timedelta(days=7)
LABEL_MAX = 200


class Level(enum.StrEnum):
    """What a relative may do in one SIP."""

    NONE = "none"
    SEE = "see"      # see the plan and meetings
    ACT = "act"      # also act for the person: answer invitations, report a missed meeting, give feedback


class RelativeError(ValueError):
    """A rule refused the change; ``field`` names the form field the message belongs to."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass
class Rights:
    """The person's choices for one relative: a level per SIP, asking for a SIP, an end date."""

    levels: dict[int, Level] = field(default_factory=dict)
    can_request: bool = False
    ends_on: date | None = None


@dataclass(frozen=True)
class Followed:
    """A person a relative follows, and the SIPs the relative may see now (with their grants)."""

    link: RelativeLink
    sips: list[tuple[Sip, RelativeGrant]]


def token_hash(token: str) -> str:
    """Links are stored only as their SHA-256 hash."""
    return hashlib.sha256(token.encode()).hexdigest()


def shareable_sips(person: User) -> list[Sip]:
    """The person's own SIPs, which they can let a relative follow."""
    return list(db.session.scalars(
        sa.select(Sip).where(Sip.person_id == person.id).order_by(Sip.created_at.desc(), Sip.id.desc())))


def _check_rights(person: User, rights: Rights) -> None:
    own = {sip.id for sip in shareable_sips(person)}
    if any(sip_id not in own for sip_id in rights.levels):
        raise RelativeError("levels", _("Choose from your own SIPs."))
    if rights.ends_on is not None and rights.ends_on < clock.today():
        raise RelativeError("ends_on", _("The end date cannot be in the past."))


# -- Inviting ------------------------------------------------------------------------------------

def invite(person: User, label: str, rights: Rights) -> tuple[RelativeInvitation, str]:
    """Make a one-time link (valid 7 days) for a relative; returns the invitation and the token,
    which is shown once and stored only as a hash."""
    label = (label or "").strip()
    if not label:
        raise RelativeError("label", _("Write who you are inviting."))
    if len(label) > LABEL_MAX:
        raise RelativeError("label", _("Use at most %(max)d characters.", max=LABEL_MAX))
    db.begin_write()
    _check_rights(person, rights)
    token = secrets.token_urlsafe(32)
    now = clock.now()
    invitation = RelativeInvitation(
        person_id=person.id, token_hash=token_hash(token), label=label,
        grants=[{"sip_id": sip_id, "can_act": level == Level.ACT}
                for sip_id, level in sorted(rights.levels.items()) if level != Level.NONE],
        can_request=rights.can_request, ends_on=rights.ends_on, created_at=now,
        expires_at=now + INVITATION_LIFETIME,
    )
    db.session.add(invitation)
    db.session.flush()
    events.record(events.RELATIVE_INVITED, actor=person, person_id=person.id, invitation_id=invitation.id)
    db.session.commit()
    return invitation, token


def _usable(invitation: RelativeInvitation | None) -> bool:
    return (invitation is not None and invitation.used_at is None and invitation.revoked_at is None
            and invitation.expires_at > clock.now() and invitation.person.active)


def invitation_for_token(token: str) -> RelativeInvitation | None:
    """The invitation behind a link, if it is unused, not cancelled and not expired."""
    invitation = db.session.scalars(
        sa.select(RelativeInvitation).where(RelativeInvitation.token_hash == token_hash(token))).first()
    return invitation if _usable(invitation) else None


def pending_invitations(person: User) -> list[RelativeInvitation]:
    """The person's invitations that can still be accepted, newest first."""
    rows = db.session.scalars(sa.select(RelativeInvitation).where(
        RelativeInvitation.person_id == person.id, RelativeInvitation.used_at.is_(None),
        RelativeInvitation.revoked_at.is_(None), RelativeInvitation.expires_at > clock.now(),
    ).order_by(RelativeInvitation.created_at.desc(), RelativeInvitation.id.desc()))
    return list(rows)


def cancel_invitation(person: User, invitation_id: int) -> bool:
    """The person cancels an unused invitation: the link stops working at once."""
    db.begin_write()
    invitation = db.session.get(RelativeInvitation, invitation_id)
    if invitation is None or invitation.person_id != person.id or not _usable(invitation):
        db.session.rollback()
        return False
    invitation.revoked_at = clock.now()
    db.session.commit()
    return True


def accept(token: str, relative: User) -> RelativeLink:
    """The relative accepts: they follow the person with the rights chosen in the invitation.
    The link then stops working. Accepting again for the same person adds to the live link."""
    db.begin_write()
    invitation = db.session.scalars(
        sa.select(RelativeInvitation).where(RelativeInvitation.token_hash == token_hash(token))
        .with_for_update()).first()
    if not _usable(invitation):
        raise RelativeError("", _("This link does not work any more. Ask for a new one."))
    if relative.role != Role.CITIZEN or not relative.active:
        raise RelativeError("", _("Log in with your personal account to accept. Staff accounts cannot follow someone."))
    if relative.id == invitation.person_id:
        raise RelativeError("", _("This is your own invitation. Give the link to the relative you want to invite."))
    now = clock.now()
    link = access.live_link(invitation.person_id, relative.id)
    if link is None:
        link = RelativeLink(person_id=invitation.person_id, relative_id=relative.id, created_at=now)
        db.session.add(link)
    # The newest invitation says what the person wants now.
    link.can_request = invitation.can_request
    link.ends_on = invitation.ends_on
    db.session.flush()
    own = {sip.id for sip in shareable_sips(invitation.person)}
    for chosen in invitation.grants:
        if chosen.get("sip_id") in own:
            _set_level(link, chosen["sip_id"], Level.ACT if chosen.get("can_act") else Level.SEE)
    invitation.used_at = now
    invitation.accepted_by_id = relative.id
    events.record(events.RELATIVE_ACCEPTED, actor=relative, person_id=invitation.person_id,
                  link_id=link.id, relative_id=relative.id)
    db.session.commit()
    return link


# -- The person's relatives ----------------------------------------------------------------------

def links_of(person: User) -> list[RelativeLink]:
    """The relatives who follow the person now, by name."""
    today = clock.today()
    links = db.session.scalars(sa.select(RelativeLink).where(
        RelativeLink.person_id == person.id, RelativeLink.removed_at.is_(None)))
    return sorted((link for link in links if link.ends_on is None or link.ends_on >= today),
                  key=lambda link: (link.relative.name, link.id))


def link_of(person: User, link_id: int) -> RelativeLink | None:
    """One of the person's live relative links, or None."""
    return next((link for link in links_of(person) if link.id == link_id), None)


def rights_of(link: RelativeLink) -> Rights:
    """The choices in force for a link, for the form that changes them."""
    return Rights(levels={grant.sip_id: Level.ACT if grant.can_act else Level.SEE for grant in link.grants},
                  can_request=link.can_request, ends_on=link.ends_on)


def _set_level(link: RelativeLink, sip_id: int, level: Level) -> None:
    grant = next((grant for grant in link.grants if grant.sip_id == sip_id), None)
    if level == Level.NONE:
        if grant is not None:
            link.grants.remove(grant)
        return
    if grant is None:
        link.grants.append(RelativeGrant(sip_id=sip_id, can_act=level == Level.ACT, created_at=clock.now()))
    else:
        grant.can_act = level == Level.ACT


def change_rights(person: User, link: RelativeLink, rights: Rights) -> None:
    """The person changes what a relative may see and do; it applies from the next request."""
    db.begin_write()
    if link.person_id != person.id:
        raise PermissionError("only the person changes their relatives' rights")
    _check_rights(person, rights)
    for sip in shareable_sips(person):
        _set_level(link, sip.id, rights.levels.get(sip.id, Level.NONE))
    link.can_request = rights.can_request
    link.ends_on = rights.ends_on
    db.session.commit()


def _end(link: RelativeLink, by: User) -> None:
    link.removed_at = clock.now()
    link.removed_by_id = by.id
    events.record(events.RELATIVE_REMOVED, actor=by, person_id=link.person_id, link_id=link.id,
                  relative_id=link.relative_id, by_relative=by.id == link.relative_id)


def remove(person: User, link: RelativeLink) -> None:
    """The person removes a relative, in one step and at once: from the next request they see nothing."""
    db.begin_write()
    if link.person_id != person.id:
        raise PermissionError("only the person removes their relatives")
    _end(link, person)
    db.session.commit()


# -- The relative's side -------------------------------------------------------------------------

def followed_by(relative: User) -> list[Followed]:
    """The people a relative follows, each with the SIPs the access service lets them see now."""
    result = []
    for link in sorted(access.live_links_of_relative(relative.id), key=lambda link: (link.person.name, link.id)):
        visible = []
        for grant in sorted(link.grants, key=lambda grant: grant.sip_id):
            sip = db.session.get(Sip, grant.sip_id)
            if sip is not None and access.access_to(relative, sip).can_read_details:
                visible.append((sip, grant))
        result.append(Followed(link, visible))
    return result


def followed_link(relative: User, link_id: int) -> RelativeLink | None:
    """One of the relative's live links, or None."""
    return next((link for link in access.live_links_of_relative(relative.id) if link.id == link_id), None)


def step_back(relative: User, link: RelativeLink) -> None:
    """The relative stops following the person; the person is told."""
    db.begin_write()
    if link.relative_id != relative.id:
        raise PermissionError("only the relative steps back")
    _end(link, relative)
    db.session.commit()
