"""Every write path for attachments, and the queries the office and contact pages share.

The acting user is always an argument. An attachment and its stored file are written and removed in one
transaction; deleting an attachment, an office or a contact takes the files with it (``setup``), however
the deletion comes (a page, the erasure, a restore's ledger).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from praclox.attachments.models import FILE_TYPES, Attachment, AttachmentKind
from praclox.audit.models import AuditEntry
from praclox.audit.services import record as audit
from praclox.auth.models import User
from praclox.extensions import db
from praclox.files import checks, store
from praclox.offices.models import Contact, Office


class AttachmentError(ValueError):
    """The upload cannot be kept; ``code`` says why (``size``, ``type``, ``mismatch``, ``empty``, ``archive``,
    ``kind``, ``contact``)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def upload(office: Office, contact: Contact | None, *, filename: str, data: bytes, kind: str,
           actor: User | None) -> Attachment:
    """Check an upload by its content, encrypt it into the store and attach it; flushed, the caller commits."""
    if kind not in AttachmentKind.values():
        raise AttachmentError("kind")
    if contact is not None and contact.office_id != office.id:
        raise AttachmentError("contact")
    name = checks.stored_name(filename)
    try:
        file_type = checks.check_upload(name, data, FILE_TYPES)
    except checks.FileRejected as exc:
        raise AttachmentError(exc.code) from exc
    attachment = Attachment(office=office, contact=contact, kind=kind, original_name=name,
                            stored_name=store.put(data), file_type=file_type, size=len(data),
                            uploaded_by_id=getattr(actor, "id", None))
    db.session.add(attachment)
    db.session.flush()
    audit("create", attachment, fields=["kind", "original_name", "content", "contact_id"], actor=actor)
    return attachment


def read(attachment: Attachment, *, actor: User | None) -> bytes:
    """The decrypted bytes, for a download (audited as a view in the caller's transaction)."""
    data = store.read(attachment.stored_name)
    audit("view", attachment, actor=actor)
    return data


def delete(attachment: Attachment, *, actor: User | None) -> None:
    """Remove an attachment and its stored file in the current transaction (the caller commits)."""
    audit("delete", attachment, actor=actor)
    db.session.delete(attachment)  # its stored file goes in the same flush (``_going_with``)
    db.session.flush()


def for_office(office_id: int) -> list[Attachment]:
    """The office's attachments, its contacts' too (newest first)."""
    return list(db.session.scalars(select(Attachment).where(Attachment.office_id == office_id)
                                   .order_by(Attachment.uploaded_at.desc(), Attachment.id.desc())))


def for_contact(contact_id: int) -> list[Attachment]:
    return list(db.session.scalars(select(Attachment).where(Attachment.contact_id == contact_id)
                                   .order_by(Attachment.uploaded_at.desc(), Attachment.id.desc())))


def _going_with(session: Session, ctx: Any, instances: Any) -> None:
    """Before a flush that deletes offices, contacts or attachments: the offices' and contacts' attachments,
    and every deleted attachment's stored file, go in the same flush (the database's cascade would remove the
    attachment rows but leave their files)."""
    offices = [o.id for o in session.deleted if isinstance(o, Office) and o.id is not None]
    contacts = [c.id for c in session.deleted if isinstance(c, Contact) and c.id is not None]
    with session.no_autoflush:
        if offices or contacts:
            actor = _deleted_by(session, {"offices": set(offices), "contacts": set(contacts)})
            for attachment in session.scalars(select(Attachment).where(
                    Attachment.office_id.in_(offices) | Attachment.contact_id.in_(contacts))):
                if attachment not in session.deleted:
                    audit("delete", attachment, actor=actor)
                    session.delete(attachment)
        for attachment in [a for a in session.deleted if isinstance(a, Attachment)]:
            if attachment.file not in session.deleted:
                session.delete(attachment.file)


def _deleted_by(session: Session, ids: dict[str, set[int]]) -> User | None:
    """Who deleted (or merged away) the office or contact, from the audit entry its service wrote in this
    transaction: a flush listener is handed no user. ``None``: a system action."""
    for entry in session.new:
        if (isinstance(entry, AuditEntry) and entry.action in ("delete", "merge")
                and {entry.record_id, entry.merged_id} & ids.get(entry.record_type or "", set())):
            return session.get(User, entry.actor_id) if entry.actor_id is not None else None
    return None


def setup(app: Any) -> None:
    if not event.contains(Session, "before_flush", _going_with):
        event.listen(Session, "before_flush", _going_with)
