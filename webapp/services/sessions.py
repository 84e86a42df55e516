"""Server-side login sessions: created at login, checked on every request, revoked at will."""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, g

from webapp.extensions import db
from webapp.models import User, UserSession
from webapp.models.generation import ROW_ID as GENERATION_ROW
from webapp.models.generation import DataGeneration
from webapp.services import clock


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def idle_timeout() -> timedelta:
    return current_app.config["SESSION_IDLE_TIMEOUT"]


def create(user: User, ip: str = "", user_agent: str = "") -> str:
    """Start a session for ``user`` and return the token to put in the cookie."""
    token = secrets.token_urlsafe(32)
    db.begin_write()
    db.session.add(UserSession(
        token_hash=_hash(token), user_id=user.id, created_at=clock.now(),
        ip=ip[:64], user_agent=user_agent[:300],
    ))
    db.session.commit()
    return token


def user_for_token(token: str) -> User | None:
    """The account of a live session, or None when it is unknown, revoked, too old or inactive.

    For a page the rendered-page cache may answer, the same statement reads the data generation, so
    that it is read first, in the same snapshot as the account (``services.response_cache``).
    """
    oldest = clock.now() - current_app.config["SESSION_ABSOLUTE_TIMEOUT"]
    with_generation = g.get("page_wants_generation", False)
    query = sa.select(UserSession, generation_column() if with_generation else sa.null()).where(
        UserSession.token_hash == _hash(token),
        UserSession.revoked_at.is_(None),
        UserSession.created_at > oldest,
    )
    found = db.session.execute(query).first()
    if found is None or not found[0].user.active:
        return None
    if with_generation and found[1] is not None:
        g.page_generation = found[1]
        g.page_session_ends = found[0].created_at + current_app.config["SESSION_ABSOLUTE_TIMEOUT"]
    return found[0].user


def generation_column() -> sa.ScalarSelect:
    return sa.select(DataGeneration.value).where(DataGeneration.id == GENERATION_ROW).scalar_subquery()


def revoke(token: str) -> None:
    """End one session (logout)."""
    db.begin_write()
    db.session.execute(
        sa.update(UserSession)
        .where(UserSession.token_hash == _hash(token), UserSession.revoked_at.is_(None))
        .values(revoked_at=clock.now())
    )
    db.session.commit()


def revoke_all(user: User) -> None:
    """End every session of ``user`` (password change, deactivation). The caller commits."""
    db.session.execute(
        sa.update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
        .values(revoked_at=clock.now())
    )
