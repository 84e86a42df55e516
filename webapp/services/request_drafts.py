"""The SIP request form's answers between its pages, and which page comes when.

One question per page (PRODUCT.md); the answers are kept on the server in a ``RequestDraft`` (see
its docstring for why not in the session cookie), so going back, leaving and coming back, or a
session timing out never loses what the person wrote.
"""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import RequestDraft, User
from webapp.services import clock

#: A draft nobody has touched for this long is deleted: it may hold health information.
DRAFT_LIFETIME = timedelta(days=30)

#: The pages of the form, in order. Two appear only after certain answers (``applies``).
STEPS = (
    "for_whom",             # 1. for whom
    "about_them",           #    ...someone without an account: name, phone, do they know and agree
    "purpose",              # 2. what the help is about
    "start",                # 3. how it started
    "organisations",        # 4. who should receive the request
    "contacts",             #    ...and which contacts should be invited
    "place",                # 5. where to meet
    "interpreter",          # 6. is an interpreter needed
    "interpreter_details",  #    ...which language, how
    "accessibility",        # 7. accessibility needs
)

SELF = "self"
OTHER = "other"
PERSON_PREFIX = "person:"


def applies(step: str, data: dict) -> bool:
    """Whether ``step`` is asked, given the answers so far."""
    if step == "about_them":
        return data.get("for_whom", {}).get("choice") == OTHER
    if step == "interpreter_details":
        return data.get("interpreter", {}).get("needed") == "yes"
    return True


def steps_for(data: dict) -> list[str]:
    """The pages this person goes through, in order."""
    return [step for step in STEPS if applies(step, data)]


def first_missing(data: dict) -> str | None:
    """The first page not answered yet, or ``None`` when the request is ready to check."""
    for step in steps_for(data):
        if step not in data:
            return step
    return None


def may_visit(step: str, data: dict) -> bool:
    """A page can be opened once every page before it has been answered."""
    if not applies(step, data):
        return False
    missing = first_missing(data)
    if missing is None:
        return True
    order = steps_for(data)
    return order.index(step) <= order.index(missing)


def next_step(step: str, data: dict) -> str | None:
    """The page after ``step`` (``None``: the check page)."""
    order = steps_for(data)
    position = order.index(step) if step in order else -1
    return order[position + 1] if position + 1 < len(order) else None


def previous_step(step: str, data: dict) -> str | None:
    """The page before ``step`` (``None``: the start page)."""
    order = steps_for(data)
    if step is None:
        return order[-1]
    position = order.index(step) if step in order else 0
    return order[position - 1] if position > 0 else None


def step_number(step: str, data: dict) -> tuple[int, int]:
    """(this page's number, how many pages) for "Question 3 of 9"."""
    order = steps_for(data)
    return (order.index(step) + 1 if step in order else 1), len(order)


def _draft_row(user: User) -> RequestDraft | None:
    return db.session.scalars(sa.select(RequestDraft).where(RequestDraft.user_id == user.id)).first()


def load(user: User) -> dict:
    """The user's answers so far (empty when there is no draft, or it is too old to keep)."""
    draft = _draft_row(user)
    if draft is None or draft.updated_at < clock.now() - DRAFT_LIFETIME:
        return {}
    return dict(draft.data or {})


def has_draft(user: User) -> bool:
    return bool(load(user))


def save_answer(user: User, step: str, answers: dict) -> dict:
    """Keep the answers of one page; an answer that makes a later page unnecessary drops that page's."""
    if step not in STEPS:
        raise ValueError(f"unknown step {step!r}")
    db.begin_write()
    draft = _draft_row(user)
    now = clock.now()
    if draft is None:
        draft = RequestDraft(user_id=user.id, data={}, created_at=now)
        db.session.add(draft)
    elif draft.updated_at < now - DRAFT_LIFETIME:
        draft.data = {}
    data = dict(draft.data or {})
    data[step] = answers
    for later in STEPS:
        if later in data and not applies(later, data):
            del data[later]
    draft.data = data  # a new dict, so that the JSON column is seen as changed
    draft.updated_at = now
    db.session.commit()
    return data


def discard(user: User) -> None:
    """Forget the draft (starting again, or after sending)."""
    db.begin_write()
    db.session.execute(sa.delete(RequestDraft).where(RequestDraft.user_id == user.id))
    db.session.commit()


def purge_expired() -> int:
    """Delete drafts unused for ``DRAFT_LIFETIME``; returns how many (for a scheduled job)."""
    db.begin_write()
    result = db.session.execute(sa.delete(RequestDraft).where(RequestDraft.updated_at < clock.now() - DRAFT_LIFETIME))
    db.session.commit()
    return result.rowcount or 0
