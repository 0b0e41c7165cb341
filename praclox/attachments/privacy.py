"""Attachments may name people: their file names and content. One about a contact is found like the contact
(name, address, phone), exported with its content and erased with its stored file; an office's own documents
are the company's business records and go with the office.
"""

from __future__ import annotations

import base64
import dataclasses
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from praclox.attachments.models import Attachment
from praclox.auth.models import User
from praclox.extensions import db
from praclox.files import store
from praclox.offices.privacy import contact_identity, contact_key, matching_contacts
from praclox.privacy.registry import Hit, PersonalField, SubjectQuery

DOMAIN = "attachments"
_KEPT = _l("Kept with the office and deleted with it; a contact's attachments are deleted with the contact or "
           "when the contact is erased.")
_PURPOSE = _l("Keep the proposals, contracts and minutes of our work with an office.")


def _field(column: str, category: str, purpose: Any, encrypted: bool = False) -> PersonalField:
    return PersonalField("attachments", column, category, purpose, "legitimate interest", _KEPT, encrypted)


FIELDS: list[PersonalField] = [
    _field("contact_id", "relationship", _l("Know which contact a document is about.")),
    _field("original_name", "client history", _l("Show the name a document came with; it may name a person."),
           True),
    dataclasses.replace(_field("content", "client history", _PURPOSE, True), stored_in="file"),
]

#: what kind of document it is, its type, size and date say nothing about a person
NOT_PERSONAL: dict[str, tuple[str, ...]] = {"attachments": ("kind", "file_type", "size", "uploaded_at")}
#: the file name is about the document, and goes with it; the subject search finds it through the contact
NOT_FREE_TEXT: dict[str, tuple[str, ...]] = {"attachments": ("original_name",)}


def find(query: SubjectQuery) -> list[Hit]:
    """Attachments about a contact the query finds."""
    contacts = {c.id: c for c in matching_contacts(query)}
    if not contacts:
        return []
    rows = db.session.scalars(select(Attachment).where(Attachment.contact_id.in_(contacts)).order_by(Attachment.id))
    return [
        Hit(DOMAIN, "attachments", row.id, contact_key(contacts[row.contact_id]),
            _("Attachment about this contact: %(name)s", name=row.original_name),
            identity=contact_identity(contacts[row.contact_id]))
        for row in rows
    ]


def export(hits: list[Hit]) -> dict[str, Any]:
    """The attachments with their content (base64), as the applicants' documents are exported."""
    ids = [h.record_id for h in hits if h.domain == DOMAIN]
    rows = db.session.scalars(select(Attachment).where(Attachment.id.in_(ids)).order_by(Attachment.id))
    return {"attachments": [
        {"id": a.id, "kind": a.kind, "original_name": a.original_name, "size": a.size,
         "uploaded_at": a.uploaded_at.isoformat(), "contact_id": a.contact_id,
         "content": base64.b64encode(store.read(a.stored_name)).decode("ascii")}
        for a in rows
    ]}


def erase(hits: list[Hit], *, actor: User | None) -> dict[str, int]:
    """Delete the attachments and their stored files (the caller commits; the disk is settled after)."""
    from praclox.attachments import services

    erased = 0
    for hit in hits:
        attachment = db.session.get(Attachment, hit.record_id) if hit.domain == DOMAIN else None
        if attachment is not None:  # the contact's deletion may have taken it already
            services.delete(attachment, actor=None)
            erased += 1
    return {"attachments": erased}
