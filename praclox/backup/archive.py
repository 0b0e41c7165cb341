"""``backup create`` and ``backup restore`` on SQLite: the database, with the stored files, in one encrypted file.

The file is a tar archive (``manifest.json``, ``database.sqlite3``) encrypted whole with the
app's first Fernet key (the keys in ``instance/encryption_keys`` or ``PRACLOX_ENCRYPTION_KEYS``): whoever can
read the stored files can read a backup, and a key rotation keeps old backups readable while the old key is
listed. It is written with mode 0600 under ``BACKUP_DIR``; no plain copy touches the disk (the database copy
is made in a private temporary folder that is removed, and the tar is built in memory).
"""

from __future__ import annotations

import io
import json
import os
import sqlite3
import tarfile
import tempfile
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from cryptography.fernet import InvalidToken

from praclox import crypto
from praclox.backup import ledger
from praclox.extensions import db

SUFFIX = ".praclox-backup"
#: 2: the files are in the database; 1 (before the file store) also held ``documents/`` and is restored by the
#: version that made it, then upgraded (``flask db upgrade`` moves its documents into the store)
FORMAT = 2
#: a commit racing the copy is in both the backup and the ledger; redoing it is harmless (deletes and
#: overwrites), missing it is not: entries this much older than the backup's start are redone too
OVERLAP = timedelta(minutes=5)


class BackupError(Exception):
    """The backup cannot be made or restored; the message says why."""


@dataclass
class Restored:
    taken_at: datetime
    entries: int
    changes: int


def _sqlite_path() -> Path:
    if db.engine.dialect.name != "sqlite":
        raise BackupError("backup create/restore supports SQLite only in this version; use pg_dump for PostgreSQL")
    database = db.engine.url.database
    if not database or database == ":memory:":
        raise BackupError("the database is not a file")
    return Path(database)


def create() -> Path:
    """Copy the live database with SQLite's online backup API (the server keeps running; the documents and
    attachments are in it, in the file store), encrypt, write 0600. Returns the file written."""
    source_path = _sqlite_path()
    taken_at = datetime.now(timezone.utc)  # noqa: UP017
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="praclox-backup-") as scratch:
        copy = Path(scratch) / "database.sqlite3"
        with closing(sqlite3.connect(source_path)) as source, closing(sqlite3.connect(copy)) as target:
            source.backup(target)
        manifest = json.dumps({"taken_at": taken_at.isoformat(), "format": FORMAT}).encode()
        with tarfile.open(fileobj=buffer, mode="w") as archive:
            _add_bytes(archive, "manifest.json", manifest)
            archive.add(copy, "database.sqlite3")
    name = f"praclox-{taken_at.strftime('%Y%m%dT%H%M%S%fZ')}{SUFFIX}"
    return _write_private(ledger.backup_dir() / name, crypto.encrypt(buffer.getvalue()))


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    archive.addfile(info, io.BytesIO(data))


def _write_private(path: Path, data: bytes) -> Path:
    partial = path.with_suffix(".partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    partial.rename(path)  # a backup file is complete or absent
    return path


def _open(path: Path) -> tarfile.TarFile:
    try:
        plain = crypto.decrypt(path.read_bytes())
    except (OSError, InvalidToken) as exc:
        raise BackupError(f"{path} cannot be read with this installation's keys") from exc
    return tarfile.open(fileobj=io.BytesIO(plain), mode="r")


def restore(path: Path) -> Restored:
    """Put the backup's database (with its stored files) in place, then redo every erasure and purge from the ledger
    since the backup was taken. The web server and the scheduler must be stopped."""
    target_path = _sqlite_path()
    with _open(path) as archive, tempfile.TemporaryDirectory(prefix="praclox-restore-") as scratch:
        manifest = json.loads(archive.extractfile("manifest.json").read())  # type: ignore[union-attr]
        if manifest.get("format") != FORMAT:
            raise BackupError(f"{path} was made by an older version (format {manifest.get('format')}): restore it "
                              "with that version, then upgrade")
        copy = Path(scratch) / "database.sqlite3"
        copy.write_bytes(archive.extractfile("database.sqlite3").read())  # type: ignore[union-attr]
        db.session.remove()
        db.engine.dispose()
        with closing(sqlite3.connect(copy)) as source, closing(sqlite3.connect(target_path)) as target:
            source.backup(target)  # page by page into the live file: its WAL and mode stay consistent
    taken_at = datetime.fromisoformat(manifest["taken_at"])
    return _reapply(taken_at)


def _reapply(taken_at: datetime) -> Restored:
    from praclox.applicants.purge import purge_due
    from praclox.files.sweep import sweep_store
    from praclox.privacy.subjects import compact_storage

    entries = changes = 0
    for entry in ledger.entries(taken_at - OVERLAP):
        changes += ledger.reapply(entry)
        entries += 1
    db.session.commit()
    # purges the ledger may have missed (a process killed between its commit and the ledger's append)
    purge_due()
    db.session.commit()
    sweep_store(dry_run=False, grace=timedelta(0))  # files of the rows the re-applied erasures removed
    compact_storage()
    return Restored(taken_at=taken_at, entries=entries, changes=changes)
