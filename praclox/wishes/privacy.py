"""Wishes hold one personal link: which contact asked. Erasure removes the link, the wish stays."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from praclox.auth.models import User
from praclox.extensions import db
from praclox.offices.privacy import contact_identity, contact_key, matching_contacts
from praclox.privacy.records import Correctable, RecordKind
from praclox.privacy.registry import Hit, PersonalField, SubjectQuery
from praclox.wishes.models import Wish

DOMAIN = "wishes"

FIELDS: list[PersonalField] = [
    PersonalField(
        "wishes", "requested_by_id", "relationship", _l("Know which contact asked for a feature."),
        "legitimate interest", _l("Kept with the wish; the link goes when the contact is deleted or erased."),
    ),
]


def find(query: SubjectQuery) -> list[Hit]:
    """Wishes requested by a contact that the query finds (by name, address or phone). The wish stays on
    erasure, so its audit history (which holds no values) stays too."""
    contacts = {c.id: c for c in matching_contacts(query)}
    if not contacts:
        return []
    rows = db.session.scalars(select(Wish).where(Wish.requested_by_id.in_(contacts)).order_by(Wish.id))
    return [
        Hit(DOMAIN, "wishes", wish.id, contact_key(contacts[wish.requested_by_id]),
            _("Asked for the wish “%(title)s”", title=wish.title),
            extra={"keep_audit": True}, identity=contact_identity(contacts[wish.requested_by_id]))
        for wish in rows
    ]


def export(hits: list[Hit]) -> dict[str, Any]:
    """The wishes the person asked for (title, status, date) with the requester link."""
    ids = [h.record_id for h in hits if h.domain == DOMAIN]
    wishes = db.session.scalars(select(Wish).where(Wish.id.in_(ids)).order_by(Wish.id))
    return {"wishes": [
        {"id": w.id, "title": w.title, "status": w.status, "requested_on": w.requested_on.isoformat(),
         "requested_by_id": w.requested_by_id}
        for w in wishes
    ]}


def erase(hits: list[Hit], *, actor: User | None) -> dict[str, int]:
    """Remove the person as requester; the wish stays with the office."""
    ids = [h.record_id for h in hits if h.domain == DOMAIN]
    if not ids:
        return {"wish_requester_links": 0}
    result = db.session.execute(update(Wish).where(Wish.id.in_(ids)).values(requested_by_id=None))
    return {"wish_requester_links": result.rowcount or 0}


#: A wish is the office's business request, not data about a person; only the requester link is personal.
NOT_PERSONAL: dict[str, tuple[str, ...]] = {
    "wishes": ("title", "description", "status", "priority", "requested_on", "target_date", "done_on"),
}


def _save(wish: Wish, changes: dict[str, Any], *, actor: User | None) -> list[str]:
    """A correction goes through the same service (and checks) as a colleague's edit."""
    from praclox.wishes import services

    return services.update_wish(wish, {**{f: getattr(wish, f) for f in services.FIELDS}, **changes}, actor=actor)


#: the title and description are the office's words, but they may name a person: the subject search reads them
RECORDS = [
    RecordKind("wishes", Wish, lambda w: _("Wish of %(office)s", office=w.office.name),
               free_text=("title", "description"),
               fields=(Correctable("title", _l("Title"), required=True),
                       Correctable("description", _l("Description"), "long", 5000)),
               save=_save, scopes={"office_id": "office", "requested_by_id": "contact"}),
]
