"""Accounts: registration, login with throttling, profile and password changes, staff accounts."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask import current_app

from webapp.extensions import db
from webapp.models import AccountInvitation, LoginAttempt, Organisation, Role, User
from webapp.services import clock, passwords, sessions

INVITATION_LIFETIME = timedelta(days=7)


class AccountError(ValueError):
    """A rule refused the change; ``field`` names the form field the message belongs to."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def normalise_email(email: str) -> str:
    """The canonical form of an address, or raise ``EmailNotValidError``."""
    return validate_email(email.strip(), check_deliverability=False).normalized.lower()


def find_by_email(email: str) -> User | None:
    try:
        canonical = normalise_email(email)
    except EmailNotValidError:
        return None
    return db.session.scalars(sa.select(User).where(User.email == canonical)).first()


def register_citizen(name: str, email: str, password: str, language: str) -> User:
    """Create a citizen account (a person, a relative, or both)."""
    from flask_babel import gettext as _

    canonical = normalise_email(email)
    problems = passwords.problems(password, [name, canonical])
    if problems:
        raise AccountError("password", str(problems[0]))
    db.begin_write()
    if db.session.scalars(sa.select(User.id).where(User.email == canonical)).first():
        raise AccountError("email", _("There is already an account with this e-mail address. Log in instead."))
    user = User(
        name=name.strip(), email=canonical, password_hash=passwords.hash_password(password),
        role=Role.CITIZEN, language=language, created_at=clock.now(), password_changed_at=clock.now(),
    )
    db.session.add(user)
    db.session.commit()
    return user


@dataclass(frozen=True)
class LoginResult:
    user: User | None = None
    throttled: bool = False


def _recent_failures(email: str, ip: str) -> int:
    window_start = clock.now() - current_app.config["LOGIN_FAILURE_WINDOW"]
    last_success = sa.select(sa.func.max(LoginAttempt.at)).where(
        LoginAttempt.email == email, LoginAttempt.ip == ip, LoginAttempt.success.is_(True)
    ).scalar_subquery()
    return db.session.scalar(
        sa.select(sa.func.count(LoginAttempt.id)).where(
            LoginAttempt.email == email,
            LoginAttempt.ip == ip,
            LoginAttempt.success.is_(False),
            LoginAttempt.at > window_start,
            LoginAttempt.at > sa.func.coalesce(last_success, window_start),
        )
    ) or 0


def authenticate(email: str, password: str, ip: str) -> LoginResult:
    """Check a login. Ten failures for one account from one address in 15 minutes stop further tries
    from that address for that account only; nobody else is locked out."""
    key = email.strip().lower()[:254]
    db.begin_write()
    if _recent_failures(key, ip) >= current_app.config["LOGIN_MAX_FAILURES"]:
        return LoginResult(throttled=True)
    user = find_by_email(email)
    if user is None:
        # Spend the same time as a real check, so that timing does not tell which accounts exist.
        passwords.verify_password(_dummy_hash(), password)
        ok = False
    else:
        ok = user.active and passwords.verify_password(user.password_hash, password)
    db.session.add(LoginAttempt(email=key, ip=ip[:64], at=clock.now(), success=ok))
    if ok and passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    db.session.commit()
    return LoginResult(user=user if ok else None)


def _dummy_hash() -> str:
    cached = current_app.extensions.get("minsip_dummy_hash")
    if cached is None:
        cached = current_app.extensions["minsip_dummy_hash"] = passwords.hash_password(secrets.token_hex(16))
    return cached


def update_profile(user: User, name: str, language: str) -> None:
    db.begin_write()
    user.name = name.strip()
    user.language = language
    db.session.commit()


def set_language(user: User, language: str) -> None:
    """The language switcher, for a logged-in account, also saves the choice."""
    db.begin_write()
    user.language = language
    db.session.commit()


def change_password(user: User, current: str, new: str) -> None:
    """Change the password; every session of the account ends (the caller starts a new one)."""
    from flask_babel import gettext as _

    if not passwords.verify_password(user.password_hash, current):
        raise AccountError("current_password", _("The current password is not right."))
    problems = passwords.problems(new, [user.name, user.email])
    if problems:
        raise AccountError("new_password", str(problems[0]))
    db.begin_write()
    user.password_hash = passwords.hash_password(new)
    user.password_changed_at = clock.now()
    sessions.revoke_all(user)
    db.session.commit()


def create_staff(name: str, email: str, role: Role, organisation: Organisation | None, title: str = "",
                 phone: str = "", language: str = "sv", created_by: User | None = None,
                 password: str | None = None) -> tuple[User, str | None]:
    """Create a professional or administrator account.

    Without ``password`` the account gets a one-time invitation link (returned as its token) with
    which the person sets their own password; nobody else ever knows it.
    """
    from flask_babel import gettext as _

    if role == Role.CITIZEN:
        raise ValueError("citizens register themselves")
    if role == Role.PROFESSIONAL and organisation is None:
        raise AccountError("organisation_id", _("A professional belongs to an organisation."))
    canonical = normalise_email(email)
    if password is not None:
        problems = passwords.problems(password, [name, canonical])
        if problems:
            raise AccountError("password", str(problems[0]))
    db.begin_write()
    if db.session.scalars(sa.select(User.id).where(User.email == canonical)).first():
        raise AccountError("email", _("There is already an account with this e-mail address."))
    user = User(
        name=name.strip(), email=canonical, role=role,
        organisation_id=organisation.id if organisation and role == Role.PROFESSIONAL else None,
        title=title.strip(), phone=phone.strip(), language=language,
        # An unusable hash until the invitation is accepted: no password verifies against it.
        password_hash=passwords.hash_password(password) if password else "!" + secrets.token_hex(16),
        created_at=clock.now(), password_changed_at=clock.now(),
    )
    db.session.add(user)
    db.session.flush()
    token = None
    if password is None:
        token = _new_invitation(user, created_by)
    db.session.commit()
    return user, token


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_invitation(user: User, created_by: User | None) -> str:
    token = secrets.token_urlsafe(32)
    db.session.add(AccountInvitation(
        token_hash=_token_hash(token), user_id=user.id,
        created_by_id=created_by.id if created_by else None,
        created_at=clock.now(), expires_at=clock.now() + INVITATION_LIFETIME,
    ))
    return token


def renew_invitation(user: User, created_by: User) -> str:
    """A new one-time link for a staff account; earlier unused links stop working."""
    db.begin_write()
    db.session.execute(
        sa.update(AccountInvitation)
        .where(AccountInvitation.user_id == user.id, AccountInvitation.used_at.is_(None))
        .values(expires_at=clock.now())
    )
    token = _new_invitation(user, created_by)
    db.session.commit()
    return token


def invitation_for_token(token: str) -> AccountInvitation | None:
    """The invitation behind a link, if it is unused, unexpired and its account is active."""
    invitation = db.session.scalars(
        sa.select(AccountInvitation).where(AccountInvitation.token_hash == _token_hash(token))
    ).first()
    if invitation is None or invitation.used_at is not None or invitation.expires_at <= clock.now():
        return None
    if not invitation.user.active:
        return None
    return invitation


def accept_invitation(invitation: AccountInvitation, password: str) -> User:
    """Set the password of an invited staff account; the link cannot be used again."""
    user = invitation.user
    problems = passwords.problems(password, [user.name, user.email])
    if problems:
        raise AccountError("password", str(problems[0]))
    db.begin_write()
    invitation.used_at = clock.now()
    user.password_hash = passwords.hash_password(password)
    user.password_changed_at = clock.now()
    db.session.commit()
    return user


def set_active(user: User, active: bool) -> None:
    """Deactivate (every session ends at once) or reactivate an account."""
    db.begin_write()
    user.active = active
    user.deactivated_at = None if active else clock.now()
    if not active:
        sessions.revoke_all(user)
    db.session.commit()
