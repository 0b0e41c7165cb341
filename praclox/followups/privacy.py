"""Follow-ups hold a link to a contact and free text (title, details) that may name people.

The link is found like the contact (name, address, phone) and removed on erasure; the free text is read by
the subject search and redacted by erasure through ``RECORDS``. The follow-up stays: it is our work.
"""

from __future__ import annotations

from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from praclox.auth.models import User
from praclox.extensions import db
from praclox.followups.models import FollowUp
from praclox.offices.privacy import contact_identity, contact_key, matching_contacts
from praclox.privacy.records import Correctable, RecordKind
from praclox.privacy.registry import Hit, PersonalField, SubjectQuery

DOMAIN = "followups"
_KEPT = _l("Kept with the office; deleted with it. The contact link goes when the contact is deleted or erased.")

FIELDS: list[PersonalField] = [
    PersonalField("follow_ups", "contact_id", "relationship",
                  _l("Know which contact a promised call or task is about."), "legitimate interest", _KEPT),
    PersonalField("follow_ups", "title", "client history",
                  _l("Remember what we promised an office; it may name a person."), "legitimate interest", _KEPT),
    PersonalField("follow_ups", "description", "client history",
                  _l("Remember what we promised an office; it may name a person."), "legitimate interest", _KEPT),
]

#: the due date and when it was done say nothing about a person
NOT_PERSONAL: dict[str, tuple[str, ...]] = {"follow_ups": ("due_on", "done_at")}


def find(query: SubjectQuery) -> list[Hit]:
    """Follow-ups about a contact the query finds; the follow-up is kept on erasure, so its audit stays."""
    contacts = {c.id: c for c in matching_contacts(query)}
    if not contacts:
        return []
    rows = db.session.scalars(select(FollowUp).where(FollowUp.contact_id.in_(contacts)).order_by(FollowUp.id))
    return [
        Hit(DOMAIN, "follow_ups", row.id, contact_key(contacts[row.contact_id]),
            _("Follow-up about this contact, due %(day)s", day=format_date(row.due_on)),
            extra={"keep_audit": True}, identity=contact_identity(contacts[row.contact_id]))
        for row in rows
    ]


def export(hits: list[Hit]) -> dict[str, Any]:
    ids = [h.record_id for h in hits if h.domain == DOMAIN]
    rows = db.session.scalars(select(FollowUp).where(FollowUp.id.in_(ids)).order_by(FollowUp.id))
    return {"follow_ups": [
        {"id": f.id, "title": f.title, "description": f.description, "due_on": f.due_on.isoformat(),
         "contact_id": f.contact_id, "done": not f.is_open}
        for f in rows
    ]}


def erase(hits: list[Hit], *, actor: User | None) -> dict[str, int]:
    """Remove the contact link; the free text is redacted by the mentions step."""
    ids = [h.record_id for h in hits if h.domain == DOMAIN]
    if not ids:
        return {"follow_up_contact_links": 0}
    result = db.session.execute(update(FollowUp).where(FollowUp.id.in_(ids)).values(contact_id=None))
    return {"follow_up_contact_links": result.rowcount or 0}


def _save(follow_up: FollowUp, changes: dict[str, Any], *, actor: User | None) -> list[str]:
    """A correction goes through the same service (and checks) as a colleague's edit."""
    from praclox.followups import services

    return services.update(follow_up, {**{f: getattr(follow_up, f) for f in services.FIELDS}, **changes}, actor=actor)


RECORDS = [
    RecordKind("follow_ups", FollowUp, lambda f: _("Follow-up of %(office)s", office=f.office.name),
               free_text=("title", "description"),
               fields=(Correctable("title", _l("What"), required=True),
                       Correctable("description", _l("Details"), "long", 5000)),
               save=_save, scopes={"office_id": "office", "contact_id": "contact"}),
]
