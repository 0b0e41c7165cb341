"""Applicants' documents (a CV, a letter): checked by content, kept encrypted in the shared file store."""

from __future__ import annotations

from praclox.applicants.models import DOCUMENT_KINDS, Applicant, Document, FileType
from praclox.applicants.services import ApplicantError
from praclox.audit.services import record as audit
from praclox.auth.models import User
from praclox.clock import today
from praclox.extensions import db
from praclox.files import checks, store
from praclox.files.checks import MAX_BYTES, MAX_MB, MAX_NAME, stored_name  # noqa: F401  (the views and tests read them here)

#: an applicant sends a CV or a letter: these types only
ALLOWED = FileType.values()


class DocumentRejected(ApplicantError):
    """The upload is not what it must be; ``code`` says what (``size``, ``type``, ``mismatch``, ``empty``,
    ``archive``, ``kind``)."""


def check_upload(filename: str, data: bytes) -> str:
    """Return the checked type of an upload or raise DocumentRejected with the reason."""
    try:
        return checks.check_upload(filename, data, ALLOWED)
    except checks.FileRejected as exc:
        raise DocumentRejected(exc.code) from exc


def store_document(applicant: Applicant, *, filename: str, data: bytes, kind: str, actor: User | None) -> Document:
    """Check, encrypt and store an upload; the row and its file are flushed together, the caller commits."""
    if kind not in DOCUMENT_KINDS:
        raise DocumentRejected("kind")
    safe_name = stored_name(filename)
    file_type = check_upload(safe_name, data)
    document = Document(
        applicant=applicant, kind=kind, original_name=safe_name, stored_name=store.put(data),
        file_type=file_type, size=len(data),
    )
    db.session.add(document)
    applicant.last_activity_on = today()
    db.session.flush()
    audit("create", document, fields=["kind", "original_name", "content"], actor=actor)
    return document


def read_document(document: Document) -> bytes:
    """The decrypted bytes of a stored document."""
    return store.read(document.stored_name)


def delete_document(document: Document, *, actor: User | None) -> None:
    """Remove a document and its stored file in the current transaction (the caller commits)."""
    audit("delete", document, actor=actor)
    name = document.stored_name
    db.session.delete(document)
    db.session.flush()
    store.remove([name])
