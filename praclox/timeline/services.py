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

from sqlalchemy import DateTime, Select, String, cast, func, literal, select, union_all
from sqlalchemy.orm import selectinload

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


@dataclass(frozen=True)
class Entry:
    kind: str
    record: Any
    #: the day it happened, in the office's time zone
    day: date
    office: Office
    user_id: int | None


def _utc_bound(day: date) -> datetime:
    """Local midnight at the start of ``day``, in UTC like the datetime columns."""
    return datetime.combine(day, time.min, tzinfo=zone()).astimezone(UTC)


def _day_column(column: Any) -> Any:
    """A DATE column in the union's moment column: SQLite compares the ISO text as it is (a day sorts
    before that day's times), PostgreSQL needs a timestamp."""
    return column if db.session.get_bind().dialect.name == "sqlite" else cast(column, DateTime)


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


def _source(kind: str, id_col: Any, office_col: Any, user_col: Any, moment: Any, filters: Filters, *,
            is_day: bool = False, base: Callable[[Select[Any]], Select[Any]] = lambda s: s) -> Select[Any]:
    at = _day_column(moment) if is_day else moment
    stmt = base(select(literal(kind, String(20)).label("kind"), id_col.label("id"), at.label("at")))
    if filters.user_id is not None:
        stmt = stmt.where(user_col == filters.user_id)
    stmt = _office_filter(stmt, office_col, filters)
    return _moments(stmt, moment, filters, is_day=is_day).order_by(moment.desc(), id_col.desc())


def _sources(filters: Filters) -> dict[str, Select[Any]]:
    return {
        "contact_moment": _source("contact_moment", Interaction.id, Interaction.office_id, Interaction.logged_by_id,
                                  Interaction.occurred_on, filters, is_day=True),
        "follow_up_done": _source("follow_up_done", FollowUp.id, FollowUp.office_id, FollowUp.done_by_id,
                                  FollowUp.done_at, filters,
                                  base=lambda s: s.where(FollowUp.done_at.is_not(None))),
        "congratulated": _source("congratulated", Congratulation.id, Contact.office_id, Congratulation.by_id,
                                 Congratulation.created_at, filters,
                                 base=lambda s: s.join(PersonalDate, PersonalDate.id == Congratulation.personal_date_id)
                                 .join(Contact, Contact.id == PersonalDate.contact_id)),
        "conversion": _source("conversion", OfficeConversion.id, OfficeConversion.office_id,
                              OfficeConversion.converted_by_id, OfficeConversion.converted_at, filters),
    }


KINDS = ("contact_moment", "follow_up_done", "congratulated", "conversion")


def page_rows(filters: Filters, page: int, per_page: int) -> tuple[list[tuple[str, int]], bool]:
    """(kind, id) of one page, newest first, and whether an older page exists."""
    depth = page * per_page + 1
    chosen = [s for k, s in _sources(filters).items() if not filters.kind or k == filters.kind]
    # each source cut to the page's depth first: its own index gives its newest rows without a sort
    parts = [select(*s.limit(depth).subquery().c) for s in chosen]
    union = union_all(*parts).subquery()
    rows = db.session.execute(
        select(union.c.kind, union.c.id).order_by(union.c.at.desc(), union.c.kind, union.c.id.desc())
        .offset((page - 1) * per_page).limit(per_page + 1)
    ).all()
    return [(k, i) for k, i in rows[:per_page]], len(rows) > per_page


def _local_day(moment: datetime) -> date:
    return moment.astimezone(zone()).date()


_Describe = Callable[[Any], tuple[date, Office, int | None]]
#: per kind: the model, what to load with it, its office's id, and (day, office, user id) of a record
_LOADERS: dict[str, tuple[Any, tuple[Any, ...], Callable[[Any], int], _Describe]] = {
    "contact_moment": (Interaction, (selectinload(Interaction.contact),), lambda i: i.office_id,
                       lambda i: (i.occurred_on, i.office, i.logged_by_id)),
    "follow_up_done": (FollowUp, (), lambda f: f.office_id,
                       lambda f: (_local_day(f.done_at), f.office, f.done_by_id)),
    "congratulated": (Congratulation, (selectinload(Congratulation.personal_date).selectinload(PersonalDate.contact),),
                      lambda c: c.personal_date.contact.office_id,
                      lambda c: (_local_day(c.created_at), c.personal_date.contact.office, c.by_id)),
    "conversion": (OfficeConversion, (), lambda v: v.office_id,
                   lambda v: (_local_day(v.converted_at), v.office, v.converted_by_id)),
}


def entries(rows: list[tuple[str, int]]) -> list[Entry]:
    """The records behind a page's rows, in the page's order: one query per kind, and one for all their offices
    (loaded first into the session, where each record's office is then found without a query)."""
    ids: dict[str, list[int]] = {}
    for kind, record_id in rows:
        ids.setdefault(kind, []).append(record_id)
    records = {kind: list(db.session.scalars(select(_LOADERS[kind][0]).where(_LOADERS[kind][0].id.in_(wanted))
                                             .options(*_LOADERS[kind][1])))
               for kind, wanted in ids.items()}
    office_ids = {_LOADERS[kind][2](record) for kind, found in records.items() for record in found}
    offices = list(db.session.scalars(select(Office).where(Office.id.in_(office_ids)))) if office_ids else []
    found: dict[tuple[str, int], Entry] = {}
    for kind, loaded in records.items():
        describe = _LOADERS[kind][3]
        for record in loaded:
            found[kind, record.id] = Entry(kind, record, *describe(record))
    del offices  # held until every record has found its office in the session
    return [found[key] for key in rows if key in found]
