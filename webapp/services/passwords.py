"""The password rules (NIST SP 800-63B): long enough, no composition rules, common ones refused."""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import lazy_gettext as _l
from zxcvbn import zxcvbn

MIN_LENGTH = 12
MAX_LENGTH = 256
#: zxcvbn's score 3 means about 10^8 guesses: below that a password is common or easy to guess.
MIN_SCORE = 3
#: Only so much of a password is fed to the estimator (beyond it, length alone makes it strong).
_ESTIMATE_PREFIX = 72  # zxcvbn refuses longer input


def hasher() -> PasswordHasher:
    """The app's argon2id hasher, with the cost parameters from the configuration."""
    cached = current_app.extensions.get("minsip_hasher")
    if cached is None:
        cfg = current_app.config
        cached = PasswordHasher(
            time_cost=cfg["ARGON2_TIME_COST"],
            memory_cost=cfg["ARGON2_MEMORY_COST"],
            parallelism=cfg["ARGON2_PARALLELISM"],
        )
        current_app.extensions["minsip_hasher"] = cached
    return cached


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return hasher().check_needs_rehash(password_hash)


def problems(password: str, user_inputs: list[str] | tuple[str, ...] = ()) -> list[str]:
    """What is wrong with ``password``, as translated messages; empty when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return [_l("Use at least %(min)d characters.", min=MIN_LENGTH)]
    if len(password) > MAX_LENGTH:
        return [_l("Use at most %(max)d characters.", max=MAX_LENGTH)]
    inputs = [part for value in user_inputs for part in value.replace("@", " ").split() if part]
    if zxcvbn(password[:_ESTIMATE_PREFIX], user_inputs=inputs)["score"] < MIN_SCORE:
        return [_l("This password is too common or too easy to guess. Try a few unusual words together.")]
    return []
