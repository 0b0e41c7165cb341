"""The personal data offices hold: contact persons, the history of contact moments, and an office's own
e-mail address or phone when it belongs to a person (a one-person practice)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from praclox import phones
from praclox.auth.models import User
from praclox.db import like_pattern
from praclox.extensions import db
from praclox.offices.columns import export_files
from praclox.offices.models import Contact, Interaction, Office
from praclox.privacy.records import Correctable, RecordKind
from praclox.privacy.registry import Hit, Identity, PersonalField, SubjectQuery

_OFFICE_PURPOSE = _l("Doing business with the office: contact, invoices and support.")
_OFFICE_RETENTION = _l("While the relationship lasts; a prospect without contact for 24 months is reviewed.")
_CONTACT_PURPOSE = _l("Reaching the right person at an office.")
_CONTACT_RETENTION = _l("While the person works at the office; when they leave, the record is reviewed.")
_NOTES_PURPOSE = _l("Remembering what matters when working with this person, such as agreements and preferences.")
_HISTORY_PURPOSE = _l("Client history: knowing when we last spoke and what about.")
_HISTORY_RETENTION = _l("As long as the office is kept.")


def _office(column: str) -> PersonalField:
    return PersonalField("offices", column, "office details", _OFFICE_PURPOSE, "contract", _OFFICE_RETENTION)


def _contact(column: str) -> PersonalField:
    return PersonalField("contacts", column, "contact details", _CONTACT_PURPOSE, "legitimate interest",
                         _CONTACT_RETENTION)


OFFICE_COLUMNS = ("name", "name_block", "visit_street", "visit_postcode", "visit_city", "postal_street",
                  "postal_postcode", "postal_city", "phone", "email", "website", "kvk_number", "notes", "email_key",
                  "website_key", "phone_key")

CONTACT_COLUMNS = ("first_name", "last_name", "job_title", "email", "phone", "mobile", "left_on", "phone_key",
                   "mobile_key", "notes")

FIELDS: list[PersonalField] = [
    *(_office(c) for c in OFFICE_COLUMNS),
    *(_contact(c) for c in CONTACT_COLUMNS if c != "notes"),
    PersonalField("contacts", "notes", "contact details", _NOTES_PURPOSE, "legitimate interest", _CONTACT_RETENTION,
                  encrypted=True),
    PersonalField("interactions", "occurred_on", "client history", _HISTORY_PURPOSE, "legitimate interest",
                  _HISTORY_RETENTION),
    PersonalField("interactions", "summary", "client history", _HISTORY_PURPOSE, "legitimate interest",
                  _HISTORY_RETENTION, encrypted=True),
]

#: the office exports and their columns, for the processing register (the same declarations the export uses)
EXPORTS = export_files()

#: a tag names a segment of offices (sector, size, region), never a person: the tag form says so
NOT_PERSONAL = {"offices": ("kind", "became_client_at"), "interactions": ("kind", "edited_at"),
                "office_conversions": ("converted_at",), "tags": ("name", "tag_group")}


def contact_key(contact: Contact) -> str:
    """The person key of a contact's hits (see ``Hit.person_key``): their address, else their name."""
    return contact.email.lower() if contact.email else contact.full_name.lower()


def contact_identity(contact: Contact) -> Identity:
    """Who a contact is, for the search into free text: their own records, and their office nearby."""
    return Identity(names=(contact.full_name,), emails=(contact.email or "",),
                    phones=(contact.phone or "", contact.mobile or ""), first_names=(contact.first_name,),
                    last_names=(contact.last_name,), own=frozenset({("contact", contact.id)}),
                    near=frozenset({("office", contact.office_id)}))


def matching_contacts(query: SubjectQuery) -> list[Contact]:
    """The contacts a subject query finds: part of the full name, the exact e-mail address, or the phone or
    mobile number written any way (+31 6 1234 5678 = 06-12345678 = (06) 1234 5678). Other domains find their
    records that link to a contact through this, so every domain finds the same person the same way."""
    ids: set[int] = set()
    if query.name:
        like = like_pattern(query.name)
        full = func.lower(Contact.first_name + " " + Contact.last_name)
        ids.update(db.session.scalars(select(Contact.id).where(full.like(like, escape="\\"))))
    if query.email:
        ids.update(db.session.scalars(select(Contact.id).where(
            func.lower(Contact.email) == query.email.strip().lower())))
    if phones.normalise(query.phone):
        # numbers are stored as typed: compare them normalised, which SQL cannot do
        rows = db.session.execute(select(Contact.id, Contact.phone, Contact.mobile).where(
            or_(Contact.phone.is_not(None), Contact.mobile.is_not(None))))
        ids.update(i for i, phone, mobile in rows if phones.same_number(query.phone, phone)
                   or phones.same_number(query.phone, mobile))
    if not ids:
        return []
    return list(db.session.scalars(select(Contact).where(Contact.id.in_(ids)).order_by(Contact.id)))


def find(query: SubjectQuery) -> list[Hit]:
    """Contacts by name, e-mail or phone; offices whose own e-mail or phone is the person's. Free text that
    names them is found by ``praclox.privacy.mentions`` through RECORDS below."""
    hits: list[Hit] = [
        Hit("offices", "contacts", contact.id, contact_key(contact),
            _("Contact at %(office)s", office=contact.office.name), identity=contact_identity(contact))
        for contact in matching_contacts(query)
    ]
    return hits + _office_hits(query)


def _office_hits(query: SubjectQuery) -> list[Hit]:
    email = (query.email or "").strip().lower()
    phone = phones.normalise(query.phone)
    conditions = []
    if email:
        conditions.append(func.lower(Office.email) == email)
    if phone:
        conditions.append(Office.phone.is_not(None))
    if not conditions:
        return []
    hits = []
    for office in db.session.scalars(select(Office).where(or_(*conditions)).order_by(Office.id)):
        by_email = bool(email) and (office.email or "").lower() == email
        if by_email or phones.same_number(query.phone, office.phone):
            key = email if email else f"phone:{phone}"
            identity = Identity(emails=(office.email or "",) if by_email else (),
                                phones=() if by_email else (office.phone or "",))
            hits.append(Hit("offices", "offices", office.id, key,
                            _("General e-mail or phone of %(office)s", office=office.name),
                            extra={"email": by_email, "phone": not by_email, "keep_audit": True},
                            identity=identity))
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
                contact, CONTACT_COLUMNS)})
            for item in db.session.scalars(select(Interaction).where(Interaction.contact_id == contact.id)
                                           .order_by(Interaction.occurred_on)):
                data["interactions"].append({"id": item.id, **_row(item, ("occurred_on", "kind", "summary"))})
        elif hit.record_type == "offices":
            office = db.session.get(Office, hit.record_id)
            if office is not None:
                data["offices"].append({"id": office.id, **_row(office, OFFICE_COLUMNS)})
    return {k: v for k, v in data.items() if v}


def erase(hits: list[Hit], *, actor: User | None) -> dict[str, int]:
    """Delete the contacts (their dates go with them through ``contact_deleting``) and clear an office's
    e-mail or phone that is the person's. Their names in free text (the history included) are redacted by
    ``praclox.privacy.mentions`` afterwards."""
    from praclox.offices import services

    counts = {"contacts": 0, "office_fields": 0}
    for hit in hits:
        if hit.record_type == "contacts":
            contact = db.session.get(Contact, hit.record_id)
            if contact is not None:
                services.delete_contact(contact, actor=actor)
                counts["contacts"] += 1
        elif hit.record_type == "offices":
            office = db.session.get(Office, hit.record_id)
            if office is None:
                continue
            fields = [f for f in ("email", "phone") if hit.extra.get(f)]
            services.update_office(office, dict.fromkeys(fields), actor=actor)
            counts["office_fields"] += len(fields)
    db.session.flush()
    return counts


# --- what the privacy officer opens from a hit, and the free text the search reads ------------------


def _save_office(office: Office, changes: dict[str, Any], *, actor: User | None) -> list[str]:
    from praclox.offices import services

    return services.update_office(office, changes, actor=actor)


def _save_contact(contact: Contact, changes: dict[str, Any], *, actor: User | None) -> list[str]:
    from praclox.offices import services

    return services.update_contact(contact, changes, actor=actor)


def _save_interaction(item: Interaction, changes: dict[str, Any], *, actor: User | None) -> list[str]:
    from praclox.offices import services

    return services.update_summary(item, changes["summary"], actor=actor) if "summary" in changes else []


def _describe_interaction(item: Interaction) -> str:
    return _("History of %(office)s, %(day)s", office=item.office.name, day=item.occurred_on.isoformat())


RECORDS = [
    RecordKind("offices", Office, lambda o: _("Office %(office)s", office=o.name), free_text=("notes",),
               fields=(Correctable("name", _l("Name"), required=True),
                       Correctable("email", _l("E-mail"), "email"), Correctable("phone", _l("Phone"), "phone"),
                       Correctable("notes", _l("Notes"), "long", 5000)),
               save=_save_office, scopes={"id": "office"}),
    RecordKind("contacts", Contact, lambda c: _("Contact at %(office)s", office=c.office.name),
               free_text=("job_title", "notes"),
               fields=(Correctable("first_name", _l("First name"), max_length=100, required=True),
                       Correctable("last_name", _l("Last name"), max_length=100, required=True),
                       Correctable("job_title", _l("Job title"), max_length=120),
                       Correctable("email", _l("E-mail"), "email"), Correctable("phone", _l("Phone"), "phone"),
                       Correctable("mobile", _l("Mobile"), "phone"),
                       Correctable("notes", _l("Notes"), "long", 5000)),
               save=_save_contact, scopes={"id": "contact", "office_id": "office"}),
    RecordKind("interactions", Interaction, _describe_interaction, free_text=("summary",),
               fields=(Correctable("summary", _l("Summary"), "long", 10000, required=True),),
               save=_save_interaction, scopes={"contact_id": "contact", "office_id": "office"}),
]
