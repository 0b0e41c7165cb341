"""Applicants' documents: type checked by content, encrypted at rest under a random name, outside static/."""

from __future__ import annotations

import io
import logging
import os
import secrets
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cryptography.fernet import InvalidToken, MultiFernet
from flask import current_app
from sqlalchemy import event, select

from praclox import crypto
from praclox.applicants.models import DOCUMENT_KINDS, Applicant, Document, FileType
from praclox.applicants.services import ApplicantError
from praclox.audit.services import record as audit
from praclox.clock import today
from praclox.extensions import db
from praclox.instance_files import private_folder

log = logging.getLogger("praclox.applicants")

#: the largest upload, in MB (the form and its error message say it)
MAX_MB = 10
MAX_BYTES = MAX_MB * 1024 * 1024
#: a DOCX or ODT whose members together inflate past this, or that holds more entries, is refused: a word
#: processor opening it (the recruiter's, or ours if we ever index) would unpack all of it
MAX_INFLATED_BYTES = 100 * 1024 * 1024
MAX_ENTRIES = 1000
#: the longest document name kept; longer names are cut in the middle, never at the extension
MAX_NAME = 200
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
EXTENSIONS = {t.value: t.label for t in FileType}


class DocumentRejected(ApplicantError):
    """The upload is not what it must be; ``code`` says what (``size``, ``type``, ``mismatch``, ``empty``,
    ``archive``)."""


def stored_name(filename: str) -> str:
    """The name kept and used at download: the last path part, at most MAX_NAME characters, its extension kept."""
    name = Path(filename.replace("\\", "/")).name
    if len(name) <= MAX_NAME:
        return name
    stem, dot, extension = name.rpartition(".")
    if not dot or len(extension) > 10:
        return name[:MAX_NAME]
    return stem[:MAX_NAME - len(extension) - 1] + "." + extension


def check_archive(archive: zipfile.ZipFile) -> None:
    """Refuse a zip whose members would inflate past MAX_INFLATED_BYTES or that holds more than MAX_ENTRIES.

    The declared sizes are checked first (cheap); then every member is inflated in chunks and counted, because a
    crafted archive can declare small sizes (zipfile also stops at the declared size and checks the CRC).
    """
    members = archive.infolist()
    if len(members) > MAX_ENTRIES or sum(m.file_size for m in members) > MAX_INFLATED_BYTES:
        raise DocumentRejected("archive")
    total = 0
    for member in members:
        with archive.open(member) as handle:
            while chunk := handle.read(1024 * 1024):
                total += len(chunk)
                if total > MAX_INFLATED_BYTES:
                    raise DocumentRejected("archive")


def storage_dir() -> Path:
    return private_folder(Path(current_app.instance_path) / "documents")


def sniff(data: bytes) -> str | None:
    """The document type the bytes really are: ``pdf``, ``docx``, ``odt`` or None."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_archive(archive)
            names = set(archive.namelist())
            if "mimetype" in names:
                info = archive.getinfo("mimetype")
                if info.file_size <= 100 and archive.read("mimetype").strip() == ODT_MIMETYPE:
                    return "odt"
                return None
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return "docx"
    except DocumentRejected:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
        return None
    return None


def check_upload(filename: str, data: bytes) -> str:
    """Return the checked type of an upload or raise DocumentRejected with the reason.

    ``filename`` must be the name that will be stored (``stored_name``): that is the name the download carries.
    """
    if not data:
        raise DocumentRejected("empty")
    if len(data) > MAX_BYTES:
        raise DocumentRejected("size")
    kind = sniff(data)
    if kind is None:
        raise DocumentRejected("type")
    if not filename.lower().endswith(EXTENSIONS[kind]):
        raise DocumentRejected("mismatch")
    return kind


def store_document(applicant: Applicant, *, filename: str, data: bytes, kind: str) -> Document:
    """Check, encrypt and store an upload; the row is flushed, the caller commits."""
    if kind not in DOCUMENT_KINDS:
        raise DocumentRejected("kind")
    safe_name = stored_name(filename)
    file_type = check_upload(safe_name, data)
    disk_name = secrets.token_hex(16)
    path = storage_dir() / disk_name
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(crypto.encrypt(data))
    document = Document(
        applicant=applicant, kind=kind, original_name=safe_name, stored_name=disk_name,
        file_type=file_type, size=len(data),
    )
    db.session.add(document)
    applicant.last_activity_on = today()
    try:
        db.session.flush()
    except Exception:
        path.unlink(missing_ok=True)
        raise
    audit("create", document, fields=["kind", "original_name", "content"])
    return document


def read_document(document: Document) -> bytes:
    """The decrypted bytes of a stored document."""
    return crypto.decrypt((storage_dir() / document.stored_name).read_bytes())


def delete_document(document: Document) -> str:
    """Remove a document row; returns the stored name, whose file the caller removes after the commit."""
    audit("delete", document)
    stored = document.stored_name
    db.session.delete(document)
    db.session.flush()
    return stored


_PENDING = "praclox_documents_to_remove"


def remove_after_commit(stored_names: list[str]) -> None:
    """Unlink these files once the current transaction commits (and forget them if it rolls back)."""
    session = db.session()
    session.info.setdefault(_PENDING, []).extend(stored_names)
    if not event.contains(session, "after_commit", _remove_pending):
        event.listen(session, "after_commit", _remove_pending)
        event.listen(session, "after_rollback", _forget_pending)


def _remove_pending(session: Any) -> None:
    names = session.info.pop(_PENDING, [])
    if names:
        remove_files(names)


def _forget_pending(session: Any) -> None:
    session.info.pop(_PENDING, None)


def remove_files(stored_names: list[str]) -> int:
    """Unlink stored files (after their rows are committed away); returns how many could not be removed."""
    failed = 0
    # plain strings, not pathlib: pathlib interns every path part, and 50,000 random names would stay
    # in the interpreter's table of interned strings
    base = str(storage_dir())
    for name in stored_names:
        try:
            os.unlink(os.path.join(base, name))
        except FileNotFoundError:
            continue
        except OSError:
            failed += 1
    if failed:
        log.error("%d document file(s) could not be removed", failed)
    return failed


# --- key rotation (``praclox keys rotate``) and the key checks (praclox/privacy/keys.py) ---------------


def _documents_after(last_id: int, limit: int) -> list[tuple[int, str]]:
    rows = db.session.execute(select(Document.id, Document.stored_name).where(Document.id > last_id)
                              .order_by(Document.id).limit(limit)).all()
    db.session.rollback()  # no transaction stays open while files are read and written
    return [(row.id, row.stored_name) for row in rows]


def _replace_file(path: Path, content: bytes) -> None:
    """Write ``content`` beside ``path`` (0600), flush it to disk, then swap it in: never half a file."""
    temporary = path.with_name(path.name + ".rotating")
    temporary.unlink(missing_ok=True)  # left by an interrupted run
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def rotate_documents(batch_size: int) -> dict[str, int]:
    """Re-encrypt every stored document under the newest key; files already under it are left alone, so an
    interrupted run resumes. A missing file, or one no configured key reads, is counted and left alone."""
    primary = crypto.primary()
    base = storage_dir()
    counts = {"rotated": 0, "current": 0, "missing": 0, "unreadable": 0}
    for stored in _every_document(batch_size):
        path = base / stored
        try:
            token = path.read_bytes()
        except FileNotFoundError:
            counts["missing"] += 1
            continue
        try:
            primary.decrypt(token)
        except InvalidToken:
            try:
                _replace_file(path, crypto.fernet().rotate(token))
            except InvalidToken:  # under none of the keys: left as it is; the read-back names it
                counts["unreadable"] += 1
                continue
            counts["rotated"] += 1
        else:
            counts["current"] += 1
    return counts


def _every_document(batch_size: int = 500) -> Iterator[str]:
    last = 0
    while batch := _documents_after(last, batch_size):
        yield from (stored for _doc_id, stored in batch)
        last = batch[-1][0]


def _oldest_and_newest_document() -> list[str]:
    """The likeliest to be under different keys (as the column check samples its values)."""
    found = [db.session.scalar(select(Document.stored_name).order_by(order).limit(1))
             for order in (Document.id.asc(), Document.id.desc())]
    db.session.rollback()
    return list(dict.fromkeys(name for name in found if name))


def check_documents(keys: MultiFernet, *, sample: bool) -> dict[str, int]:
    """How many document files ``keys`` can read: every one, or (``sample``) the oldest and the newest."""
    base = storage_dir()
    counts = {"checked": 0, "unreadable": 0, "missing": 0}
    for stored in _oldest_and_newest_document() if sample else _every_document():
        try:
            keys.decrypt((base / stored).read_bytes())
        except FileNotFoundError:
            counts["missing"] += 1
            continue
        except InvalidToken:
            counts["unreadable"] += 1
        counts["checked"] += 1
    return counts
