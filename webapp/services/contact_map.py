"""The contact map as a picture: the person in the middle, the contacts grouped by sector around.

Laid out here, on the server, as ready numbers for an inline SVG (no JavaScript). The picture is
narrow (400 units, drawn at about 1:1 on a phone) and grows downwards: half the sectors above the
person, half below, two to a row, each joined to the person by a line. Names too long for a box are
shortened with an ellipsis; the list of contacts by sector under the picture is the full, accessible
equivalent.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from webapp.models import Contact, Sector
from webapp.services.contacts import call_link

WIDTH = 400
MARGIN = 10
GAP = 10
BOX_WIDTH = (WIDTH - 2 * MARGIN - GAP) // 2   # 185
TITLE_LINE = 18      # one line of the sector's name
HEADER_PADDING = 16
ENTRY = 44           # one contact: name and role, a 44-unit tall tap target
PADDING = 8
PERSON_HEIGHT = 64
PERSON_ZONE = 120    # the band in the middle that holds the person, lines cross it
# Average advance of the system sans-serif at these sizes, in units per character.
# Generous, as bold text and wide letters (m, w, Ö) take more; each box also clips its own text.
NAME_CHARS = int((BOX_WIDTH - 2 * PADDING) / (15 * 0.64))
ROLE_CHARS = int((BOX_WIDTH - 2 * PADDING) / (13 * 0.58))
TITLE_CHARS = int((BOX_WIDTH - 2 * PADDING) / (14 * 0.64))


def shorten(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis."""
    return text if len(text) <= limit else text[: max(limit - 1, 1)].rstrip() + "…"


def wrap(text: str, limit: int, lines: int = 2) -> list[str]:
    """``text`` broken at spaces into at most ``lines`` lines of ``limit`` characters; the last one
    shortened when it still does not fit."""
    result: list[str] = []
    words = text.split()
    while words and len(result) < lines - 1:
        line = words.pop(0)
        while words and len(line) + 1 + len(words[0]) <= limit:
            line += " " + words.pop(0)
        result.append(shorten(line, limit))
    if words:
        result.append(shorten(" ".join(words), limit))
    return result or [""]


@dataclass(frozen=True)
class Entry:
    """One contact in a box: where its two lines go and where tapping it leads."""

    y: int
    name: str
    role: str
    full: str
    href: str


@dataclass(frozen=True)
class TitleLine:
    y: int
    text: str


@dataclass
class Box:
    number: int
    sector: Sector
    x: int
    y: int
    title: list[str]
    entries: list[Entry] = field(default_factory=list)

    @property
    def header(self) -> int:
        return HEADER_PADDING + TITLE_LINE * len(self.title)

    @property
    def height(self) -> int:
        return self.header + ENTRY * len(self.entries) + PADDING

    @property
    def title_lines(self) -> list[TitleLine]:
        return [TitleLine(self.y + 26 + TITLE_LINE * i, text) for i, text in enumerate(self.title)]

    @property
    def text_x(self) -> int:
        return self.x + PADDING

    @property
    def centre_x(self) -> int:
        return self.x + BOX_WIDTH // 2


@dataclass(frozen=True)
class Line:
    x1: int
    y1: int
    x2: int
    y2: int


@dataclass
class MapLayout:
    """Everything the SVG template needs, in viewBox units."""

    width: int
    height: int
    person_name: str
    person_x: int
    person_y: int
    person_width: int
    boxes: list[Box]
    lines: list[Line]
    box_width: int = BOX_WIDTH
    person_height: int = PERSON_HEIGHT

    @property
    def centre_x(self) -> int:
        return self.width // 2

    @property
    def centre_y(self) -> int:
        return self.person_y + PERSON_HEIGHT // 2


def _box(number: int, sector: Sector, contacts: list[Contact], title: str) -> Box:
    box = Box(number=number, sector=sector, x=0, y=0, title=wrap(title, TITLE_CHARS))
    for contact in contacts:
        role = contact.role_title or contact.organisation_label
        full = ", ".join(part for part in (contact.name, contact.role_title, contact.organisation_label) if part)
        box.entries.append(Entry(y=0, name=shorten(contact.name, NAME_CHARS), role=shorten(role, ROLE_CHARS),
                                 full=full, href=call_link(contact)))
    return box


def _rows(boxes: list[Box], lone_first: bool) -> list[list[Box]]:
    """Pairs of boxes; an odd one out gets a row of its own, first or last, farthest from the person,
    so that the line to it runs between the pair nearer the person instead of across a box."""
    if len(boxes) % 2 and lone_first:
        return [[boxes[0]]] + [boxes[i:i + 2] for i in range(1, len(boxes), 2)]
    return [boxes[i:i + 2] for i in range(0, len(boxes), 2)]


def _place_rows(boxes: list[Box], top: int, lone_first: bool = False) -> int:
    """Put ``boxes`` in rows of two from ``top`` down; a lone box is centred. Returns the bottom."""
    y = top
    for row in _rows(boxes, lone_first):
        xs = [MARGIN, MARGIN + BOX_WIDTH + GAP] if len(row) == 2 else [(WIDTH - BOX_WIDTH) // 2]
        for box, x in zip(row, xs):
            box.x, box.y = x, y
            box.entries = [Entry(y=y + box.header + ENTRY * i, name=e.name, role=e.role, full=e.full, href=e.href)
                           for i, e in enumerate(box.entries)]
        y += max(box.height for box in row) + GAP
    return y


def layout(person_name: str, groups: list[tuple[Sector, list[Contact]]],
           sector_label: Callable[[Sector], object]) -> MapLayout | None:
    """The picture of ``groups`` (from ``contacts.grouped``) around ``person_name``; ``None`` when empty."""
    if not groups:
        return None
    boxes = [_box(number, sector, contacts, str(sector_label(sector)))
             for number, (sector, contacts) in enumerate(groups)]
    half = (len(boxes) + 1) // 2
    above, below = boxes[:half], boxes[half:]
    middle_top = _place_rows(above, MARGIN, lone_first=True)
    person_y = middle_top + (PERSON_ZONE - PERSON_HEIGHT) // 2 - GAP // 2
    bottom = _place_rows(below, middle_top + PERSON_ZONE)
    height = (bottom if below else middle_top + PERSON_ZONE) + MARGIN - GAP
    name = shorten(person_name, 24)
    person_width = min(WIDTH - 2 * MARGIN, int(len(name) * 15 * 0.62) + 48)
    centre_y = person_y + PERSON_HEIGHT // 2
    lines = [Line(WIDTH // 2, centre_y, box.centre_x, box.y + box.height) for box in above]
    lines += [Line(WIDTH // 2, centre_y, box.centre_x, box.y) for box in below]
    return MapLayout(width=WIDTH, height=height, person_name=name, person_x=(WIDTH - person_width) // 2,
                     person_y=person_y, person_width=person_width, boxes=boxes, lines=lines)
