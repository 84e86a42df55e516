"""References for SIP requests that are easy to read aloud on the phone, e.g. ``SIP-7KQ4-M2``."""
from __future__ import annotations

import re
import secrets

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import Sip

#: Douglas Crockford's base 32 without 0 and 1: no O/0 or I/1/L to mistake for one another when
#: read aloud or written down, and no U (no accidental words).
ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
#: ``SIP-`` then four characters, a dash and two more: 30**6 (729 million) references.
PATTERN = re.compile(rf"^SIP-[{ALPHABET}]{{4}}-[{ALPHABET}]{{2}}$")


def _candidate() -> str:
    chars = "".join(secrets.choice(ALPHABET) for _ in range(6))
    return f"SIP-{chars[:4]}-{chars[4:]}"


def new_reference() -> str:
    """A reference no SIP has yet (looked up in the caller's transaction; the column is unique too)."""
    while True:
        reference = _candidate()
        if db.session.scalar(sa.select(Sip.id).where(Sip.reference == reference)) is None:
            return reference


def normalise(text: str) -> str:
    """What someone typed or read out (``sip 7kq4 m2``) as a stored reference (``SIP-7KQ4-M2``)."""
    compact = re.sub(r"[^0-9A-Za-z]", "", text or "").upper()
    if compact.startswith("SIP"):
        compact = compact[3:]
    if len(compact) != 6:
        return (text or "").strip().upper()
    return f"SIP-{compact[:4]}-{compact[4:]}"
