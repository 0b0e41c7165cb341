"""The iCal feed: one calendar of every running personal date, built fast.

The calendar's own properties are built with icalendar's ``Calendar``. Its events are written as text, in
icalendar's property order, with RFC 5545 escaping and folding applied here to whole strings (``escape_text``,
``fold``): icalendar's objects escape and fold character by character, which on accented or long names made
the feed 15x slower than the query behind it (issue 16). The tests check the result against a calendar built
object by object and parse it with two libraries; a property test compares arbitrary names.

- A date with a year: one event per occurrence from a year ago to two years ahead, each titled with the age
  or the anniversary, UID ``praclox-date-<id>-<year>[h]@<host>`` (``h``: the 12½-year jubilee).
- A date without a year: one event with ``RRULE:FREQ=YEARLY`` from 2000, UID ``praclox-date-<id>@<host>``.
  29 February kept on the 28th: ``BYMONTH=2;BYMONTHDAY=-1``; kept on 1 March: ``BYYEARDAY=60``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import UTC, date, timedelta
from typing import Any
from urllib.parse import urlsplit

from icalendar import Calendar, vText
from sqlalchemy import func, select

from praclox.dates import occasions
from praclox.dates.models import KIND_VALUES, PersonalDate
from praclox.extensions import db
from praclox.offices.models import Contact

#: bump when the output for the same data changes (it is part of the ETag key)
FORMAT_VERSION = "1"
REFRESH = timedelta(hours=12)
RRULE_BASE_YEAR = 2000  # a leap year: 29 February exists in it
_ONE_DAY = timedelta(days=1)
#: characters that TEXT escaping changes; and those whose escaping depends on their neighbours (CR LF is one)
SAFE = frozenset("\\;,\r\n")
SLOW = frozenset("\r\n")
#: RFC 5545 3.1: content lines are folded so no line is longer than 75 octets (icalendar's own choice: 74
#: octets on the first line, a space and 74 on the next)
FOLD_OCTETS = 74


def window(day: date) -> tuple[date, date]:
    """From the same day a year ago to the same day two years ahead (29 February: the 28th)."""

    def shift(years: int) -> date:
        try:
            return day.replace(year=day.year + years)
        except ValueError:
            return day.replace(year=day.year + years, day=28)

    return shift(-1), shift(2)


def uid_host(base_url: str) -> str:
    return urlsplit(base_url).hostname or "praclox.local"


def stamp_column(dialect: str) -> Any:
    """The later of the date's and the contact's change, formatted in SQL as an iCal UTC DATE-TIME."""
    if dialect == "sqlite":
        return func.strftime("%Y%m%dT%H%M%SZ", func.max(PersonalDate.updated_at, Contact.updated_at))
    if dialect == "postgresql":
        return func.to_char(func.greatest(PersonalDate.updated_at, Contact.updated_at), 'YYYYMMDD"T"HH24MISS"Z"')
    return func.max(PersonalDate.updated_at, Contact.updated_at)  # pragma: no cover  (formatted in Python)


def feed_query(kinds: Iterable[str], dialect: str = "sqlite") -> Any:
    """The one query behind a feed: running dates with their contact's name, in a stable order."""
    kinds = [k for k in kinds if k in KIND_VALUES]
    return (
        select(PersonalDate.id, PersonalDate.kind, PersonalDate.month, PersonalDate.day, PersonalDate.year,
               PersonalDate.leap_rule, PersonalDate.gender, PersonalDate.person_name, PersonalDate.version,
               stamp_column(dialect), Contact.first_name, Contact.last_name)
        .join(Contact, Contact.id == PersonalDate.contact_id)
        .where(PersonalDate.ended_on.is_(None), PersonalDate.kind.in_(kinds))
        .order_by(PersonalDate.id)
    )


def calendar_head(name: str) -> str:
    """The VCALENDAR lines before the events, built with icalendar."""
    cal = Calendar()
    cal.add("prodid", "-//Praclox//Praclox CRM personal dates//NL")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", vText(name))
    cal.add("name", vText(name))
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT12H")
    text = cal.to_ical().decode("utf-8")
    end = "END:VCALENDAR\r\n"
    if not text.endswith(end):  # icalendar always closes the calendar; anything else is a library change
        raise RuntimeError("icalendar produced a calendar without END:VCALENDAR")
    return text[: -len(end)]


def _stamp(moment: Any) -> str:
    if isinstance(moment, str):
        return moment
    moment = moment.astimezone(UTC) if moment.tzinfo else moment
    return f"{moment:%Y%m%dT%H%M%SZ}"


def escape_text(text: str) -> str:
    """A TEXT value escaped per RFC 5545 3.3.11: backslash, ``;``, ``,``; any line break as ``\\n``.

    Applied to a whole string with ``str.replace`` (C speed). Unlike icalendar it leaves a literal ``\\N`` a
    backslash and an N, so a name that holds one reads back unchanged.
    """
    if SAFE.isdisjoint(text):
        return text
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def fold(line: str) -> str:
    """A content line folded at 74 octets, never inside a UTF-8 character nor right after a backslash.

    Byte for byte what icalendar's folding writes, computed on the encoded line instead of per character.
    """
    if len(line) <= FOLD_OCTETS and line.isascii():
        return line
    raw = line.encode("utf-8")
    end = len(raw)
    if end <= FOLD_OCTETS:
        return line
    parts = []
    start = 0
    while end - start > FOLD_OCTETS:
        cut = start + FOLD_OCTETS
        while raw[cut] & 0xC0 == 0x80:  # a continuation byte: the character starting before it moves on
            cut -= 1
        if raw[cut - 1] in b"\\^" and cut - 1 > start:  # keep an escape with what it escapes
            cut -= 1
        parts.append(raw[start:cut])
        start = cut
    parts.append(raw[start:])
    return b"\r\n ".join(parts).decode("utf-8")


def all_day(on: date) -> str:
    """The DTSTART and DTEND lines of an all-day event on ``on``, each after a line break."""
    after = on + _ONE_DAY
    return (f"\r\nDTSTART;VALUE=DATE:{on.year:04d}{on.month:02d}{on.day:02d}"
            f"\r\nDTEND;VALUE=DATE:{after.year:04d}{after.month:02d}{after.day:02d}")


def stamp(moment: Any) -> str:
    """An iCal UTC DATE-TIME (``20261207T101500Z``)."""
    return _stamp(moment)


def _content_line(name: str, escaped_value: str) -> str:
    """``NAME:value``, folded when it reaches 75 octets (short lines, the usual case, as they are)."""
    return fold(f"{name}:{escaped_value}")


class _Days:
    """Observed days per (month, day, leap rule) in the window, as DTSTART/DTEND lines, computed once."""

    def __init__(self, start: date, end: date) -> None:
        self.start, self.end = start, end
        self.cache: dict[tuple[int, int, str], list[tuple[int, str]]] = {}

    @staticmethod
    def lines(on: date) -> str:
        return all_day(on)

    def get(self, month: int, day: int, rule: str) -> list[tuple[int, str]]:
        key = (month, day, rule)
        found = self.cache.get(key)
        if found is None:
            found = []
            for year in range(self.start.year, self.end.year + 1):
                on = occasions.observed(month, day, year, rule)
                if self.start <= on <= self.end:
                    found.append((year, self.lines(on)))
            self.cache[key] = found
        return found


_MISSING: Any = object()


class _Titles:
    """Escaped titles with the contact's name left out: (before, after) around it, cached by everything else.

    Titles differ per date only by the contact's name, so a feed of 60,000 events needs a few hundred
    phrase look-ups, not 60,000.
    """

    MARK = "\x00"

    def __init__(self, phrases: occasions.Phrases, show_child_names: bool) -> None:
        self.phrases, self.show = phrases, show_child_names
        self.cache: dict[tuple[Any, ...], tuple[str, str, int] | None] = {}

    def parts(self, kind: str, count: int | None, half: bool, gender: str, person: str | None
              ) -> tuple[str, str, int] | None:
        """``("SUMMARY:" + escaped text before the name, escaped text after it, their length in octets)``."""
        key = (kind, count, half, gender, person)
        try:
            return self.cache[key]
        except KeyError:
            pass
        text = self.phrases.title_for(kind, count, half, gender, person, self.MARK, self.show)
        found = None
        if text.count(self.MARK) == 1:
            before, after = text.split(self.MARK)
            # splitting must not change the escaping (it only could between a CR and an LF)
            if SLOW.isdisjoint(before + after):
                head, tail = "SUMMARY:" + escape_text(before), escape_text(after)
                found = (head, tail, len(head.encode()) + len(tail.encode()))
        self.cache[key] = found
        return found

    def line(self, kind: str, count: int | None, half: bool, gender: str, person: str | None, contact: str,
             escaped_contact: str | None) -> str:
        parts = self.parts(kind, count, half, gender, person) if escaped_contact is not None else None
        if parts is None:
            text = self.phrases.title_for(kind, count, half, gender, person, contact, self.show)
            return _content_line("SUMMARY", escape_text(text))
        return fold(parts[0] + escaped_contact + parts[1])


def rrule_for(month: int, day: int, rule: str) -> str:
    if month == 2 and day == 29:
        return "FREQ=YEARLY;BYYEARDAY=60" if rule == "mar1" else "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1"
    return "FREQ=YEARLY"


def events(rows: Sequence[Any], *, today: date, host: str, show_child_names: bool, cutoff_age: int = 0,
           phrases: occasions.Phrases | None = None) -> list[str]:
    """The VEVENT blocks for feed rows (see ``feed_query``), as text."""
    start, end = window(today)
    days = _Days(start, end)
    titles = _Titles(phrases or occasions.phrases(), show_child_names)
    parts_of, line_of, cached_parts = titles.parts, titles.line, titles.cache.get
    out: list[str] = []
    append = out.append
    #: each name escaped once, with its length in octets (so most lines need no encoding to know they fit)
    escaped_names: dict[str, tuple[str | None, int]] = {}
    for date_id, kind, month, day, born, rule, gender, person, version, stamp, first, last in rows:
        contact = f"{first} {last}"
        try:
            escaped, name_octets = escaped_names[contact]
        except KeyError:
            # line breaks escape depending on their neighbours: such a title is escaped as a whole
            escaped = escape_text(contact) if SLOW.isdisjoint(contact) else None
            name_octets = len(escaped.encode()) if escaped is not None else 0
            escaped_names[contact] = (escaped, name_octets)
        moment = _stamp(stamp)
        uid = f"\r\nDTSTAMP:{moment}\r\nUID:praclox-date-{date_id}"
        if born is None:
            summary = line_of(kind, None, False, gender, person, contact, escaped)
            append(f"BEGIN:VEVENT\r\n{summary}{_Days.lines(date(RRULE_BASE_YEAR, month, day))}"
                   f"{uid}@{host}\r\nSEQUENCE:{version}\r\nRRULE:{rrule_for(month, day, rule)}\r\n"
                   f"LAST-MODIFIED:{moment}\r\nTRANSP:TRANSPARENT\r\nEND:VEVENT\r\n")
            continue
        after = (f"@{host}\r\nSEQUENCE:{version}\r\nLAST-MODIFIED:{moment}\r\nTRANSP:TRANSPARENT\r\n"
                 "END:VEVENT\r\n")
        for year, day_lines in days.get(month, day, rule):
            count = year - born
            if count <= 0 or (cutoff_age and kind == "child_birthday" and count > cutoff_age):
                continue
            if escaped is None:
                parts = None
            else:  # the cache looked up here, not through a call: this line runs 65,000 times
                parts = cached_parts((kind, count, False, gender, person), _MISSING)
                if parts is _MISSING:
                    parts = parts_of(kind, count, False, gender, person)
            if parts is not None:
                summary = parts[0] + escaped + parts[1]
                if parts[2] + name_octets > FOLD_OCTETS:
                    summary = fold(summary)
            else:
                summary = line_of(kind, count, False, gender, person, contact, escaped)
            append(f"BEGIN:VEVENT\r\n{summary}{day_lines}{uid}-{year}{after}")
        if kind == "wedding":
            on = occasions.half_jubilee(month, day, born, rule)
            if start <= on <= end:
                summary = line_of(kind, 12, True, gender, person, contact, escaped)
                append(f"BEGIN:VEVENT\r\n{summary}{_Days.lines(on)}{uid}-{on.year}h{after}")
    return out


def build(name: str, rows: Sequence[Any], *, today: date, host: str, show_child_names: bool,
          cutoff_age: int = 0, phrases: occasions.Phrases | None = None, extra: Sequence[str] = ()) -> str:
    """The whole calendar as text (CRLF lines, folded at 75 octets); ``extra``: more VEVENT blocks."""
    body = events(rows, today=today, host=host, show_child_names=show_child_names, cutoff_age=cutoff_age,
                  phrases=phrases)
    return calendar_head(name) + "".join(body) + "".join(extra) + "END:VCALENDAR\r\n"


def fetch_rows(kinds: Iterable[str]) -> list[Any]:
    """The driver's own tuples: no column here needs converting, and building 25,000 Row objects was a
    quarter of the cold build (bench/README.md)."""
    connection = db.session.connection()
    result = connection.execute(feed_query(kinds, connection.dialect.name))
    try:
        return result.cursor.fetchall()
    finally:
        result.close()


def strong_etag(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()
