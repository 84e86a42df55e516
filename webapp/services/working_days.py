"""Working days in Sweden: weekdays that are not public holidays (from the ``holidays`` package).

"Without delay" (utan dröjsmål) means within a few days of the need being seen (DOMAIN.md, the three
principles); requests count the working days they have waited.
"""
from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=32)
def _swedish_holidays(year: int) -> frozenset[date]:
    # Public holidays and the de facto ones (Midsummer Eve, Christmas Eve, New Year's Eve), when
    # offices are closed. Sundays are weekends anyway; the package would list each of them.
    return frozenset(holidays.country_holidays("SE", years=year, categories=("public", "de_facto"),
                                               include_sundays=False))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _swedish_holidays(day.year)


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` is not later)."""
    count = 0
    day = start + timedelta(days=1)
    while day <= end:
        if is_working_day(day):
            count += 1
        day += timedelta(days=1)
    return count


def add_working_days(start: date, count: int) -> date:
    """The date ``count`` working days after ``start``."""
    day = start
    while count > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


def subtract_working_days(end: date, count: int) -> date:
    """The date ``count`` working days before ``end``."""
    day = end
    while count > 0:
        day -= timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day
