"""Import offices and contacts from a spreadsheet (CSV, or XLSX as Excel saves it): all rows or none.

A file exported by the app carries ``office_id`` and ``contact_id``: with ``update`` an edited file changes
the records it came from (only the columns it has) instead of adding copies. Rows without ids are matched
by office name and contact name or e-mail as before. The caller commits, or rolls back for a dry run.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from praclox.auth.models import User
from praclox.extensions import db
from praclox.forms import NOT_ONE_LINE, PHONE
from praclox.importing import ImportRejected, RowError, joined, one_of, read_table, valid_email
from praclox.offices import services, twins
from praclox.offices.columns import COLUMNS, CONTACT_ATTRIBUTES, OFFICE_ATTRIBUTES, aliases, kinds
from praclox.offices.forms import POSTCODE
from praclox.offices.models import Contact, Office, OfficeKind

LIMITS = {"office": 200, "city": 100, "street": 200, "postcode": 10, "office_email": 254, "office_phone": 30,
          "website": 200, "first_name": 100, "last_name": 100, "job_title": 120, "email": 254, "phone": 30,
          "mobile": 30}
PHONES = ("office_phone", "phone", "mobile")
MAX_ROWS = 20000


@dataclass
class Change:
    """What one line did (or would do): a record created or updated, with the names of changed fields."""

    line: int
    record: str  # "office" or "contact"
    action: str  # "create" or "update"
    label: str
    fields: list[str] = field(default_factory=list)


@dataclass
class TwinWarning:
    """A new office that looks like one already there."""

    line: int
    label: str
    twin: Office
    reasons: list[str]


def change_label(change: Change) -> str:
    """A change of the import preview in words: "new office Jansen BV", "changes contact Ina Bos: phone"."""
    from flask_babel import gettext as _

    from praclox.privacy.labels import fields_label

    table = "offices" if change.record == "office" else "contacts"
    if change.action == "create":
        return _("new office %(name)s", name=change.label) if change.record == "office" else _(
            "new contact %(name)s", name=change.label)
    text = _("changes office %(name)s", name=change.label) if change.record == "office" else _(
        "changes contact %(name)s", name=change.label)
    return f"{text}: {fields_label(table, ','.join(change.fields))}"


def change_line(change: Change) -> str:
    """A change as the command line prints it: "line 3: changes office Jansen BV: Phone"."""
    from flask_babel import gettext as _

    return _("line %(line)d: %(change)s", line=change.line, change=change_label(change))


def warning_line(warning: TwinWarning) -> str:
    """A likely duplicate as the command line prints it."""
    from flask_babel import gettext as _

    return _("line %(line)d: new office %(name)s looks like office #%(id)d %(twin)s (%(reasons)s)",
             line=warning.line, name=warning.label, id=warning.twin.id, twin=warning.twin.name,
             reasons=twins.reasons_text(warning.reasons))


@dataclass
class ImportResult:
    offices: int = 0
    contacts: int = 0
    skipped: int = 0
    updated_offices: int = 0
    updated_contacts: int = 0
    changes: list[Change] = field(default_factory=list)
    warnings: list[TwinWarning] = field(default_factory=list)


def _excel_repairs(row: dict[str, str]) -> dict[str, str]:
    """Undo what Excel does to a CSV it opens: numbers lose their leading zero (KvK 01234567 -> 1234567,
    phone 0201234567 -> 201234567) and ids may come back as ``12.0``."""
    for name in ("office_id", "contact_id"):
        if re.fullmatch(r"\d+\.0", row.get(name, "")):
            row[name] = row[name][:-2]
    if re.fullmatch(r"\d{7}", row.get("kvk_number", "")):
        row["kvk_number"] = "0" + row["kvk_number"]
    for name in PHONES:
        if re.fullmatch(r"[1-9]\d{8}", row.get(name, "")):
            row[name] = "0" + row[name]
    return row


#: the kinds a cell may name, as the reader reads them (the cell may also give the code)
KINDS_ALLOWED = one_of(lambda: (str(kind.label).lower() for kind in OfficeKind))


def _row_problems(row: dict[str, str], kind_names: dict[str, str]) -> list[Any]:
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
    if row.get("kind") and row["kind"].lower() not in kind_names:
        problems.append(_l("kind must be %(kinds)s", kinds=KINDS_ALLOWED))
    for name in ("office_email", "email"):
        if row.get(name) and not valid_email(row[name]):
            problems.append(_l("%(column)s is not a valid e-mail address", column=name))
    for name in PHONES:
        if row.get(name) and not PHONE.match(row[name]):
            problems.append(_l("%(column)s is not a valid phone number", column=name))
    if row.get("postcode") and not POSTCODE.match(row["postcode"]):
        problems.append(_l("postcode is not a Dutch postcode such as 1234 AB"))
    if row.get("kvk_number") and not re.fullmatch(r"\d{8}", row["kvk_number"]):
        problems.append(_l("kvk_number must have eight digits"))
    if bool(row.get("first_name")) != bool(row.get("last_name")):
        problems.append(_l("a contact needs both a first and a last name"))
    return problems + _key_problems(row)


def _key_problems(row: dict[str, str]) -> list[Any]:
    """The ids must name records that exist, and a contact must belong to the office on its line."""
    problems: list[Any] = []
    for name in ("office_id", "contact_id"):
        if row.get(name) and not re.fullmatch(r"\d{1,10}", row[name]):
            problems.append(_l("%(column)s must be a number", column=name))
            return problems
    office_id, contact_id = row.get("office_id"), row.get("contact_id")
    if office_id and db.session.get(Office, int(office_id)) is None:
        problems.append(_l("office_id %(id)s does not exist (deleted or merged?)", id=office_id))
    if contact_id:
        contact = db.session.get(Contact, int(contact_id))
        if contact is None:
            problems.append(_l("contact_id %(id)s does not exist", id=contact_id))
        elif not office_id or contact.office_id != int(office_id):
            problems.append(_l("contact_id %(id)s does not belong to office_id %(office)s", id=contact_id,
                               office=office_id or "-"))
        elif not row.get("last_name"):
            problems.append(_l("a contact needs both a first and a last name"))
    return problems


def validate(raw: bytes) -> list[tuple[int, dict[str, str]]]:
    """Check the whole file; raise ImportRejected with every bad line, else return the rows."""
    table = read_table(raw, COLUMNS, ("office",), MAX_ROWS, aliases())
    rows = [(line, _excel_repairs(row)) for line, row in table]
    kind_names = kinds()
    errors = [RowError(line, joined(p)) for line, row in rows if (p := _row_problems(row, kind_names))]
    if errors:
        raise ImportRejected(errors)
    return rows


def _office_data(row: dict[str, str], kind_names: dict[str, str]) -> dict[str, Any]:
    data = {attribute: row[column] for column, attribute in OFFICE_ATTRIBUTES.items() if column in row}
    if "kind" in data:
        data["kind"] = kind_names.get(data["kind"].lower()) if data["kind"] else None
        if data["kind"] is None:
            del data["kind"]  # an empty cell leaves the kind as it is
    return data


def _contact_data(row: dict[str, str]) -> dict[str, Any]:
    return {attribute: row[column] for column, attribute in CONTACT_ATTRIBUTES.items() if column in row}


class _Run:
    def __init__(self, update: bool, result: ImportResult, actor: User | None) -> None:
        self.update = update
        self.actor = actor
        self.result = result
        self.by_name: dict[str, Office] = {}
        self.created: set[int] = set()
        self.kind_names = kinds()

    def office(self, line: int, row: dict[str, str]) -> Office:
        key = row["office"].strip().lower()
        if row.get("office_id"):
            office = db.session.get(Office, int(row["office_id"]))
            assert office is not None  # noqa: S101 -- checked by validate()  # nosec B101
        else:
            office = self.by_name.get(key) or db.session.scalar(select(Office).where(func.lower(Office.name) == key))
        data = _office_data(row, self.kind_names)
        if office is None:
            for pair in twins.office_twins(data):
                if pair.second.id not in self.created:
                    self.result.warnings.append(TwinWarning(line, row["office"], pair.second, pair.ordered_reasons))
            office = services.create_office({"kind": "prospect", **data}, actor=self.actor)
            self.created.add(office.id)
            self.result.offices += 1
            self.result.changes.append(Change(line, "office", "create", office.name))
        elif self.update and office.id not in self.created:
            changed = services.update_office(office, data, actor=self.actor)
            if changed:
                self.result.updated_offices += 1
                self.result.changes.append(Change(line, "office", "update", office.name, changed))
        self.by_name[key] = office
        return office

    def contact(self, line: int, office: Office, row: dict[str, str]) -> None:
        if row.get("contact_id"):
            existing = db.session.get(Contact, int(row["contact_id"]))
        elif not row.get("last_name"):
            return
        else:
            existing = _existing_contact(office, row)
        if existing is None:
            contact = services.create_contact(office, _contact_data(row), actor=self.actor)
            self.result.contacts += 1
            self.result.changes.append(Change(line, "contact", "create", contact.full_name))
        elif self.update:
            changed = services.update_contact(existing, _contact_data(row), actor=self.actor)
            if changed:
                self.result.updated_contacts += 1
                self.result.changes.append(Change(line, "contact", "update", existing.full_name, changed))
        else:
            self.result.skipped += 1


def import_offices(raw: bytes, *, update: bool = False, actor: User | None,
                   on_row: Callable[[int], None] | None = None) -> ImportResult:
    """Import a CSV or XLSX file; offices matched by ``office_id`` or name (case-insensitive), contacts by
    ``contact_id``, name or e-mail. With ``update`` matched records take the file's values.

    Raises ImportRejected (and adds nothing) when any line is bad. The caller commits (or rolls back: a dry
    run). New offices that look like existing ones are listed in ``warnings``.
    """
    result = ImportResult()
    for _line in import_rows(validate(raw), result, update=update, actor=actor):
        if on_row is not None:
            on_row(1)
    return result


def import_rows(rows: list[tuple[int, dict[str, str]]], result: ImportResult, *,
                update: bool = False, actor: User | None) -> Iterator[int]:
    """Import rows that ``validate`` passed, counting into ``result``; yields each row's line as it comes to it
    (the web import shows its progress from that). The caller commits once, after the last row (or rolls
    back: a dry run, or new offices in ``result.warnings`` the user did not allow)."""
    run = _Run(update, result, actor)
    for line, row in rows:
        yield line
        office = run.office(line, row)
        run.contact(line, office, row)


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
