"""The columns of the office export: one row per contact (an office without contacts: one row of its own).

The export's header speaks the user's language ("kantoornummer", "voornaam"); the import reads a column by
that label in Dutch or English or by its key (``office_id``, ``first_name``), so a file exported in Dutch
imports on an English account too. ``office_id`` and ``contact_id`` are the stable key that lets an edited
file update the records it came from instead of adding copies.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from praclox.offices.models import Contact, Office, OfficeKind

#: export column -> (table, column) it shows; the processing register lists them (``export_files``), and a test
#: checks each is declared
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
#: why a file holds a column that is no personal field (a personal field's purpose is the register's own)
PURPOSES: dict[str, Any] = {
    "office_id": _l("The key by which an edited file updates this office when it is imported back."),
    "contact_id": _l("The key by which an edited file updates this contact when it is imported back."),
    "kind": _l("Whether the office is a client or a prospect."),
}

#: the vCard 4.0 properties of a contact's card (``praclox.dataio.export.contact_card`` writes exactly these,
#: in this order): property -> (label, the fields it shows). Minimised like the calendar feed: no personal
#: dates, no names of children or partners, no notes, nothing from the history.
VCARD: dict[str, tuple[Any, tuple[tuple[str, str], ...]]] = {
    "UID": (_l("card number"), (("contacts", "id"),)),
    "FN": (_l("full name"), (("contacts", "first_name"), ("contacts", "last_name"))),
    "N": (_l("name"), (("contacts", "last_name"), ("contacts", "first_name"))),
    "ORG": (_l("office"), (("offices", "name"),)),
    "TITLE": (_l("job title"), (("contacts", "job_title"),)),
    "EMAIL": (_l("e-mail"), (("contacts", "email"),)),
    "TEL": (_l("phone and mobile"), (("contacts", "phone"), ("contacts", "mobile"))),
    "ADR": (_l("visiting address"), (("offices", "visit_street"), ("offices", "visit_city"),
                                     ("offices", "visit_postcode"))),
}
VCARD_PURPOSES: dict[str, Any] = {"UID": _l("Lets a phone update the card instead of adding a second one.")}


@dataclass(frozen=True)
class ExportColumn:
    """One column of an export file (a vCard property), the fields it shows and, when it is no personal
    field, why the file holds it."""

    name: str
    label: Any
    sources: tuple[tuple[str, str], ...]
    purpose: Any = None


@dataclass(frozen=True)
class ExportFile:
    """An export as the processing register lists it: its formats, what it is for and its columns."""

    title: Any
    formats: Any
    purpose: Any
    columns: tuple[ExportColumn, ...]


def export_files() -> list[ExportFile]:
    """Every office export with its columns, from the declarations the export itself writes from."""
    table = tuple(ExportColumn(c, LABELS[c], (SOURCES[c],), PURPOSES.get(c)) for c in COLUMNS)
    cards = tuple(ExportColumn(p, label, sources, VCARD_PURPOSES.get(p)) for p, (label, sources) in VCARD.items())
    return [
        ExportFile(_l("Offices with their contacts"), _l("CSV and XLSX"),
                   _l("Working on the office list in a spreadsheet, and importing the edited file back."), table),
        ExportFile(_l("Contacts as address cards"), _l("vCard"),
                   _l("Putting the contacts of offices in a phone or mail client."), cards),
    ]
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
