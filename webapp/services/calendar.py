"""Meetings in the person's own calendar: an ``.ics`` file per meeting and a subscribable feed.

The feed lives behind a secret address. Only a SHA-256 of its token is stored; the token itself is
derived from the application's secret key and the feed's row (an HMAC), so that the person's page
can show the address again while a copy of the database alone cannot. Renewing moves the feed on,
which gives a new token: the old address stops working at once.

A subscribed calendar is fetched by the calendar's own servers, often far from Min SIP; the feed
therefore says when and where, and that it is a SIP meeting, and links to the meeting's page for the
purpose and who is invited. A single ``.ics`` file, which the person downloads themselves, carries
the purpose and who is invited too.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from icalendar import Alarm, Calendar, Event, Timezone

from webapp.extensions import db
from webapp.models import CalendarFeed, Meeting, MeetingKind, MeetingStatus, Resource, Sip, User
from webapp.services import access, audit, clock, relatives
from webapp.services import meeting_reading as reading
from webapp.services.paths import path_for

TIMEZONE = "Europe/Stockholm"
#: Reminders: the day before and two hours before (issue 6).
ALARMS = (timedelta(days=-1), timedelta(hours=-2))
#: Meetings older than this are left out of the feed.
FEED_PAST = timedelta(days=180)
PRODID = "-//Min SIP//Meetings//EN"


# -- One meeting, or many, as iCalendar --------------------------------------------------------------

def _summary(meeting: Meeting) -> str:
    if meeting.kind == MeetingKind.FOLLOW_UP:
        return _("SIP follow-up meeting")
    return _("SIP meeting")


def _description(meeting: Meeting, page_url: str, detailed: bool) -> str:
    lines = []
    if detailed:
        if meeting.purpose:
            lines.append(_("Purpose: %(purpose)s", purpose=meeting.purpose))
        names = [reading.who(p) for p in reading.invited(meeting)]
        if names:
            lines.append(_("Invited: %(names)s", names="; ".join(names)))
    if meeting.place_kind.value == "remote" and meeting.remote_link:
        lines.append(_("Link to the meeting: %(link)s", link=meeting.remote_link))
    lines.append(_("More in Min SIP: %(url)s", url=page_url))
    return "\n".join(lines)


def _event(meeting: Meeting, base_url: str, detailed: bool) -> Event:
    page_url = base_url + path_for("meetings.show", meeting_id=meeting.id)
    event = Event()
    event.add("uid", f"minsip-meeting-{meeting.id}@min-sip")
    event.add("dtstamp", meeting.updated_at or clock.now())
    event.add("last-modified", meeting.updated_at or clock.now())
    # A new SEQUENCE each time it moves or is cancelled, so calendars replace their copy.
    event.add("sequence", len(meeting.changes) + (1 if meeting.status == MeetingStatus.CANCELLED else 0))
    event.add("dtstart", clock.local(meeting.starts_at))
    event.add("dtend", clock.local(meeting.ends_at))
    event.add("summary", _summary(meeting))
    place = reading.place(meeting)
    if meeting.place_kind.value == "remote" and meeting.remote_link:
        place = meeting.remote_link
    if place:
        event.add("location", place)
    event.add("description", _description(meeting, page_url, detailed))
    event.add("url", page_url)
    if meeting.status == MeetingStatus.CANCELLED:
        event.add("status", "CANCELLED")
        return event
    event.add("status", "CONFIRMED")
    for trigger in ALARMS:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", trigger)
        alarm.add("description", _summary(meeting))
        event.add_component(alarm)
    return event


def _calendar(meetings: list[Meeting], base_url: str, detailed: bool, name: str | None = None) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    cal.add("calscale", "GREGORIAN")
    if name:
        cal.add("x-wr-calname", name)
        cal.add("x-wr-timezone", TIMEZONE)
        # Ask subscribing calendars to look again every few hours.
        cal.add("refresh-interval", timedelta(hours=4), parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", "PT4H")
    if meetings:
        starts = [clock.local(m.starts_at).date() for m in meetings]
        cal.add_component(Timezone.from_tzid(TIMEZONE, first_date=date(min(starts).year - 1, 1, 1),
                                             last_date=date(max(starts).year + 2, 1, 1)))
    for meeting in meetings:
        cal.add_component(_event(meeting, base_url, detailed))
    return cal.to_ical()


def meeting_ics(meeting: Meeting, base_url: str) -> bytes:
    """One meeting as an ``.ics`` file, in the current language, with the purpose and who is invited."""
    return _calendar([meeting], base_url, detailed=True)


# -- The feed's secret address -------------------------------------------------------------------

def _token_for(feed: CalendarFeed) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    message = f"calendar-feed:{feed.user_id}:{feed.id}:{feed.created_at.isoformat()}".encode()
    return base64.urlsafe_b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode().rstrip("=")


def token_hash(token: str) -> str:
    """Only this is stored: the SHA-256 of the token, in hexadecimal."""
    return hashlib.sha256(token.encode()).hexdigest()


def feed_of(user: User) -> CalendarFeed | None:
    return db.session.scalars(sa.select(CalendarFeed).where(CalendarFeed.user_id == user.id)).first()


def _set_token(feed: CalendarFeed) -> str:
    db.session.flush()  # the id is part of the token
    token = _token_for(feed)
    feed.token_hash = token_hash(token)
    return token


def address(user: User) -> str | None:
    """The token of the user's feed, or None when they have none. Should the secret key have changed
    since, the old address cannot work any more: a new one is made."""
    feed = feed_of(user)
    if feed is None:
        return None
    token = _token_for(feed)
    if hmac.compare_digest(token_hash(token), feed.token_hash):
        return token
    return renew(user)


def create(user: User) -> str:
    """Give the user a feed (or keep the one they have); return its token."""
    existing = address(user)
    if existing is not None:
        return existing
    db.begin_write()
    feed = CalendarFeed(user_id=user.id, created_at=clock.now(), token_hash="-")
    db.session.add(feed)
    token = _set_token(feed)
    db.session.commit()
    return token


def renew(user: User) -> str:
    """A new secret address; the old one stops working at once."""
    db.begin_write()
    feed = feed_of(user)
    if feed is None:
        feed = CalendarFeed(user_id=user.id, created_at=clock.now(), token_hash="-")
        db.session.add(feed)
    else:
        # Always a later moment than before, even twice in one instant: the token must change.
        feed.created_at = max(clock.now(), feed.created_at + timedelta(microseconds=1))
    token = _set_token(feed)
    db.session.commit()
    return token


def stop(user: User) -> None:
    """Turn the feed off: its address stops working."""
    db.begin_write()
    feed = feed_of(user)
    if feed is not None:
        db.session.delete(feed)
    db.session.commit()


def user_for_token(token: str) -> User | None:
    """The owner of the feed with this token, if it is live and the account active."""
    if not token or len(token) > 100:
        return None
    feed = db.session.scalars(sa.select(CalendarFeed).where(CalendarFeed.token_hash == token_hash(token))).first()
    if feed is None or not feed.user.active:
        return None
    return feed.user


# -- What the feed holds ---------------------------------------------------------------------------

@dataclass(frozen=True)
class FeedContents:
    meetings: list[Meeting]
    followed_sips: list[Sip]


def _meetings_of(sip_ids: list[int]) -> list[Meeting]:
    if not sip_ids:
        return []
    return list(db.session.scalars(
        sa.select(Meeting).where(Meeting.sip_id.in_(sip_ids), Meeting.starts_at >= clock.now() - FEED_PAST,
                                 Meeting.status != MeetingStatus.SKIPPED)
        .order_by(Meeting.starts_at)))


def contents(user: User) -> FeedContents:
    """The user's own meetings, and the meetings of the SIPs they follow as a relative (as far as the
    access service lets them see each SIP now)."""
    own = list(db.session.scalars(sa.select(Sip.id).where(Sip.person_id == user.id)))
    followed = [sip for person in relatives.followed_by(user) for sip, _grant in person.sips
                if access.access_to(user, sip).can_read_details]
    return FeedContents(_meetings_of(own + [sip.id for sip in followed]), followed)


def feed_ics(user: User, base_url: str) -> bytes:
    """The whole feed, in the user's language. Each fetch of someone else's meetings is a logged read."""
    found = contents(user)
    for sip in found.followed_sips:
        audit.record_read(user, sip, Resource.MEETINGS)
    language = user.language if user.language in current_app.config["LANGUAGES"] else \
        current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(language):
        return _calendar(found.meetings, base_url, detailed=False, name=_("Min SIP: meetings"))

