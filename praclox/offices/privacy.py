"""The personal data offices hold: contact persons, the history of contact moments, and an office's own
e-mail address or phone when it belongs to a person (a one-person practice)."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from praclox.extensions import db
from praclox.offices.models import Contact, Interaction, Office
from praclox.privacy.registry import Hit, PersonalField, SubjectQuery, like_pattern

#: what a person's name in a summary is replaced by when they are erased
MARKER = "[verwijderd]"

_OFFICE_PURPOSE = _l("Doing business with the office: contact, invoices and support.")
_OFFICE_RETENTION = _l("While the relationship lasts; a prospect without contact for 24 months is reviewed.")
_CONTACT_PURPOSE = _l("Reaching the right person at an office.")
_CONTACT_RETENTION = _l("While the person works at the office; when they leave, the record is reviewed.")
_HISTORY_PURPOSE = _l("Client history: knowing when we last spoke and what about.")
_HISTORY_RETENTION = _l("As long as the office is kept.")


def _office(column: str) -> PersonalField:
    return PersonalField("offices", column, "office details", _OFFICE_PURPOSE, "contract", _OFFICE_RETENTION)


def _contact(column: str) -> PersonalField:
    return PersonalField("contacts", column, "contact details", _CONTACT_PURPOSE, "legitimate interest",
                         _CONTACT_RETENTION)


OFFICE_COLUMNS = ("name", "visit_street", "visit_postcode", "visit_city", "postal_street", "postal_postcode",
                  "postal_city", "phone", "email", "website", "kvk_number", "notes")

FIELDS: list[PersonalField] = [
    *(_office(c) for c in OFFICE_COLUMNS),
    *(_contact(c) for c in ("first_name", "last_name", "job_title", "email", "phone", "mobile", "left_on")),
    PersonalField("interactions", "occurred_on", "client history", _HISTORY_PURPOSE, "legitimate interest",
                  _HISTORY_RETENTION),
    PersonalField("interactions", "summary", "client history", _HISTORY_PURPOSE, "legitimate interest",
                  _HISTORY_RETENTION, encrypted=True),
]

NOT_PERSONAL = {"offices": ("kind", "became_client_at"), "interactions": ("kind",)}


def _digits(text: str | None) -> str:
    """The last nine digits: +31 6 1234 5678 and 06-12345678 compare equal."""
    return re.sub(r"\D", "", text or "")[-9:]


def contact_key(contact: Contact) -> str:
    """The person key of a contact's hits (see ``Hit.person_key``): their address, else their name."""
    return contact.email.lower() if contact.email else contact.full_name.lower()


def matching_contacts(query: SubjectQuery) -> list[Contact]:
    """The contacts a subject query finds: part of the full name, the exact e-mail address, or the phone or
    mobile number written any way (+31 6 1234 5678 = 06-12345678). Other domains find their records that
    link to a contact through this, so every domain finds the same person the same way."""
    phone = _digits(query.phone)
    conditions = _contact_conditions(query, phone)
    if not conditions:
        return []
    found = db.session.scalars(select(Contact).where(or_(*conditions)).order_by(Contact.id))
    return [contact for contact in found if _contact_matches(contact, query, phone)]


def _contact_conditions(query: SubjectQuery, phone: str) -> list[Any]:
    conditions = []
    if query.name:
        like = like_pattern(query.name)
        conditions.append(func.lower(Contact.first_name + " " + Contact.last_name).like(like, escape="\\"))
    if query.email:
        conditions.append(func.lower(Contact.email) == query.email.strip().lower())
    if len(phone) >= 6:
        tail = f"%{phone[-4:]}%"
        conditions.append(or_(Contact.phone.like(tail), Contact.mobile.like(tail)))
    return conditions


def find(query: SubjectQuery) -> list[Hit]:
    """Contacts by name, e-mail or phone; offices whose own e-mail or phone is the person's."""
    phone = _digits(query.phone)
    hits: list[Hit] = [
        Hit("offices", "contacts", contact.id, contact_key(contact),
            _("Contact at %(office)s", office=contact.office.name))
        for contact in matching_contacts(query)
    ]
    hits.extend(_office_hits(query, phone))
    if query.name and len(query.name.strip()) >= 3:
        # a mention of a found contact's full name belongs to that contact
        keys = {c.full_name.lower(): h.person_key for h in hits if h.record_type == "contacts"
                and (c := db.session.get(Contact, h.record_id)) is not None}
        hits.extend(_mentions(query.name.strip(), keys))
    return hits


def _mentions(name: str, keys: dict[str, str]) -> list[Hit]:
    """History entries whose (encrypted) summary mentions the name: decrypted here, one batch at a time."""
    needle = name.lower()
    key = keys.get(needle, needle)
    stmt = (select(Interaction.id, Interaction.summary, Office.name).join(Office, Office.id == Interaction.office_id)
            .order_by(Interaction.id).execution_options(yield_per=500))
    return [
        Hit("offices", "interactions", item_id, key, _("Mentioned in the history of %(office)s", office=office),
            extra={"needle": name, "keep_audit": True})
        for item_id, summary, office in db.session.execute(stmt)
        if needle in summary.lower()
    ]


def _contact_matches(contact: Contact, query: SubjectQuery, phone: str) -> bool:
    if query.name and query.name.strip().lower() in contact.full_name.lower():
        return True
    if query.email and (contact.email or "").lower() == query.email.strip().lower():
        return True
    return bool(phone) and phone in {_digits(contact.phone), _digits(contact.mobile)}


def _office_hits(query: SubjectQuery, phone: str) -> list[Hit]:
    email = (query.email or "").strip().lower()
    conditions = []
    if email:
        conditions.append(func.lower(Office.email) == email)
    if len(phone) >= 6:
        conditions.append(Office.phone.like(f"%{phone[-4:]}%"))
    if not conditions:
        return []
    hits = []
    for office in db.session.scalars(select(Office).where(or_(*conditions)).order_by(Office.id)):
        by_email = bool(email) and (office.email or "").lower() == email
        if by_email or (phone and _digits(office.phone) == phone):
            key = email if email else f"phone:{phone}"
            hits.append(Hit("offices", "offices", office.id, key,
                            _("General e-mail or phone of %(office)s", office=office.name),
                            extra={"email": by_email, "phone": not by_email, "keep_audit": True}))
    return hits


def _row(obj: Any, columns: tuple[str, ...]) -> dict[str, Any]:
    return {c: _plain(getattr(obj, c)) for c in columns}


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def export(hits: list[Hit]) -> dict[str, Any]:
    """The contact records with their history, and the office fields that are the person's."""
    data: dict[str, list[dict[str, Any]]] = {"contacts": [], "interactions": [], "offices": []}
    for hit in hits:
        if hit.record_type == "contacts":
            contact = db.session.get(Contact, hit.record_id)
            if contact is None:
                continue
            data["contacts"].append({"id": contact.id, "office": contact.office.name, **_row(
                contact, ("first_name", "last_name", "job_title", "email", "phone", "mobile", "left_on"))})
            for item in db.session.scalars(select(Interaction).where(Interaction.contact_id == contact.id)
                                           .order_by(Interaction.occurred_on)):
                data["interactions"].append({"id": item.id, **_row(item, ("occurred_on", "kind", "summary"))})
        elif hit.record_type == "offices":
            office = db.session.get(Office, hit.record_id)
            if office is not None:
                data["offices"].append({"id": office.id, **_row(office, OFFICE_COLUMNS)})
        elif hit.record_type == "interactions":
            item = db.session.get(Interaction, hit.record_id)
            if item is not None and all(row["id"] != item.id for row in data["interactions"]):
                data["interactions"].append({"id": item.id, **_row(item, ("occurred_on", "kind", "summary"))})
    return {k: v for k, v in data.items() if v}


def _scrub(text: str, needles: list[str]) -> str:
    for needle in sorted({n for n in needles if n and len(n) >= 3}, key=len, reverse=True):
        text = re.sub(re.escape(needle), MARKER, text, flags=re.IGNORECASE)
    return text


def erase(hits: list[Hit]) -> dict[str, int]:
    """Delete the contacts (their dates go with them through ``contact_deleting``), replace their names
    in the office's history by a marker, and clear an office's e-mail or phone that is the person's."""
    from praclox.offices import services

    counts = {"contacts": 0, "summaries": 0, "office_fields": 0}
    for hit in hits:
        if hit.record_type == "contacts":
            contact = db.session.get(Contact, hit.record_id)
            if contact is None:
                continue
            needles = [contact.full_name, contact.first_name, contact.last_name, contact.email or "",
                       contact.phone or "", contact.mobile or ""]
            for item in db.session.scalars(select(Interaction).where(Interaction.office_id == contact.office_id)):
                scrubbed = _scrub(item.summary, needles)
                if scrubbed != item.summary:
                    item.summary = scrubbed
                    counts["summaries"] += 1
            services.delete_contact(contact)
            counts["contacts"] += 1
        elif hit.record_type == "offices":
            office = db.session.get(Office, hit.record_id)
            if office is None:
                continue
            fields = [f for f in ("email", "phone") if hit.extra.get(f)]
            services.update_office(office, dict.fromkeys(fields))
            counts["office_fields"] += len(fields)
        elif hit.record_type == "interactions":
            item = db.session.get(Interaction, hit.record_id)
            if item is not None:
                scrubbed = _scrub(item.summary, [str(hit.extra.get("needle", ""))])
                if scrubbed != item.summary:
                    item.summary = scrubbed
                    counts["summaries"] += 1
    db.session.flush()
    return counts
