"""The personal data the privacy toolkit itself holds: who made a data-subject request, the hashed
e-mail addresses of erased people, the privacy officer's own details, and the audit trail."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from praclox.auth.models import User
from praclox.db import like_pattern
from praclox.extensions import db
from praclox.privacy.models import AUDIT_RETENTION_KEY, ERASED_MARKER, PrivacyRequest
from praclox.privacy.registry import Hit, PersonalField, SubjectQuery

_REQUEST_PURPOSE = _l("Answering data-subject requests within the legal term, and proving we did.")
_REQUEST_RETENTION = _l("Kept as proof; the requester's name and contact are removed when we erase them.")

FIELDS: list[PersonalField] = [
    PersonalField("privacy_requests", "requester_name", "data-subject requests", _REQUEST_PURPOSE,
                  "legal obligation", _REQUEST_RETENTION, visible_to=("privacy_officer",)),
    PersonalField("privacy_requests", "requester_contact", "data-subject requests", _REQUEST_PURPOSE,
                  "legal obligation", _REQUEST_RETENTION, visible_to=("privacy_officer",)),
    PersonalField("privacy_requests", "outcome", "data-subject requests", _REQUEST_PURPOSE,
                  "legal obligation", _REQUEST_RETENTION, visible_to=("privacy_officer",)),
    PersonalField("privacy_suppressions", "email_hash", "suppression list",
                  _l("Warning when a person who had their data erased is added again."), "legal obligation",
                  _l("Indefinitely; it is a keyed hash from which the address cannot be read back."),
                  visible_to=()),
    PersonalField("settings", "value", "privacy officer",
                  _l("Naming the privacy officer on the public privacy statement."), "legal obligation",
                  _l("While the person is the privacy officer."), visible_to=("admin",)),
    PersonalField("audit_entries", "actor_id", "audit trail",
                  _l("Accountability: who did what to which record, never the values."), "legal obligation",
                  AUDIT_RETENTION_KEY, visible_to=("privacy_officer",)),
    PersonalField("support_grants", "reason", "support access",
                  _l("Recording why an outside engineer could read data, and for how long."), "legal obligation",
                  AUDIT_RETENTION_KEY, visible_to=("admin", "privacy_officer")),
]

NOT_PERSONAL = {
    "privacy_requests": ("kind", "received_on", "due_on", "extension_reason", "status", "completed_on"),
    "privacy_tombstones": ("erased_at", "counts"),
    "support_grants": ("scope", "starts_at", "expires_at", "revoked_at"),
    "privacy_review_items": ("record_type", "record_id", "columns", "resolved_at", "resolution"),
}


def find(query: SubjectQuery) -> list[Hit]:
    """Requests made by this person (by name or by the e-mail/phone they gave)."""
    conditions = []
    if query.name:
        conditions.append(func.lower(PrivacyRequest.requester_name).like(like_pattern(query.name), escape="\\"))
    for value in (query.email, query.phone):
        if value and value.strip():
            conditions.append(func.lower(PrivacyRequest.requester_contact) == value.strip().lower())
    if not conditions:
        return []
    found = db.session.scalars(select(PrivacyRequest).where(or_(*conditions)).order_by(PrivacyRequest.id))
    hits = []
    for item in found:
        contact = (item.requester_contact or "").lower()
        key = contact if "@" in contact else (item.requester_name or contact).lower()
        hits.append(Hit("privacy", "privacy_requests", item.id, key,
                        _("Data-subject request #%(id)d", id=item.id), extra={"keep_audit": True}))
    return hits


def export(hits: list[Hit]) -> dict[str, Any]:
    rows = []
    for hit in hits:
        item = db.session.get(PrivacyRequest, hit.record_id)
        if item is not None:
            rows.append({"id": item.id, "requester_name": item.requester_name,
                         "requester_contact": item.requester_contact, "kind": item.kind,
                         "received_on": item.received_on.isoformat(), "status": item.status,
                         "outcome": item.outcome})
    return {"privacy_requests": rows} if rows else {}


def erase(hits: list[Hit], *, actor: User | None) -> dict[str, int]:
    """Keep the request as proof, without who made it."""
    count = 0
    for hit in hits:
        item = db.session.get(PrivacyRequest, hit.record_id)
        if item is not None:
            item.requester_name, item.requester_contact = ERASED_MARKER, None
            item.outcome = None
            count += 1
    db.session.flush()
    return {"requests_anonymised": count}


#: the privacy officer's own notes (visible to them only) and an admin's reason for support access, kept as proof
NOT_FREE_TEXT: dict[str, tuple[str, ...]] = {
    "privacy_requests": ("extension_reason", "outcome"), "support_grants": ("reason",),
}
