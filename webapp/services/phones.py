"""Phone numbers, parsed and formatted with ``phonenumbers`` (Swedish numbers by default)."""
from __future__ import annotations

from functools import lru_cache

import phonenumbers

DEFAULT_REGION = "SE"


def normalise(value: str, region: str = DEFAULT_REGION) -> str:
    """The number in E.164 form (``+46701234567``); raise ``ValueError`` when it is not a valid number."""
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(str(exc)) from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError("not a valid number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@lru_cache(maxsize=4096)
def display(e164: str) -> str:
    """How a stored number is shown: nationally for Swedish numbers, internationally otherwise."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return e164
    fmt = (phonenumbers.PhoneNumberFormat.NATIONAL
           if phonenumbers.region_code_for_number(number) == DEFAULT_REGION
           else phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return phonenumbers.format_number(number, fmt)


@lru_cache(maxsize=4096)
def tel_uri(number: str) -> str:
    """A ``tel:`` link for one-tap calling (spaces and dashes dropped)."""
    digits = "".join(ch for ch in number if ch.isdigit() or ch == "+")
    return f"tel:{digits}" if digits else ""
