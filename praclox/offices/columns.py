"""The columns of the office export: one row per contact (an office without contacts: one row of its own).

The export's header speaks the user's language ("kantoornummer", "voornaam"); the import reads a column by
that label in Dutch or English or by its key (``office_id``, ``first_name``), so a file exported in Dutch
imports on an English account too. ``office_id`` and ``contact_id`` are the stable key that lets an edited
file update the records it came from instead of adding copies.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from praclox.offices.models import Contact, Office, OfficeKind

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


LABELS: dict[str, Any] = {
    "office_id": _l("office number"), "office": _l("office"), "kind": _l("kind"), "street": _l("visiting address"),
    "postcode": _l("postcode"), "city": _l("city"), "office_phone": _l("office phone"),
    "office_email": _l("office e-mail"), "website": _l("website"), "kvk_number": _l("KvK number"),
    "contact_id": _l("contact number"), "first_name": _l("first name"), "last_name": _l("last name"),
    "job_title": _l("job title"), "email": _l("e-mail"), "phone": _l("phone"), "mobile": _l("mobile"),
}
KIND_LABELS: dict[str, Any] = dict(OfficeKind.choices())
LANGUAGES = ("nl", "en")


def header() -> list[str]:
    """The column labels in the current language."""
    return [str(LABELS[c]) for c in COLUMNS]


def aliases() -> dict[str, str]:
    """Every name a column may have in an imported file (lower case) -> its key: the key itself and its
    label in each language."""
    names = {c: c for c in COLUMNS}
    for language in LANGUAGES:
        with force_locale(language):
            names.update({str(LABELS[c]).lower(): c for c in COLUMNS})
    return names


def kinds() -> dict[str, str]:
    """What an imported kind cell may say (lower case) -> the kind: the code or its label in each language."""
    names = {k: k for k in KIND_LABELS}
    for language in LANGUAGES:
        with force_locale(language):
            names.update({str(label).lower(): k for k, label in KIND_LABELS.items()})
    return names


def _value(obj: Any, attribute: str) -> Any:
    value = getattr(obj, attribute) if obj is not None else None
    return "" if value is None else value


def office_rows(offices: Iterable[Office]) -> Iterator[list[Any]]:
    """A row per contact (active or not), or one row for an office without contacts; ``COLUMNS`` order."""
    kind_names = {code: str(label) for code, label in KIND_LABELS.items()}
    kind_at = COLUMNS.index("kind")
    for office in offices:
        head = [office.id, *(_value(office, a) for a in OFFICE_ATTRIBUTES.values())]
        head[kind_at] = kind_names.get(office.kind, office.kind)
        people: list[Contact | None] = list(office.contacts) or [None]
        for contact in people:
            yield [*head, contact.id if contact is not None else "",
                   *(_value(contact, a) for a in CONTACT_ATTRIBUTES.values())]
