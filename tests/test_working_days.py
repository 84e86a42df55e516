"""Working days in Sweden."""
from datetime import date

from webapp.services.working_days import (
    add_working_days,
    is_working_day,
    subtract_working_days,
    working_days_between,
)


def test_weekends_and_swedish_holidays_are_not_working_days():
    assert is_working_day(date(2026, 3, 2))          # a Monday
    assert not is_working_day(date(2026, 3, 7))      # Saturday
    assert not is_working_day(date(2026, 6, 6))      # National Day
    assert not is_working_day(date(2026, 6, 19))     # Midsummer Eve (de facto)
    assert not is_working_day(date(2026, 12, 24))    # Christmas Eve (de facto)
    assert not is_working_day(date(2026, 4, 6))      # Easter Monday


def test_counting_over_christmas():
    # Wed 23 Dec → Mon 28 Dec 2026: only the Monday is a working day.
    assert working_days_between(date(2026, 12, 23), date(2026, 12, 28)) == 1
    assert working_days_between(date(2026, 3, 2), date(2026, 3, 2)) == 0
    assert working_days_between(date(2026, 3, 6), date(2026, 3, 2)) == 0


def test_adding_and_subtracting():
    assert add_working_days(date(2026, 3, 5), 3) == date(2026, 3, 10)  # Thu + 3 → Tue
    assert subtract_working_days(date(2026, 3, 10), 3) == date(2026, 3, 5)
    assert add_working_days(date(2026, 12, 23), 1) == date(2026, 12, 28)
