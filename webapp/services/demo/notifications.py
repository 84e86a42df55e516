"""Demo data for notifications: the reminders that are due in the demo world, in its inbox.

The immediate notifications come by themselves: every demo step that records an event through the
services tells the right people, as in real use. This step adds what the reminder job would find due
at the moment the demo is seeded (idempotent: a reminder's key is never created twice).
"""
from __future__ import annotations

from webapp.services import reminders


def seed(world) -> None:
    """Create the reminders due now, inside the demo's own transaction."""
    reminders.create_due(commit=False)
