"""The iCal feed: one calendar of every running personal date, built fast.

The calendar's own properties are built with icalendar's ``Calendar``. Its events are written as text with
icalendar's own escaping (``vText``) and folding (``Contentline``), in icalendar's own property order:
building tens of thousands of ``Event`` objects one by one would cost seconds. The tests check the
result against a calendar built object by object and parse it with two libraries.

- A date with a year: one event per occurrence from a year ago to two years ahead, each titled with the age
  or the anniversary, UID ``praclox-date-<id>-<year>[h]@<host>`` (``h``: the 12½-year jubilee).
- A date without a year: one event with ``RRULE:FREQ=YEARLY`` from 2000, UID ``praclox-date-<id>@<host>``.
  29 February kept on the 28th: ``BYMONTH=2;BYMONTHDAY=-1``; kept on 1 March: ``BYYEARDAY=60``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from icalendar import Calendar, vText
from icalendar.parser import Contentline
from sqlalchemy import select

from praclox.dates import occasions
from praclox.dates.models import KIND_VALUES, PersonalDate
from praclox.extensions import db
from praclox.offices.models import Contact

#: bump when the output for the same data changes (it is part of the ETag key)
FORMAT_VERSION = "1"
REFRESH = timedelta(hours=12)
RRULE_BASE_YEAR = 2000  # a leap year: 29 February exists in it
NEEDS_ESCAPE = frozenset("\\;,\n\r")
_ONE_DAY = timedelta(days=1)


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


def feed_query(kinds: Iterable[str]) -> Any:
    """The one query behind a feed: running dates with their contact's name, in a stable order."""
    kinds = [k for k in kinds if k in KIND_VALUES]
    return (
        select(PersonalDate.id, PersonalDate.kind, PersonalDate.month, PersonalDate.day, PersonalDate.year,
               PersonalDate.leap_rule, PersonalDate.gender, PersonalDate.person_name, PersonalDate.version,
               PersonalDate.updated_at, Contact.first_name, Contact.last_name, Contact.updated_at)
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
    assert text.endswith(end)  # noqa: S101  (icalendar always closes the calendar)
    return text[: -len(end)]


def _stamp(moment: datetime) -> str:
    moment = moment.astimezone(UTC) if moment.tzinfo else moment
    return (f"{moment.year:04d}{moment.month:02d}{moment.day:02d}"
            f"T{moment.hour:02d}{moment.minute:02d}{moment.second:02d}Z")


def escape_text(text: str) -> str:
    """A TEXT value escaped the way icalendar escapes it (``\\``, ``;``, ``,``, line breaks)."""
    return vText(text).to_ical().decode("utf-8")


def _content_line(name: str, escaped_value: str) -> str:
    """``NAME:value``, folded by icalendar when it reaches 75 octets (short lines, the usual case, as they are)."""
    line = f"{name}:{escaped_value}"
    if len(line) < 75 and (line.isascii() or len(line.encode("utf-8")) < 75):
        return line
    return Contentline(line).to_ical().decode("utf-8")


class _Days:
    """Observed days per (month, day, leap rule) in the window, with their DATE strings, computed once."""

    def __init__(self, start: date, end: date) -> None:
        self.start, self.end = start, end
        self.cache: dict[tuple[int, int, str], list[tuple[int, str, str]]] = {}
        self.strings: dict[date, str] = {}

    def _string(self, day: date) -> str:
        found = self.strings.get(day)
        if found is None:
            found = self.strings[day] = f"{day.year:04d}{day.month:02d}{day.day:02d}"
        return found

    def get(self, month: int, day: int, rule: str) -> list[tuple[int, str, str]]:
        key = (month, day, rule)
        found = self.cache.get(key)
        if found is None:
            found = []
            for year in range(self.start.year, self.end.year + 1):
                on = occasions.observed(month, day, year, rule)
                if self.start <= on <= self.end:
                    found.append((year, self._string(on), self._string(on + _ONE_DAY)))
            self.cache[key] = found
        return found

    def pair(self, on: date) -> tuple[str, str]:
        return self._string(on), self._string(on + _ONE_DAY)


def rrule_for(month: int, day: int, rule: str) -> str:
    if month == 2 and day == 29:
        return "FREQ=YEARLY;BYYEARDAY=60" if rule == "mar1" else "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1"
    return "FREQ=YEARLY"


def events(rows: Sequence[Any], *, today: date, host: str, show_child_names: bool, cutoff_age: int = 0,
           phrases: occasions.Phrases | None = None) -> list[str]:
    """The VEVENT blocks for feed rows (see ``feed_query``), as text."""
    start, end = window(today)
    days = _Days(start, end)
    title = (phrases or occasions.phrases()).title_for
    out: list[str] = []
    append = out.append
    clean = NEEDS_ESCAPE.isdisjoint
    for (date_id, kind, month, day, born, rule, gender, person, version, updated, first, last,
         contact_updated) in rows:
        contact = f"{first} {last}"
        moment = _stamp(updated if updated >= contact_updated else contact_updated)
        uid = f"\r\nDTSTAMP:{moment}\r\nUID:praclox-date-{date_id}"
        if born is None:
            text = title(kind, None, False, gender, person, contact, show_child_names)
            summary = _content_line("SUMMARY", text if clean(text) else escape_text(text))
            first_day, next_day = days.pair(date(RRULE_BASE_YEAR, month, day))
            append(f"BEGIN:VEVENT\r\n{summary}\r\nDTSTART;VALUE=DATE:{first_day}\r\nDTEND;VALUE=DATE:{next_day}"
                   f"{uid}@{host}\r\nSEQUENCE:{version}\r\nRRULE:{rrule_for(month, day, rule)}\r\n"
                   f"LAST-MODIFIED:{moment}\r\nTRANSP:TRANSPARENT\r\nEND:VEVENT\r\n")
            continue
        after = (f"@{host}\r\nSEQUENCE:{version}\r\nLAST-MODIFIED:{moment}\r\nTRANSP:TRANSPARENT\r\n"
                 "END:VEVENT\r\n")
        for year, first_day, next_day in days.get(month, day, rule):
            count = year - born
            if count <= 0 or (cutoff_age and kind == "child_birthday" and count > cutoff_age):
                continue
            text = title(kind, count, False, gender, person, contact, show_child_names)
            summary = _content_line("SUMMARY", text if clean(text) else escape_text(text))
            append(f"BEGIN:VEVENT\r\n{summary}\r\nDTSTART;VALUE=DATE:{first_day}\r\nDTEND;VALUE=DATE:{next_day}"
                   f"{uid}-{year}{after}")
        if kind == "wedding":
            on = occasions.half_jubilee(month, day, born, rule)
            if start <= on <= end:
                text = title(kind, 12, True, gender, person, contact, show_child_names)
                summary = _content_line("SUMMARY", escape_text(text))
                first_day, next_day = days.pair(on)
                append(f"BEGIN:VEVENT\r\n{summary}\r\nDTSTART;VALUE=DATE:{first_day}\r\n"
                       f"DTEND;VALUE=DATE:{next_day}{uid}-{on.year}h{after}")
    return out


def build(name: str, rows: Sequence[Any], *, today: date, host: str, show_child_names: bool,
          cutoff_age: int = 0, phrases: occasions.Phrases | None = None) -> str:
    """The whole calendar as text (CRLF lines, folded at 75 octets)."""
    body = events(rows, today=today, host=host, show_child_names=show_child_names, cutoff_age=cutoff_age,
                  phrases=phrases)
    return calendar_head(name) + "".join(body) + "END:VCALENDAR\r\n"


def fetch_rows(kinds: Iterable[str]) -> list[Any]:
    return db.session.execute(feed_query(kinds)).all()


def strong_etag(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()
