"""The few expressions SQLite and PostgreSQL spell differently, so every aggregate runs in the database."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Date, case, cast, func, literal, literal_column
from sqlalchemy.sql.elements import ColumnElement

from praclox.extensions import db


def _postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def month_of(column: Any) -> ColumnElement[str]:
    """``2026-12`` for a date or timestamp (SQLite stores both as ISO text: its first seven characters)."""
    if _postgres():
        return func.to_char(column, literal_column("'YYYY-MM'"))
    return func.substr(column, 1, 7)


def weekday_hour_of(column: Any, offsets: Sequence[tuple[datetime, int]], last: int) -> ColumnElement[str]:
    """``"<weekday> <hour>"`` of a UTC timestamp in local time, weekday 0 being Sunday.

    ``offsets`` are ``(moment, minutes)``: before ``moment`` (UTC) the zone is ``minutes`` ahead of UTC;
    ``last`` holds after the last moment (the time-zone changes of the period, worked out by the caller).
    """
    shift = case(*((column < moment, minutes) for moment, minutes in offsets), else_=last) if offsets else literal(last)
    if _postgres():
        local = column + func.make_interval(0, 0, 0, 0, 0, shift)
        return func.to_char(local, literal_column("'D HH24'"))
    return func.strftime(literal_column("'%w %H'"), column, func.printf("%+d minutes", shift))


def week_of(column: Any) -> ColumnElement[Any]:
    """The Monday of a date's ISO week (a date on PostgreSQL, ``YYYY-MM-DD`` text on SQLite)."""
    if _postgres():
        return cast(func.date_trunc("week", column), Date)
    return func.date(column, literal_column("'weekday 0'"), literal_column("'-6 days'"))


def days_between(start: Any, end: Any) -> ColumnElement[Any]:
    """Whole days from ``start`` to ``end`` (dates or timestamps; a timestamp counts by its day)."""
    if _postgres():
        return cast(end, Date) - cast(start, Date)
    return func.julianday(func.date(end)) - func.julianday(func.date(start))
