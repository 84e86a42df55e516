"""A meeting as the person reads it: where, who is invited and who has answered, the interpreter.

Shared by the meeting pages, the calendar files and the complaint text, so that all of them say the
same thing in the same words.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from webapp.models import InterpreterRequest, Meeting, MeetingParticipant, ParticipantKind, PlaceKind, Sip
from webapp.services import interpreter_bookings


def place(meeting: Meeting) -> str:
    """Where the meeting is, in words: "At home", the address, or "Remote meeting"."""
    if meeting.place_kind == PlaceKind.REMOTE:
        return _("Remote meeting")
    if meeting.place_kind == PlaceKind.HOME:
        return _("At home: %(address)s", address=meeting.address) if meeting.address else _("At home")
    return meeting.address


def who(participant: MeetingParticipant) -> str:
    """A participant as the invitation names them: "Lena Berg, Brandbergens vårdcentral"."""
    if participant.organisation_name and participant.organisation_name != participant.name:
        return _("%(name)s, %(organisation)s", name=participant.name, organisation=participant.organisation_name)
    return participant.name


def invited(meeting: Meeting) -> list[MeetingParticipant]:
    """Everyone invited except the person the meeting is about (they know they are invited)."""
    return [p for p in meeting.participants if p.kind != ParticipantKind.PERSON]


def person_participant(meeting: Meeting) -> MeetingParticipant | None:
    """The person's own invitation."""
    return next((p for p in meeting.participants if p.kind == ParticipantKind.PERSON), None)


@dataclass(frozen=True)
class Interpreter:
    """The interpreter for a meeting: asked for, booked, confirmed."""

    booking: InterpreterRequest | None
    requested: InterpreterRequest | None

    @property
    def needed(self) -> bool:
        return self.booking is not None or self.requested is not None

    @property
    def confirmed(self) -> bool:
        return self.booking is not None and self.booking.confirmed

    @property
    def language(self) -> str:
        chosen = self.booking or self.requested
        return chosen.language if chosen else ""


def interpreter(meeting: Meeting, sip: Sip) -> Interpreter:
    """The interpreter booked for the meeting, or the one asked for with the request."""
    return Interpreter(interpreter_bookings.booking_for(meeting.id), interpreter_bookings.requested_for(sip.id))
