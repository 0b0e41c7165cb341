"""The columns of the office export: one row per contact (an office without contacts: one row of its own).

The same names head the CSV and XLSX export and are what ``praclox import offices`` reads back, in every
language: a file exported in Dutch imports on an English account. ``office_id`` and ``contact_id`` are the
stable key that lets an edited file update the records it came from instead of adding copies.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from praclox.offices.models import Contact, Office

#: export column -> (table, column) it shows; the processing-register test checks each is declared
SOURCES: dict[str, tuple[str, str]] = {
    "office_id": ("offices", "id"),
    "office": ("offices", "name"),
    "kind": ("offices", "kind"),
    "street": ("offices", "visit_street"),
    "postcode": ("offices", "visit_postcode"),
    "city": ("offices", "visit_city"),
    "office_phone": ("offices", "phone"),
    "office_email": ("offices", "email"),
    "website": ("offices", "website"),
    "kvk_number": ("offices", "kvk_number"),
    "contact_id": ("contacts", "id"),
    "first_name": ("contacts", "first_name"),
    "last_name": ("contacts", "last_name"),
    "job_title": ("contacts", "job_title"),
    "email": ("contacts", "email"),
    "phone": ("contacts", "phone"),
    "mobile": ("contacts", "mobile"),
}
COLUMNS = tuple(SOURCES)
#: import column -> office or contact attribute (the ids are the key, never written)
OFFICE_ATTRIBUTES = {"office": "name", "kind": "kind", "street": "visit_street", "postcode": "visit_postcode",
                     "city": "visit_city", "office_phone": "phone", "office_email": "email", "website": "website",
                     "kvk_number": "kvk_number"}
CONTACT_ATTRIBUTES = {"first_name": "first_name", "last_name": "last_name", "job_title": "job_title",
                      "email": "email", "phone": "phone", "mobile": "mobile"}


def _value(obj: Any, attribute: str) -> Any:
    value = getattr(obj, attribute) if obj is not None else None
    return "" if value is None else value


def office_rows(offices: Iterable[Office]) -> Iterator[list[Any]]:
    """A row per contact (active or not), or one row for an office without contacts; ``COLUMNS`` order."""
    for office in offices:
        head = [office.id, *(_value(office, a) for a in OFFICE_ATTRIBUTES.values())]
        people: list[Contact | None] = list(office.contacts) or [None]
        for contact in people:
            yield [*head, contact.id if contact is not None else "",
                   *(_value(contact, a) for a in CONTACT_ATTRIBUTES.values())]
