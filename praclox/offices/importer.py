"""Import offices and contacts from a spreadsheet export: all rows or none."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from praclox.extensions import db
from praclox.forms import NOT_ONE_LINE, PHONE
from praclox.importing import ImportRejected, RowError, joined, read_table, valid_email
from praclox.offices import services
from praclox.offices.models import Contact, Office, OfficeKind

#: the Dutch word a spreadsheet may use for a client
KLANT = "klant"

COLUMNS = (
    "office", "kind", "city", "office_email", "office_phone", "first_name", "last_name", "job_title", "email",
    "phone",
)
LIMITS = {"office": 200, "city": 100, "office_email": 254, "office_phone": 30, "first_name": 100,
          "last_name": 100, "job_title": 120, "email": 254, "phone": 30}
MAX_ROWS = 20000


@dataclass
class ImportResult:
    offices: int = 0
    contacts: int = 0
    skipped: int = 0


def _row_problems(row: dict[str, str]) -> list[Any]:
    """What is wrong with a row, as lazy strings: the web page and the command line each say it in their reader's
    language. Column names stay as the file has them."""
    problems: list[Any] = []
    if "__extra__" in row:
        return [_l("more cells than columns")]
    if not row.get("office"):
        problems.append(_l("office name is missing"))
    for name, limit in LIMITS.items():
        value = row.get(name, "")
        if len(value) > limit:
            problems.append(_l("%(column)s is longer than %(limit)d characters", column=name, limit=limit))
        if NOT_ONE_LINE.search(value):  # one-line fields: a line break could start a line in a mail
            problems.append(_l("%(column)s contains control characters", column=name))
    if row.get("kind") and row["kind"].lower() not in (*OfficeKind.values(), KLANT):
        problems.append(_l("kind must be client or prospect"))
    for name in ("office_email", "email"):
        if row.get(name) and not valid_email(row[name]):
            problems.append(_l("%(column)s is not a valid e-mail address", column=name))
    for name in ("office_phone", "phone"):
        if row.get(name) and not PHONE.match(row[name]):
            problems.append(_l("%(column)s is not a valid phone number", column=name))
    if bool(row.get("first_name")) != bool(row.get("last_name")):
        problems.append(_l("a contact needs both a first and a last name"))
    return problems


def validate(raw: bytes) -> list[tuple[int, dict[str, str]]]:
    """Check the whole file; raise ImportRejected with every bad line, else return the rows."""
    rows = read_table(raw, COLUMNS, ("office",), MAX_ROWS)
    errors = [RowError(line, joined(p)) for line, row in rows if (p := _row_problems(row))]
    if errors:
        raise ImportRejected(errors)
    return rows


def import_offices(raw: bytes, *, on_row: Callable[[int], None] | None = None) -> ImportResult:
    """Import a CSV export; offices matched by name (case-insensitive), contacts by name or e-mail.

    Raises ImportRejected (and adds nothing) when any line is bad. The caller commits.
    """
    result = ImportResult()
    for _row in import_rows(validate(raw), result):
        if on_row is not None:
            on_row(1)
    return result


def import_rows(rows: list[tuple[int, dict[str, str]]], result: ImportResult) -> Iterator[int]:
    """Import rows that ``validate`` passed, counting into ``result``; yields each row's line as it comes to it
    (the web import shows its progress from that). The caller commits once, after the last row."""
    by_name: dict[str, Office] = {}
    for line, row in rows:
        yield line
        key = row["office"].strip().lower()
        office = by_name.get(key) or db.session.scalar(select(Office).where(func.lower(Office.name) == key))
        if office is None:
            named = row.get("kind", "").lower()
            kind = OfficeKind.CLIENT if named in (OfficeKind.CLIENT, KLANT) else OfficeKind.PROSPECT
            office = services.create_office(
                {"name": row["office"], "kind": kind, "visit_city": row.get("city"),
                 "email": row.get("office_email"), "phone": row.get("office_phone")}
            )
            result.offices += 1
        by_name[key] = office
        if not row.get("last_name"):
            continue
        if _existing_contact(office, row):
            result.skipped += 1
            continue
        services.create_contact(
            office,
            {"first_name": row["first_name"], "last_name": row["last_name"],
             "job_title": row.get("job_title"), "email": row.get("email"), "phone": row.get("phone")},
        )
        result.contacts += 1


def _existing_contact(office: Office, row: dict[str, str]) -> Contact | None:
    email = (row.get("email") or "").lower()
    for contact in office.contacts:
        if email and (contact.email or "").lower() == email:
            return contact
        if (contact.first_name.lower(), contact.last_name.lower()) == (
            (row.get("first_name") or "").lower(), row["last_name"].lower()
        ):
            return contact
    return None

