"""The few expressions SQLite and PostgreSQL spell differently, so every aggregate runs in the database."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Date, Integer, case, cast, func, literal, literal_column
from sqlalchemy.sql.elements import ColumnElement

from praclox.extensions import db


def _postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def month_of(column: Any) -> ColumnElement[str]:
    """``2026-12`` for a date or timestamp (SQLite stores both as ISO text: its first seven characters)."""
    if _postgres():
        return func.to_char(column, literal_column("'YYYY-MM'"))
    return func.substr(column, 1, 7)


def hour_of_week(column: Any, offsets: Sequence[tuple[datetime, int]], last: int) -> ColumnElement[int]:
    """The hour of the week (0: Monday 00h … 167: Sunday 23h) of a UTC timestamp in local time, as an integer.

    ``offsets`` are ``(moment, minutes)``: before ``moment`` (UTC) the zone is ``minutes`` ahead of UTC;
    ``last`` holds after the last moment (the time-zone changes of the period, worked out by the caller).
    Plain arithmetic on a day number, no date formatting per row: the heat map reads tens of thousands of rows.
    """
    shift = case(*((column < moment, minutes) for moment, minutes in offsets), else_=last) if offsets else literal(last)
    if _postgres():
        # minutes since 1970-01-01, a Thursday: three days on, the count of hours starts on a Monday
        # (date_part's double precision: extract() gives numeric, several times slower per row)
        seconds = func.date_part(literal_column("'epoch'"), column)
        minutes = cast(func.floor(seconds / 60), BigInteger) + shift + 3 * 1440
    else:
        # minutes since the midnight that starts Julian day 0, a Monday; the float's last bits are absorbed by a
        # hundred-thousandth of a minute, so that a whole minute never rounds down into the one before
        minutes = cast(func.julianday(column) * 1440 + 720.00001, Integer) + shift
    # integer division and remainder, each operand in brackets (a custom operator's default precedence has none)
    return minutes.op("/", precedence=8)(60).op("%", precedence=8)(168)


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
