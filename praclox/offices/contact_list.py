"""The contacts list across offices: search by name, e-mail, phone (any spelling) and job title, sorted in SQL."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import ColumnElement, Select, false, func, or_, select

from praclox import phones
from praclox.extensions import db
from praclox.offices.models import Contact, Interaction, Office, Tag, office_tags
from praclox.offices.services import last_contact_dates

SORTS: dict[str, tuple[Any, ...]] = {
    "name": (Contact.last_name, Contact.first_name, Contact.id),
    "office": (Office.name, Contact.last_name, Contact.first_name, Contact.id),
    "job_title": (Contact.job_title.is_(None), Contact.job_title, Contact.last_name, Contact.id),
    "updated": (Contact.updated_at.desc(), Contact.id.desc()),
}
#: what a search that is a phone number may hold besides digits
_PHONE_LIKE = re.compile(r"[\d\s+\-./()]+")
#: fewer digits than this find too much to mean a phone number
_MIN_PHONE_DIGITS = 4
#: a whole number in normal form: country code 31 and nine digits (or a longer foreign number)
_WHOLE_NUMBER = 11


#: what a row of the list shows: the contact's columns and its office's name, not whole records
ROW_COLUMNS = (Contact.id, Contact.office_id, Contact.first_name, Contact.last_name, Contact.active,
               Contact.job_title, Contact.email, Contact.phone, Contact.mobile, Office.name.label("office_name"))


def conditions(query: str = "", tag_id: int | None = None) -> list[ColumnElement[bool]]:
    """Contacts whose name, e-mail, job title or phone number matches ``query``, at offices with the tag
    ``tag_id`` when given."""
    found: list[ColumnElement[bool]] = []
    if query.strip():
        found.append(matches(query.strip()))
    if tag_id is not None:
        found.append(Contact.office_id.in_(select(office_tags.c.office_id).where(office_tags.c.tag_id == tag_id)))
    return found


def contact_rows(where: list[ColumnElement[bool]], sort: str = "name") -> Select[Any]:
    """The contacts of ``conditions``, sorted, as the few columns a row of the list shows (with the office's
    name: no query per row; the encrypted notes are not read)."""
    return select(*ROW_COLUMNS).join(Contact.office).where(*where).order_by(*SORTS.get(sort, SORTS["name"]))


def contact_count(where: list[ColumnElement[bool]]) -> int:
    """How many contacts ``conditions`` finds, counted from the conditions alone (no join, no sort)."""
    return db.session.scalar(select(func.count()).select_from(Contact).where(*where)) or 0


def matches(query: str) -> ColumnElement[bool]:
    """A query that is a phone number (digits and separators only) is looked for in the numbers alone; any other
    through the search index (``praclox.search``): every word a word, or the beginning of one, of the contact's
    name, e-mail address or job title."""
    from praclox.search.services import contact_ids

    if _PHONE_LIKE.fullmatch(query) and len(re.sub(r"\D", "", query)) >= _MIN_PHONE_DIGITS:
        return _phone_matches(query)
    found = contact_ids(query)
    return false() if found is None else Contact.id.in_(found)


def _phone_matches(query: str) -> ColumnElement[bool]:
    """A number written any way finds the contact: the whole number by its normal form (an index lookup), or part
    of a number by a run of its digits ("1234 5678" finds 06-12345678)."""
    whole = phones.normalise(query)
    if len(whole) >= _WHOLE_NUMBER:
        return or_(Contact.phone_key == whole, Contact.mobile_key == whole)
    parts = {re.sub(r"\D", "", query), whole} - {""}
    return or_(*(key.like(f"%{part}%") for key in (Contact.phone_key, Contact.mobile_key) for part in parts))



def last_contact_by_contact(contact_ids: list[int]) -> dict[int, Any]:
    """The last contact moment per contact, for one page of the list in one query."""
    return last_contact_dates(contact_ids, by=Interaction.contact_id)


def filter_tags() -> list[Tag]:
    """The tags the list filters on (every office tag, by group and name)."""
    return list(db.session.scalars(select(Tag).order_by(Tag.tag_group, Tag.name)))
