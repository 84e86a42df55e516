"""Demo: Erik follows his mother Anna, may ask for a SIP for her and act for her in SIP-7KQ4-M2.

The requests demo may already have linked them (``can_request``): the link is looked up, never
duplicated. Idempotent.
"""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import RelativeGrant, RelativeLink
from webapp.services import access, clock
from webapp.services.demo.base import DemoWorld
from webapp.services.demo.consents import anna_sip


def seed(world: DemoWorld) -> None:
    """Anna ← Erik, live, with a grant to see and act in Anna's SIP."""
    anna, erik = world.user("anna"), world.user("erik")
    sip = anna_sip(world)
    link = access.live_link(anna.id, erik.id)
    if link is None:
        link = RelativeLink(person_id=anna.id, relative_id=erik.id, can_request=True,
                            created_at=sip.created_at - timedelta(days=1))
        db.session.add(link)
        db.session.flush()
    grant = db.session.scalars(sa.select(RelativeGrant).where(
        RelativeGrant.link_id == link.id, RelativeGrant.sip_id == sip.id)).first()
    if grant is None:
        db.session.add(RelativeGrant(link_id=link.id, sip_id=sip.id, can_act=True, created_at=clock.now()))
    db.session.flush()
