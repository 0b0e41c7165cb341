"""Import personal dates from a CSV file or from vCard files: every line correct, or nothing is saved."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from praclox.auth.models import User
from praclox.clock import today
from praclox.dates import occasions, services
from praclox.dates.models import KIND_VALUES, PersonalDate
from praclox.extensions import db
from praclox.forms import NOT_ONE_LINE
from praclox.importing import ImportRejected, RowError, joined, one_of, read_table, valid_email
from praclox.offices import services as office_services
from praclox.offices.models import Contact, Office

COLUMNS = ("office", "first_name", "last_name", "kind", "date", "person_name")
REQUIRED = ("office", "first_name", "last_name", "kind", "date")
MAX_ROWS = 50000
FULL = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})$")
NO_YEAR = re.compile(r"^--(\d{2})-?(\d{2})$")
#: Apple writes a birthday without a year as 1604-MM-DD (and says so in X-APPLE-OMIT-YEAR)
APPLE_NO_YEAR = 1604
ANNIVERSARY_PROPS = ("anniversary", "x-anniversary", "x-ms-anniversary", "x-evolution-anniversary")


@dataclass
class ImportResult:
    contacts: int = 0
    dates: int = 0
    skipped: int = 0
    no_dates: int = 0


class DateTextError(ValueError):
    pass


def parse_date_text(text: str, *, on: date | None = None) -> tuple[int, int, int | None]:
    """``YYYY-MM-DD`` or ``--MM-DD`` (also without dashes, as vCards write them) to (month, day, year)."""
    text = text.strip()
    if "T" in text:  # a date-time: the date part counts
        text = text.split("T", 1)[0]
    match = FULL.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        if year == APPLE_NO_YEAR:
            year = None
    else:
        match = NO_YEAR.match(text)
        if not match:
            raise DateTextError(_l("'%(text)s' is not a date in the form YYYY-MM-DD or --MM-DD", text=text[:30]))
        month, day = (int(g) for g in match.groups())
        year = None
    if not occasions.is_valid(month, day, year):
        raise DateTextError(_l("'%(text)s' is not a real date", text=text[:30]))
    if year is not None:
        if year < services.EARLIEST_YEAR:
            raise DateTextError(_l("'%(text)s': the year lies before %(year)d", text=text[:30],
                                     year=services.EARLIEST_YEAR))
        if date(year, month, day) > (on or today()):
            raise DateTextError(_l("'%(text)s' lies in the future", text=text[:30]))
    return month, day, year


class _Writer:
    """Finds or creates contacts and adds dates, skipping dates that are already there."""

    def __init__(self, actor: User | None) -> None:
        self.actor = actor
        self.result = ImportResult()
        self.contacts: dict[tuple[int, str, str], Contact] = {}

    def contact(self, office: Office, first: str, last: str, extra: dict[str, Any] | None = None) -> Contact:
        key = (office.id, first.lower(), last.lower())
        found = self.contacts.get(key)
        if found is None:
            found = db.session.scalar(
                select(Contact).where(Contact.office_id == office.id, func.lower(Contact.first_name) == key[1],
                                      func.lower(Contact.last_name) == key[2]).order_by(Contact.id).limit(1)
            )
        if found is None:
            found = office_services.create_contact(office, {"first_name": first, "last_name": last, **(extra or {})},
                                                   actor=self.actor)
            self.result.contacts += 1
        self.contacts[key] = found
        return found

    def add(self, contact: Contact, kind: str, month: int, day: int, year: int | None,
            person_name: str | None) -> None:
        person_name = (person_name or None) if kind != "birthday" else None
        exists = db.session.scalar(
            select(PersonalDate.id).where(
                PersonalDate.contact_id == contact.id, PersonalDate.kind == kind, PersonalDate.month == month,
                PersonalDate.day == day,
                PersonalDate.year.is_(None) if year is None else PersonalDate.year == year,
                PersonalDate.person_name.is_(None) if person_name is None
                else func.lower(PersonalDate.person_name) == person_name.lower(),
            ).limit(1)
        )
        if exists is not None:
            self.result.skipped += 1
            return
        services.create_date(contact, {"kind": kind, "month": month, "day": day, "year": year,
                                       "person_name": person_name}, actor=self.actor)
        self.result.dates += 1


# --- CSV -----------------------------------------------------------------------------------------


def _row_problems(row: dict[str, str], offices: dict[str, Office]) -> list[Any]:
    if "__extra__" in row:
        return [_l("more cells than columns")]
    problems = [_l("%(column)s is missing", column=name) for name in REQUIRED if not row.get(name)]
    for name in COLUMNS:
        value = row.get(name, "")
        if len(value) > 100 and name != "office":
            problems.append(_l("%(column)s is longer than %(limit)d characters", column=name, limit=100))
        if NOT_ONE_LINE.search(value):  # one-line fields: a line break could start a line in a mail
            problems.append(_l("%(column)s contains control characters", column=name))
    if row.get("office") and row["office"].strip().lower() not in offices:
        problems.append(_l("no office named '%(office)s'", office=row["office"][:60]))
    if row.get("kind") and row["kind"].strip().lower() not in KIND_VALUES:
        problems.append(_l("kind must be %(kinds)s", kinds=one_of(lambda: KIND_VALUES)))
    if row.get("date"):
        try:
            parse_date_text(row["date"])
        except DateTextError as exc:
            problems.append(_l("date %(problem)s", problem=exc))
    return problems


def import_csv(raw: bytes, *, actor: User | None, on_row: Callable[[int], None] | None = None) -> ImportResult:
    """Import ``office, first_name, last_name, kind, date, person_name`` rows. The caller commits.

    Offices must exist; contacts are found by name within the office or created. Raises ImportRejected with
    every bad line (and saves nothing) when any line is bad.
    """
    rows = read_table(raw, COLUMNS, REQUIRED, MAX_ROWS)
    names = {r["office"].strip().lower() for _, r in rows if r.get("office")}
    offices = {o.name.lower(): o for o in db.session.scalars(select(Office).where(func.lower(Office.name).in_(names)))}
    errors = [RowError(line, joined(p)) for line, row in rows if (p := _row_problems(row, offices))]
    if errors:
        raise ImportRejected(errors)
    writer = _Writer(actor)
    for _line, row in rows:
        if on_row is not None:  # the command's progress
            on_row(1)
        office = offices[row["office"].strip().lower()]
        contact = writer.contact(office, row["first_name"].strip(), row["last_name"].strip())
        month, day, year = parse_date_text(row["date"])
        writer.add(contact, row["kind"].strip().lower(), month, day, year, (row.get("person_name") or "").strip())
    return writer.result


# --- vCard ---------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    return str(value or "").strip()


def _card_name(card: Any) -> tuple[str, str]:
    n = card.contents.get("n")
    if n:
        value = n[0].value
        first = " ".join(x for x in [_text(value.given), _text(value.additional)] if x).strip()
        last = _text(value.family)
        if first or last:
            return first, last
    fn = _text(card.fn.value) if "fn" in card.contents else ""
    if " " in fn:
        first, last = fn.split(" ", 1)
        return first, last
    return fn, ""


def _omit_year(prop: Any) -> bool:
    params = {k.upper(): v for k, v in getattr(prop, "params", {}).items()}
    return str((params.get("X-APPLE-OMIT-YEAR") or [""])[0]).strip() != ""


def _date_of(prop: Any) -> tuple[int, int, int | None]:
    month, day, year = parse_date_text(_text(prop.value))
    if year is not None and _omit_year(prop):
        year = None
    return month, day, year


def _card_dates(card: Any) -> list[tuple[str, Any]]:
    found = [("birthday", p) for p in card.contents.get("bday", [])]
    for name in ANNIVERSARY_PROPS:
        found += [("wedding", p) for p in card.contents.get(name, [])]
    # Apple: itemN.X-ABDATE with itemN.X-ABLabel _$!<Anniversary>!$_
    labels = {getattr(p, "group", None): _text(p.value).lower() for p in card.contents.get("x-ablabel", [])}
    for prop in card.contents.get("x-abdate", []):
        if "anniversary" in labels.get(getattr(prop, "group", None), ""):
            found.append(("wedding", prop))
    return found


def parse_vcards(raw: bytes) -> list[Any]:
    import vobject

    if b"\x00" in raw:
        raise ImportRejected([RowError(1, _l("the file contains NUL bytes; it is not a vCard file"))])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    if "BEGIN:VCARD" not in text.upper():
        raise ImportRejected([RowError(1, _l("the file contains no vCard (BEGIN:VCARD is missing)"))])
    try:
        cards = [c for c in vobject.readComponents(text, ignoreUnreadable=False) if c.name.upper() == "VCARD"]
    except Exception as exc:  # vobject raises several kinds of errors on broken input
        line = getattr(exc, "lineNumber", None) or 1
        raise ImportRejected([RowError(int(line), _l("the file is not a valid vCard file (%(error)s)",
                                                               error=type(exc).__name__))]
                             ) from exc
    if not cards:
        raise ImportRejected([RowError(1, _l("the file contains no vCard"))])
    return cards


def import_vcards(raw: bytes, default_office: Office, *, actor: User | None) -> ImportResult:
    """Import contacts with BDAY / ANNIVERSARY / X-ANNIVERSARY dates; each card goes to the office named in
    its ORG when there is one, else to ``default_office``. All cards or none. The caller commits."""
    cards = parse_vcards(raw)
    errors: list[RowError] = []
    plan = []
    for number, card in enumerate(cards, start=1):
        first, last = _card_name(card)
        label = (_l("card %(num)d (%(name)s)", num=number, name=f"{first} {last}".strip()) if first or last
                 else _l("card %(num)d", num=number))
        dates = []
        for kind, prop in _card_dates(card):
            try:
                dates.append((kind, *_date_of(prop)))
            except DateTextError as exc:
                errors.append(RowError(number, _l("%(card)s: %(property)s %(problem)s", card=label,
                                                  property=prop.name.upper(), problem=exc)))
        if not dates:
            plan.append(None)
            continue
        if not first or not last:
            errors.append(RowError(number, _l("%(card)s: a contact needs a first and a last name (N or FN)",
                                              card=label)))
            continue
        if len(first) > 100 or len(last) > 100 or NOT_ONE_LINE.search(first + last):
            errors.append(RowError(number, _l("%(card)s: the name is too long or contains control characters",
                                              card=label)))
            continue
        org = _text(card.org.value[0]) if "org" in card.contents and card.org.value else ""
        email = _text(card.email.value) if "email" in card.contents else ""
        plan.append((first, last, org, email, dates))
    if errors:
        raise ImportRejected(errors)
    writer = _Writer(actor)
    for item in plan:
        if item is None:
            writer.result.no_dates += 1
            continue
        first, last, org, email, dates = item
        office = None
        if org:
            office = db.session.scalar(select(Office).where(func.lower(Office.name) == org.lower()).limit(1))
        extra = {"email": email} if email and len(email) <= 254 and valid_email(email) else {}
        contact = writer.contact(office or default_office, first, last, extra)
        for kind, month, day, year in dates:
            writer.add(contact, kind, month, day, year, None)
    return writer.result
