"""The personal data in the outbox: who a mail goes to and what it says, kept only until sent and a few days."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from praclox.auth.models import User
from praclox.extensions import db
from praclox.outbox.models import OutboxMail
from praclox.outbox.services import SENT_RETENTION
from praclox.privacy.registry import Hit, Identity, PersonalField, Retention, SubjectQuery

DOMAIN = "outbox"
_PURPOSE = _l("Sending the mails the CRM writes (confirmations, login links, notices, digests) with retries.")
#: the period is a live setting, filled in with its unit by the register
_RETENTION = Retention(_l("Until the mail is sent or given up, then deleted after %(period)s."), SENT_RETENTION)


def _field(column: str, category: str, encrypted: bool = False) -> PersonalField:
    return PersonalField("outbox_mails", column, category, _PURPOSE, "legitimate interest", _RETENTION,
                         encrypted=encrypted, visible_to=("admin",))


FIELDS: list[PersonalField] = [
    _field("recipient", "contact details"),
    _field("subject", "correspondence", encrypted=True),
    _field("body", "correspondence", encrypted=True),
    _field("headers", "correspondence", encrypted=True),
    _field("sent_at", "correspondence"),
]

NOT_PERSONAL: dict[str, tuple[str, ...]] = {
    "outbox_mails": ("dedup_key", "kind", "status", "attempts", "next_attempt_at", "send_before", "last_error"),
}


def find(query: SubjectQuery) -> list[Hit]:
    """Mails to this exact address (the text is encrypted and never searched by name)."""
    if not query.email:
        return []
    address = query.email.strip().lower()
    rows = db.session.scalars(
        select(OutboxMail).where(func.lower(OutboxMail.recipient) == address).order_by(OutboxMail.id)
    )
    return [Hit(DOMAIN, "outbox_mails", r.id, address, _("Outgoing mail (%(status)s)", status=r.status),
                identity=Identity(emails=(r.recipient,))) for r in rows]


def export(hits: list[Hit]) -> dict[str, Any]:
    """Every mail hit, with its text."""
    ids = [h.record_id for h in hits if h.domain == DOMAIN]
    rows = db.session.scalars(select(OutboxMail).where(OutboxMail.id.in_(ids)).order_by(OutboxMail.id))
    return {"outbox_mails": [{
        "id": r.id, "recipient": r.recipient, "subject": r.subject, "body": r.body, "headers": r.headers,
        "status": r.status,
        "created_at": r.created_at.isoformat(), "sent_at": r.sent_at.isoformat() if r.sent_at else None,
    } for r in rows]} if ids else {}


def erase(hits: list[Hit], *, actor: User | None) -> dict[str, int]:
    """Delete the mails hit: a queued mail to an erased person is never sent."""
    ids = [h.record_id for h in hits if h.domain == DOMAIN]
    rows = db.session.scalars(select(OutboxMail).where(OutboxMail.id.in_(ids))).all()
    for row in rows:
        db.session.delete(row)
    db.session.flush()
    return {"outbox_mails": len(rows)}


#: copies of mails, kept at most ``SENT_RETENTION`` days after sending: erasure deletes the mails to the
#: person's address; a digest to a colleague that names an erased contact is not searched and goes with its
#: retention (its text is encrypted at rest meanwhile)
NOT_FREE_TEXT: dict[str, tuple[str, ...]] = {"outbox_mails": ("subject", "body", "headers", "last_error")}
