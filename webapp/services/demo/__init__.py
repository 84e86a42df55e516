"""Demo data: the people and organisations of the README, and what each feature adds to them.

Idempotent: running it again finds what is there and adds only what is missing. Each feature has a
module here with ``seed(world)``; ``STEPS`` runs them in order on the same ``DemoWorld``.
"""
from __future__ import annotations

from webapp.extensions import db
from webapp.services.demo import base, consents, relatives
from webapp.services.demo import cases as cases_demo
from webapp.services.demo import contacts as contacts_demo
from webapp.services.demo import requests as requests_demo
from webapp.services.demo import notifications as notification_demo
from webapp.services.demo.base import DEMO_PASSWORD, DemoWorld, database_is_empty

__all__ = ["DEMO_PASSWORD", "database_is_empty", "seed"]

#: The feature steps, in order; each is a callable taking the ``DemoWorld``.
STEPS: list = []
STEPS.append(contacts_demo.seed)
STEPS.append(requests_demo.seed)
STEPS.append(relatives.seed)   # issue 4: Erik follows Anna (before her consent names him)
STEPS.append(consents.seed)    # issue 4: Anna's consent history and access log
STEPS.append(cases_demo.seed)  # issue 5: Anna's meeting, plan and follow-up; Britt's declined request
STEPS.append(notification_demo.seed)  # last: the reminders due in the world the other steps built


def seed() -> dict:
    """Create (or complete) the demo data; returns the demo accounts by e-mail address."""
    db.begin_write()
    world = base.seed_people()
    for step in STEPS:
        step(world)
    db.session.commit()
    return world.people
