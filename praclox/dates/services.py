"""Every write path for personal dates and congratulation marks, and the window queries the pages share."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from itertools import chain
from typing import Any, NamedTuple

from sqlalchemy import and_, event, false, inspect, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from praclox.audit.services import record as audit
from praclox.auth.models import User
from praclox.bulk import in_values
from praclox.clock import now, today
from praclox.dates import occasions
from praclox.dates.models import (
    EARLIEST_YEAR,
    KIND_VALUES,
    CalendarStamp,
    Congratulation,
    CongratulationHow,
    EndReason,
    LeapRule,
    PersonalDate,
)
from praclox.extensions import db
from praclox.followups.models import FollowUp
from praclox.offices.models import Contact, Office

DATE_FIELDS = ("kind", "month", "day", "year", "person_name", "gender", "leap_rule", "notes")
CUTOFF_SETTING = "dates.child_cutoff_age"


class DateError(ValueError):
    """A personal date that cannot be saved as given; ``code`` says why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


# --- the "calendar changed" stamp ----------------------------------------------------------------


def _floor_second(moment: datetime) -> datetime:
    return moment.replace(microsecond=0)


def bump_stamp(session: Session | None = None) -> datetime:
    """Move the calendar-changed stamp forward (to a later whole second than before) in this transaction."""
    session = session or db.session
    moment = now()
    with session.no_autoflush:
        stamp = session.get(CalendarStamp, 1)
        if stamp is None:
            stamp = CalendarStamp(id=1, changed_at=moment)
            session.add(stamp)
        else:
            stamp.changed_at = max(moment, _floor_second(stamp.changed_at) + timedelta(seconds=1))
    session.info["dates_stamp_bumped"] = True
    return stamp.changed_at


def calendar_changed_at() -> datetime:
    stamp = db.session.get(CalendarStamp, 1)
    return stamp.changed_at if stamp else datetime(2000, 1, 1, tzinfo=UTC)


def _touches_calendar(session: Session) -> bool:
    watched = (PersonalDate, Contact)
    if any(isinstance(obj, watched) for obj in chain(session.new, session.deleted)):
        return True
    # follow-ups show in feeds that include them; one deleted (or taken by its office's deletion, which the
    # database cascades) is in no row's updated_at, so without this Last-Modified would not move
    if any(isinstance(obj, (Office, FollowUp)) for obj in session.deleted):
        return True
    # an office's name shows beside its contacts' dates on the dashboard (its other changes do not: logging a
    # contact moment touches the office's updated_at, and must not make every worker rebuild the agenda)
    return any((isinstance(obj, watched) and session.is_modified(obj))
               or (isinstance(obj, Office) and inspect(obj).attrs.name.history.has_changes())
               for obj in session.dirty)


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    if _touches_calendar(session):
        bump_stamp(session)


_listening = False


def install_listeners() -> None:
    """Any change to a date or a contact (names show in titles) moves the stamp, deletions included, and so
    does a renamed office (the dashboard's agenda shows office names)."""
    global _listening
    if not _listening:
        event.listen(Session, "before_flush", _before_flush)
        _listening = True


# --- validation ----------------------------------------------------------------------------------


def validate(data: Mapping[str, Any], *, on: date | None = None) -> dict[str, Any]:
    """Check and normalise the fields of a personal date; raise DateError with a reason code."""
    on = on or today()
    kind = data.get("kind")
    if kind not in KIND_VALUES:
        raise DateError("kind")
    try:
        month, day = int(data.get("month") or 0), int(data.get("day") or 0)
        year = int(data["year"]) if data.get("year") not in (None, "") else None
    except (TypeError, ValueError) as exc:
        raise DateError("date") from exc
    if not occasions.is_valid(month, day, year):
        raise DateError("date")
    if year is not None:
        if year < EARLIEST_YEAR:
            raise DateError("too_old")
        if date(year, month, day) > on:
            raise DateError("future")
    person_name = (data.get("person_name") or "").strip() or None
    if person_name is not None and (len(person_name) > 100 or any(ord(c) < 32 for c in person_name)):
        raise DateError("person_name")
    if kind == "birthday":
        person_name = None
    gender = data.get("gender") or ""
    if gender not in ("", "f", "m"):
        raise DateError("gender")
    leap_rule = data.get("leap_rule") or LeapRule.FEB28.value
    if leap_rule not in LeapRule.values():
        raise DateError("leap_rule")
    notes = (data.get("notes") or "").strip() or None
    if notes is not None and len(notes) > 2000:
        raise DateError("notes")
    return {"kind": kind, "month": month, "day": day, "year": year, "person_name": person_name,
            "gender": gender, "leap_rule": leap_rule, "notes": notes}


# --- writes --------------------------------------------------------------------------------------


def create_date(contact: Contact, data: Mapping[str, Any], *, actor: User | None) -> PersonalDate:
    clean = validate(data)
    item = PersonalDate(contact=contact, contact_id=contact.id, version=0, **clean)
    db.session.add(item)
    db.session.flush()
    audit("create", item, fields=[f for f in DATE_FIELDS if getattr(item, f) not in (None, "")], actor=actor)
    return item


def update_date(item: PersonalDate, data: Mapping[str, Any], *, actor: User | None) -> list[str]:
    clean = validate({**{f: getattr(item, f) for f in DATE_FIELDS}, **data})
    changed = [name for name, value in clean.items() if getattr(item, name) != value]
    for name in changed:
        setattr(item, name, clean[name])
    if changed:
        item.version += 1
        audit("update", item, fields=changed, actor=actor)
    return changed


def end_date(item: PersonalDate, reason: str, ended_on: date | None = None, *, actor: User | None) -> None:
    """End a date: it stops appearing anywhere; the reason is kept."""
    if reason not in EndReason.values():
        raise DateError("reason")
    ended_on = ended_on or today()
    if ended_on > today():
        raise DateError("future")
    if item.ended_on is not None:
        raise DateError("already")
    item.ended_on, item.end_reason = ended_on, reason
    item.version += 1
    audit("update", item, fields=["ended_on", "end_reason"], actor=actor)


def restore_date(item: PersonalDate, *, actor: User | None) -> None:
    """Undo an ending (a mistake)."""
    if item.ended_on is None:
        return
    item.ended_on, item.end_reason = None, None
    item.version += 1
    audit("update", item, fields=["ended_on", "end_reason"], actor=actor)


def delete_date(item: PersonalDate, *, actor: User | None) -> None:
    audit("delete", item, actor=actor)
    db.session.delete(item)
    db.session.flush()


def end_dates_of_contact(contact: Contact, reason: str = EndReason.LEFT_OFFICE.value,
                         ended_on: date | None = None, *, actor: User | None) -> int:
    """End every running date of a contact (the contact left the office, or died)."""
    ended_on = ended_on or today()
    items = db.session.scalars(
        select(PersonalDate).where(PersonalDate.contact_id == contact.id, PersonalDate.ended_on.is_(None))
    ).all()
    for item in items:
        item.ended_on, item.end_reason = min(ended_on, today()), reason
        item.version += 1
        audit("update", item, fields=["ended_on", "end_reason"], actor=actor)
    if items:
        bump_stamp()
    return len(items)


def on_contact_left(contact: Contact, *, actor: User | None, **_: Any) -> None:
    end_dates_of_contact(contact, EndReason.LEFT_OFFICE.value, contact.left_on, actor=actor)


def on_contact_deleting(contact: Contact, **_: Any) -> None:
    # the database cascade removes the dates; the feeds must still see a change
    bump_stamp()


def mark_congratulated(
    item: PersonalDate, occurrence_year: int, half: bool, how: str, *, actor: User | None
) -> Congratulation:
    """Mark one occurrence as done; a second mark for the same occurrence returns the first."""
    if how not in {h.value for h in CongratulationHow}:
        raise DateError("how")
    existing = db.session.scalar(
        select(Congratulation).where(
            Congratulation.personal_date_id == item.id,
            Congratulation.occurrence_year == occurrence_year,
            Congratulation.half.is_(bool(half)),
        )
    )
    if existing is not None:
        return existing
    mark = Congratulation(personal_date_id=item.id, occurrence_year=occurrence_year, half=bool(half), how=how,
                          by_id=getattr(actor, "id", None))
    try:
        with db.session.begin_nested():  # a colleague may mark the same occurrence at the same moment
            db.session.add(mark)
    except IntegrityError:
        return db.session.scalars(
            select(Congratulation).where(
                Congratulation.personal_date_id == item.id,
                Congratulation.occurrence_year == occurrence_year,
                Congratulation.half.is_(bool(half)),
            )
        ).one()
    audit("create", mark, fields=["occurrence_year", "how"], actor=actor)
    return mark


def unmark_congratulated(mark: Congratulation, *, actor: User | None) -> None:
    audit("delete", mark, actor=actor)
    db.session.delete(mark)
    db.session.flush()


# --- queries -------------------------------------------------------------------------------------


def cutoff_age() -> int:
    from praclox.settings.services import get, specs

    return int(get(CUTOFF_SETTING)) if CUTOFF_SETTING in specs() else 0


def dates_of_contact(contact_id: int) -> list[PersonalDate]:
    return list(db.session.scalars(
        select(PersonalDate).where(PersonalDate.contact_id == contact_id)
        .order_by(PersonalDate.ended_on.is_not(None), PersonalDate.month, PersonalDate.day, PersonalDate.id)
    ))


class DateRow(NamedTuple):
    """The columns of a personal date the occurrence logic needs (satisfies ``occasions.DateLike``)."""

    id: int
    kind: str
    month: int
    day: int
    year: int | None
    leap_rule: str
    gender: str
    person_name: str | None
    contact_id: int
    first_name: str
    last_name: str
    office_id: int
    office_name: str

    @property
    def contact_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Entry(NamedTuple):
    """One occurrence with what a list shows beside it."""

    row: DateRow
    occ: occasions.Occurrence
    mark: Congratulation | None = None

    @property
    def words(self) -> str:
        return occasions.words(self.row, self.occ)

    @property
    def title(self) -> str:
        return occasions.title(self.row, self.occ, self.row.contact_name)

    @property
    def key(self) -> str:
        return f"{self.row.id}-{self.occ.year}{'h' if self.occ.half else ''}"


def _month_day_filter(start: date, end: date) -> Any:
    """SQL that keeps dates whose (month, day) falls in the window (29 February and jubilees included)."""
    if (end - start).days >= 365:
        return None
    ranges: dict[int, tuple[int, int]] = {}
    cursor = start
    while cursor <= end:
        month_end = date(cursor.year, cursor.month, 28) + timedelta(days=4)
        month_end = min(month_end - timedelta(days=month_end.day), end)
        lo, hi = ranges.get(cursor.month, (32, 0))
        ranges[cursor.month] = (min(lo, cursor.day), max(hi, month_end.day))
        cursor = month_end + timedelta(days=1)
    conditions = [
        and_(PersonalDate.month == month, PersonalDate.day.between(lo, hi)) for month, (lo, hi) in ranges.items()
    ]
    if 2 in ranges or 3 in ranges:  # 29 February observed on 28 February or 1 March
        conditions.append(and_(PersonalDate.month == 2, PersonalDate.day == 29))
    # the 12½-year jubilee falls 150 months after the wedding date
    source_months = {(m - 7) % 12 + 1 for m in ranges}
    if 3 in ranges:  # 29 August + 150 months in a common year, kept on 1 March
        source_months.add(8)
    years = sorted({y - off for y in range(start.year, end.year + 1) for off in (12, 13)})
    conditions.append(
        and_(PersonalDate.kind == "wedding", PersonalDate.year.in_(years),
             PersonalDate.month.in_(sorted(source_months)))
    )
    return or_(*conditions)


def date_rows(start: date | None = None, end: date | None = None, *, kinds: Iterable[str] | None = None,
              office_id: int | None = None) -> list[DateRow]:
    """The running dates that may occur in the window (all when no window), with contact and office names."""
    stmt = (
        select(PersonalDate.id, PersonalDate.kind, PersonalDate.month, PersonalDate.day, PersonalDate.year,
               PersonalDate.leap_rule, PersonalDate.gender, PersonalDate.person_name, Contact.id,
               Contact.first_name, Contact.last_name, Office.id, Office.name)
        .join(Contact, Contact.id == PersonalDate.contact_id)
        .join(Office, Office.id == Contact.office_id)
        .where(PersonalDate.ended_on.is_(None))
    )
    if start is not None and end is not None:
        window = _month_day_filter(start, end)
        if window is not None:
            stmt = stmt.where(window)
    if kinds is not None:
        kinds = [k for k in kinds if k in KIND_VALUES]
        stmt = stmt.where(PersonalDate.kind.in_(kinds) if kinds else false())
    if office_id is not None:
        stmt = stmt.where(Contact.office_id == office_id)
    # Core rows straight from the connection: no ORM loading for plain columns
    return [DateRow._make(row) for row in db.session.connection().execute(stmt)]


def entries_between(start: date, end: date, *, kinds: Iterable[str] | None = None, office_id: int | None = None,
                    with_marks: bool = True) -> list[Entry]:
    """Every occurrence from ``start`` to ``end`` (inclusive), sorted by day and name, with congratulations."""
    pairs = occasions.occurrences_many(date_rows(start, end, kinds=kinds, office_id=office_id), start, end,
                                       cutoff_age=cutoff_age())
    pairs.sort(key=lambda p: (p[1][0], p[0][10].lower(), p[0][9].lower(), p[0][0]))
    return with_congratulations(pairs) if with_marks else [Entry(row, occ) for row, occ in pairs]


def with_congratulations(pairs: list[tuple[DateRow, occasions.Occurrence]]) -> list[Entry]:
    """Entries for (row, occurrence) pairs, each with its congratulation mark when there is one."""
    marks: dict[tuple[int, int, bool], Congratulation] = {}
    if pairs:
        ids = {row.id for row, _ in pairs}
        years = {occ.year for _, occ in pairs}
        found = db.session.scalars(
            select(Congratulation).where(
                Congratulation.personal_date_id.in_(ids) if len(ids) < 900 else Congratulation.id.is_not(None),
                Congratulation.occurrence_year.in_(years),
            )
        )
        marks = {(m.personal_date_id, m.occurrence_year, m.half): m for m in found}
    return [Entry(row, occ, marks.get((row.id, occ.year, occ.half))) for row, occ in pairs]


def marks_in(which: Any, years: Iterable[int], wanted: Mapping[tuple[int, int, bool], object]
             ) -> dict[tuple[int, int, bool], Congratulation]:
    """The congratulation marks of the ``wanted`` occurrences ((date id, year, half)); ``which`` is the dates'
    condition (``marks_condition``), built once for a kept agenda."""
    found = db.session.scalars(
        select(Congratulation).where(which, Congratulation.occurrence_year.in_(sorted(years)))
    )
    marks = {}
    for mark in found:
        key = (mark.personal_date_id, mark.occurrence_year, mark.half)
        if key in wanted:
            marks[key] = mark
    return marks


def marks_condition(date_ids: Iterable[int]) -> Any:
    """The marks of these dates, as one bound parameter (``praclox.bulk.in_values``): the dashboard shows some
    560 entries at 10,000 contacts, and expanding an IN of as many placeholders (and the driver converting the
    query text) was a third of the dashboard's own CPU time. Joining the window's dates instead cost the
    database 4-17 ms of index probes on PostgreSQL."""
    return in_values(Congratulation.personal_date_id, sorted(set(date_ids)))
