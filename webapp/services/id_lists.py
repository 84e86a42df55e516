"""The ids of related rows as one column of a select ("1,87"), and back to a set: lists of thousands of
SIPs read what decides on them in a single statement, without a statement or an object per SIP."""
from __future__ import annotations

import sqlalchemy as sa


def aggregated(column: sa.ColumnElement[int], where: sa.ColumnElement[bool]) -> sa.ScalarSelect[str]:
    """The ``column`` values of the rows matching ``where`` (usually correlated to the enclosing select),
    joined with commas; NULL when there are none. PostgreSQL's ``string_agg``, SQLite's ``group_concat``."""
    return sa.select(sa.func.aggregate_strings(sa.cast(column, sa.String), ",")).where(where).scalar_subquery()


def parsed(text: str | None) -> frozenset[int]:
    """The ids of an ``aggregated`` column."""
    return frozenset(int(value) for value in text.split(",")) if text else frozenset()
