"""Wishes hold one personal link: which contact asked. Erasure removes the link, the wish stays."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select, update

from praclox.extensions import db
from praclox.offices.models import Contact
from praclox.privacy.registry import Hit, PersonalField, SubjectQuery
from praclox.wishes.models import Wish

DOMAIN = "wishes"

FIELDS: list[PersonalField] = [
    PersonalField(
        "wishes", "requested_by_id", "relationship", "Know which contact asked for a feature.",
        "legitimate interest", "with the wish; the link goes when the contact is deleted or erased",
    ),
]


def find(query: SubjectQuery) -> list[Hit]:
    """Wishes requested by a contact with this address or full name."""
    conditions = []
    if query.email:
        conditions.append(func.lower(Contact.email) == query.email.strip().lower())
    if query.name:
        full = func.lower(Contact.first_name + " " + Contact.last_name)
        conditions.append(full == query.name.strip().lower())
    if not conditions:
        return []
    rows = db.session.execute(
        select(Wish.id, Contact.email, Contact.first_name, Contact.last_name)
        .join(Contact, Wish.requested_by_id == Contact.id).where(or_(*conditions)).order_by(Wish.id)
    ).all()
    return [
        Hit(DOMAIN, "wishes", row.id, (row.email or f"{row.first_name} {row.last_name}").lower(),
            "Requester of a wish")
        for row in rows
    ]


def export(hits: list[Hit]) -> dict[str, Any]:
    """The wishes the person asked for (title, status, date)."""
    ids = [h.record_id for h in hits if h.domain == DOMAIN]
    wishes = db.session.scalars(select(Wish).where(Wish.id.in_(ids)).order_by(Wish.id))
    return {"wishes_requested": [
        {"id": w.id, "title": w.title, "status": w.status, "requested_on": w.requested_on.isoformat()}
        for w in wishes
    ]}


def erase(hits: list[Hit]) -> dict[str, int]:
    """Remove the person as requester; the wish stays with the office."""
    ids = [h.record_id for h in hits if h.domain == DOMAIN]
    if not ids:
        return {"wish_requester_links": 0}
    result = db.session.execute(update(Wish).where(Wish.id.in_(ids)).values(requested_by_id=None))
    return {"wish_requester_links": result.rowcount or 0}


#: A wish is the office's business request, not data about a person; only the requester link is personal.
NOT_PERSONAL: dict[str, tuple[str, ...]] = {
    "wishes": ("title", "description", "status", "priority", "requested_on", "target_date"),
}
