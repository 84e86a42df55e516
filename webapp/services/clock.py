"""The one clock of the application, so that tests can move time without patching libraries."""
from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def now() -> datetime:
    """The current instant (aware, UTC). ``app.config["CLOCK"]`` may replace it in tests."""
    if has_app_context():
        clock = current_app.config.get("CLOCK")
        if clock is not None:
            return clock()
    return datetime.now(UTC)


def today() -> date:
    """Today's date in Sweden, which is what 'today' means to everyone using the service."""
    return now().astimezone(STOCKHOLM).date()


def local(instant: datetime) -> datetime:
    """An instant in Swedish local time."""
    return instant.astimezone(STOCKHOLM)
