"""The few expressions SQLite and PostgreSQL spell differently, so every aggregate runs in the database."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Date, cast, func, literal_column
from sqlalchemy.sql.elements import ColumnElement

from praclox.extensions import db


def _postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _formatted(column: Any, sqlite_format: str, postgres_format: str) -> ColumnElement[str]:
    if _postgres():
        return func.to_char(column, literal_column(f"'{postgres_format}'"))
    return func.strftime(literal_column(f"'{sqlite_format}'"), column)


def month_of(column: Any) -> ColumnElement[str]:
    """``2026-12`` for a date or timestamp."""
    return _formatted(column, "%Y-%m", "YYYY-MM")


def hour_of(column: Any) -> ColumnElement[str]:
    """``2026-12-07 13`` for a (UTC) timestamp: the caller moves it to the local zone."""
    return _formatted(column, "%Y-%m-%d %H", "YYYY-MM-DD HH24")


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
