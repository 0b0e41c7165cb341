"""The activity timeline: one page of what happened across offices, newest first, from several tables.

Each source (contact moments, follow-ups done, congratulations, prospects that became clients) is one SELECT of the same
columns (kind, id, office, user, moment), filtered and cut to the page's depth with its own index; the union
of those is sorted and paged in SQL. Only the page's rows are then loaded as records, one query per kind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import DateTime, Integer, Select, String, and_, cast, func, literal, or_, select, type_coerce, union_all

from praclox.clock import zone
from praclox.dates.models import Congratulation, PersonalDate
from praclox.db import like_pattern
from praclox.extensions import db
from praclox.followups.models import FollowUp
from praclox.offices.models import Contact, Interaction, Office, OfficeConversion


@dataclass(frozen=True)
class Filters:
    user_id: int | None = None
    kind: str = ""  # "" is every kind
    office_id: int | None = None
    office_name: str = ""
    first_day: date | None = None
    last_day: date | None = None


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of the timeline, read as the columns it shows (no whole records)."""

    kind: str
    id: int
    #: the moment the union sorts it by, naive UTC (a contact moment's day: its midnight)
    at: datetime
    #: the day it happened, in the office's time zone
    day: date
    office_id: int
    office_name: str
    user_id: int | None
    #: whom it was about (a contact's name), "" for nobody
    person: str = ""
    #: a contact moment's summary, a follow-up's title
    text: str = ""
    #: a contact moment's kind, a personal date's kind
    detail: str = ""
    #: how a congratulation was given
    how: str = ""


def _utc_bound(day: date) -> datetime:
    """Local midnight at the start of ``day``, in UTC like the datetime columns."""
    return datetime.combine(day, time.min, tzinfo=zone()).astimezone(UTC)


def _day_column(column: Any) -> Any:
    """A DATE column in the union's moment column, as that day's midnight: on SQLite the text a timestamp is
    stored as (so a day and a timestamp at its midnight compare equal, as on PostgreSQL)."""
    if db.session.get_bind().dialect.name == "sqlite":
        return type_coerce(column, String).concat(literal(" 00:00:00.000000", String))
    return cast(column, DateTime)


def _office_filter(stmt: Select[Any], office_column: Any, filters: Filters) -> Select[Any]:
    if filters.office_id is not None:
        stmt = stmt.where(office_column == filters.office_id)
    if filters.office_name.strip():
        stmt = stmt.where(office_column.in_(select(Office.id).where(
            func.lower(Office.name).like(like_pattern(filters.office_name), escape="\\"))))
    return stmt


def _moments(stmt: Select[Any], column: Any, filters: Filters, *, is_day: bool) -> Select[Any]:
    if filters.first_day is not None:
        stmt = stmt.where(column >= (filters.first_day if is_day else _utc_bound(filters.first_day)))
    if filters.last_day is not None:
        stmt = stmt.where(column < (filters.last_day + timedelta(days=1) if is_day
                                    else _utc_bound(filters.last_day + timedelta(days=1))))
    return stmt


@dataclass(frozen=True)
class Cursor:
    """Where a page ends (or begins): the moment of its last (first) row as naive UTC (a day: its midnight),
    then its kind's rank and its id, the order's tie-breakers. Pages are read from here by each source's
    index (keyset), not by skipping the rows of every page before (OFFSET over the union)."""

    at: datetime
    rank: int
    id: int
    #: True: the rows after it (older); False: the rows before it (newer)
    older: bool = True

    @property
    def token(self) -> str:
        return f"{KINDS[self.rank]}:{self.id}:{self.at.isoformat()}"

    @classmethod
    def read(cls, token: str, *, older: bool) -> Cursor | None:
        """The cursor a page link carries, or None when it is unreadable (the first page then)."""
        kind, _, rest = token.partition(":")
        record_id, _, moment = rest.partition(":")
        try:
            at = datetime.fromisoformat(moment)
        except ValueError:
            return None
        if kind not in KINDS or not record_id.isdigit() or not 0 < int(record_id) < 2**31 or at.tzinfo \
                or not _FIRST <= at <= _LAST:
            return None
        return cls(at, KINDS.index(kind), int(record_id), older)


#: a cursor's moment lies between these (nothing in the CRM is older; a day past it must still be a date)
_FIRST, _LAST = datetime(1900, 1, 1), datetime(2999, 12, 31)
#: the kinds in the order a moment's ties are shown (their rank)
KINDS = ("congratulated", "contact_moment", "conversion", "follow_up_done")


def _compare(column: Any, is_day: bool, op: str, at: datetime) -> Any:
    """``column`` (as the union's moment: a day is its midnight) compared with ``at``, on the column itself so
    its index serves: for a day, midnight(d) < at is d < at's day, or the next day when at is not a midnight."""
    if not is_day:
        value: Any = at.replace(tzinfo=UTC)
    elif op in ("<", ">="):
        value = at.date() if at.time() == time.min else at.date() + timedelta(days=1)
    else:
        value = at.date()
    return {"<": column < value, "<=": column <= value, ">": column > value, ">=": column >= value}[op]


def _after(cursor: Cursor, rank: int, column: Any, id_col: Any, is_day: bool) -> Any:
    """This source's rows beyond the cursor in the page's direction (newest first: moment down, rank up, id
    down), bounded on the moment so the (moment, id) index gives them in order."""
    if cursor.older:
        if rank < cursor.rank:
            return _compare(column, is_day, "<", cursor.at)
        if rank > cursor.rank:
            return _compare(column, is_day, "<=", cursor.at)
        return and_(_compare(column, is_day, "<=", cursor.at),
                    or_(_compare(column, is_day, "<", cursor.at), id_col < cursor.id))
    if rank < cursor.rank:
        return _compare(column, is_day, ">=", cursor.at)
    if rank > cursor.rank:
        return _compare(column, is_day, ">", cursor.at)
    return and_(_compare(column, is_day, ">=", cursor.at),
                or_(_compare(column, is_day, ">", cursor.at), id_col > cursor.id))


def _source(kind: str, id_col: Any, office_col: Any, user_col: Any, moment: Any, filters: Filters,
            cursor: Cursor | None, *, is_day: bool = False,
            base: Callable[[Select[Any]], Select[Any]] = lambda s: s) -> Select[Any]:
    rank = KINDS.index(kind)
    at = _day_column(moment) if is_day else moment
    stmt = base(select(literal(rank, Integer).label("rank"), id_col.label("id"), at.label("at")))
    if filters.user_id is not None:
        stmt = stmt.where(user_col == filters.user_id)
    if cursor is not None:
        stmt = stmt.where(_after(cursor, rank, moment, id_col, is_day))
    stmt = _office_filter(stmt, office_col, filters)
    newest_first = cursor is None or cursor.older
    order = (moment.desc(), id_col.desc()) if newest_first else (moment.asc(), id_col.asc())
    return _moments(stmt, moment, filters, is_day=is_day).order_by(*order)


def _sources(filters: Filters, cursor: Cursor | None) -> dict[str, Select[Any]]:
    return {
        "contact_moment": _source("contact_moment", Interaction.id, Interaction.office_id, Interaction.logged_by_id,
                                  Interaction.occurred_on, filters, cursor, is_day=True),
        "follow_up_done": _source("follow_up_done", FollowUp.id, FollowUp.office_id, FollowUp.done_by_id,
                                  FollowUp.done_at, filters, cursor,
                                  base=lambda s: s.where(FollowUp.done_at.is_not(None))),
        "congratulated": _source("congratulated", Congratulation.id, Contact.office_id, Congratulation.by_id,
                                 Congratulation.created_at, filters, cursor,
                                 base=lambda s: s.join(PersonalDate, PersonalDate.id == Congratulation.personal_date_id)
                                 .join(Contact, Contact.id == PersonalDate.contact_id)),
        "conversion": _source("conversion", OfficeConversion.id, OfficeConversion.office_id,
                              OfficeConversion.converted_by_id, OfficeConversion.converted_at, filters, cursor),
    }


@dataclass(frozen=True)
class Page:
    rows: list[tuple[str, int]]
    has_newer: bool
    has_older: bool


def page_rows(filters: Filters, per_page: int, cursor: Cursor | None = None) -> Page:
    """(kind, id) of one page, newest first: the first page, or the one after (before) ``cursor``. Each source
    reads at most a page and one row past it from its own index, whatever the depth."""
    chosen = [s for k, s in _sources(filters, cursor).items() if not filters.kind or k == filters.kind]
    parts = [select(*s.limit(per_page + 1).subquery().c) for s in chosen]
    union = union_all(*parts).subquery()
    newest_first = cursor is None or cursor.older
    order = ((union.c.at.desc(), union.c.rank, union.c.id.desc()) if newest_first
             else (union.c.at, union.c.rank.desc(), union.c.id))
    rows = db.session.execute(select(union.c.rank, union.c.id).order_by(*order).limit(per_page + 1)).all()
    found = [(KINDS[rank], record_id) for rank, record_id in rows[:per_page]]
    more = len(rows) > per_page
    if newest_first:
        return Page(found, cursor is not None, more)
    return Page(found[::-1], more, True)


def cursor_of(entry: Entry, *, older: bool) -> Cursor:
    """The cursor at this entry: the page after it (``older``) or before it."""
    return Cursor(entry.at, KINDS.index(entry.kind), entry.id, older)


def _name(first: str | None, last: str | None) -> str:
    return f"{first} {last}".strip() if first is not None else ""


def _naive(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def _local_day(moment: datetime) -> date:
    return moment.astimezone(zone()).date()


def _contact_moments(ids: list[int]) -> list[Entry]:
    rows = db.session.execute(
        select(Interaction.id, Interaction.occurred_on, Interaction.office_id, Office.name, Interaction.logged_by_id,
               Contact.first_name, Contact.last_name, Interaction.summary, Interaction.kind)
        .join(Office, Office.id == Interaction.office_id).outerjoin(Contact, Contact.id == Interaction.contact_id)
        .where(Interaction.id.in_(ids)))
    return [Entry("contact_moment", i, datetime.combine(day, time.min), day, office, name, user,
                  _name(first, last), summary, kind)
            for i, day, office, name, user, first, last, summary, kind in rows]


def _follow_ups(ids: list[int]) -> list[Entry]:
    rows = db.session.execute(
        select(FollowUp.id, FollowUp.done_at, FollowUp.office_id, Office.name, FollowUp.done_by_id, FollowUp.title)
        .join(Office, Office.id == FollowUp.office_id).where(FollowUp.id.in_(ids)))
    return [Entry("follow_up_done", i, _naive(at), _local_day(at), office, name, user, text=title)
            for i, at, office, name, user, title in rows]


def _congratulations(ids: list[int]) -> list[Entry]:
    rows = db.session.execute(
        select(Congratulation.id, Congratulation.created_at, Contact.office_id, Office.name, Congratulation.by_id,
               Contact.first_name, Contact.last_name, PersonalDate.kind, Congratulation.how)
        .join(PersonalDate, PersonalDate.id == Congratulation.personal_date_id)
        .join(Contact, Contact.id == PersonalDate.contact_id).join(Office, Office.id == Contact.office_id)
        .where(Congratulation.id.in_(ids)))
    return [Entry("congratulated", i, _naive(at), _local_day(at), office, name, user, _name(first, last),
                  detail=kind, how=how)
            for i, at, office, name, user, first, last, kind, how in rows]


def _conversions(ids: list[int]) -> list[Entry]:
    rows = db.session.execute(
        select(OfficeConversion.id, OfficeConversion.converted_at, OfficeConversion.office_id, Office.name,
               OfficeConversion.converted_by_id)
        .join(Office, Office.id == OfficeConversion.office_id).where(OfficeConversion.id.in_(ids)))
    return [Entry("conversion", i, _naive(at), _local_day(at), office, name, user)
            for i, at, office, name, user in rows]


_READERS: dict[str, Callable[[list[int]], list[Entry]]] = {
    "contact_moment": _contact_moments, "follow_up_done": _follow_ups, "congratulated": _congratulations,
    "conversion": _conversions,
}


def entries(rows: list[tuple[str, int]]) -> list[Entry]:
    """The lines behind a page's rows, in the page's order: one statement per kind on the page, each with the
    office's name and the contact's joined (only the page's summaries are decrypted)."""
    ids: dict[str, list[int]] = {}
    for kind, record_id in rows:
        ids.setdefault(kind, []).append(record_id)
    found = {(entry.kind, entry.id): entry for kind, wanted in ids.items() for entry in _READERS[kind](wanted)}
    return [found[key] for key in rows if key in found]
