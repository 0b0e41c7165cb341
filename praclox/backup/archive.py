"""``backup create`` and ``backup restore``: the database, with the stored files, in one encrypted file.

The file is a tar archive (``manifest.json``, the database as ``database.sqlite3`` — SQLite's online backup
API — or ``database.pgdump`` — ``pg_dump``'s custom format; the uploaded files are in it, in the file store)
encrypted whole with the app's first Fernet key (the keys in ``instance/encryption_keys`` or
``PRACLOX_ENCRYPTION_KEYS``): whoever can read the stored files can read a backup, and a key rotation keeps
old backups readable while the old key is listed. It is written with mode 0600 under ``BACKUP_DIR``; no plain
copy touches the disk (the database copy is made in a private temporary folder that is removed, and the tar
is built in memory).
"""

from __future__ import annotations

import io
import json
import sqlite3
import tarfile
import tempfile
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from cryptography.fernet import InvalidToken
from flask_babel import lazy_gettext as _l

from praclox import crypto
from praclox.backup import ledger, postgres
from praclox.backup.private_file import write_private
from praclox.extensions import db

SUFFIX = ".praclox-backup"
#: a commit racing the copy is in both the backup and the ledger; redoing it is harmless (deletes and
#: overwrites), missing it is not: entries this much older than the backup's start are redone too
OVERLAP = timedelta(minutes=5)


class BackupError(Exception):
    """The backup cannot be made or restored; the message (a lazy string: the command prints it in the
    operator's language) says why."""

    def __init__(self, message: Any) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Restored:
    taken_at: datetime
    entries: int
    changes: int


#: the archive member that holds the database, per database kind
MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
#: 3: the uploaded files are in the database (the file store); 1 and 2 also held ``documents/`` and are
#: restored by the version that made them, then upgraded (``praclox db upgrade`` moves their documents in)
FORMAT = 3


def _member() -> str:
    dialect = db.engine.dialect.name
    if dialect not in MEMBERS:
        raise BackupError(_l("backups support SQLite and PostgreSQL, not %(kind)s", kind=dialect))
    return MEMBERS[dialect]


def _sqlite_path() -> Path:
    database = db.engine.url.database
    if not database or database == ":memory:":
        raise BackupError(_l("the database is not a file"))
    return Path(database)


def _dump(target: Path) -> None:
    if db.engine.dialect.name == "postgresql":
        try:
            postgres.dump(db.engine.url, target)
        except postgres.ToolError as exc:
            raise BackupError(exc.message) from exc
        return
    with closing(sqlite3.connect(_sqlite_path())) as source, closing(sqlite3.connect(target)) as copy:
        source.backup(copy)


def _load(source: Path) -> None:
    """Replace the live database with ``source``; no connection of this process stays open on it."""
    db.session.remove()
    db.engine.dispose()
    if db.engine.dialect.name == "postgresql":
        try:
            postgres.restore(db.engine.url, source)
        except postgres.ToolError as exc:
            raise BackupError(_l("%(reason)s; the database was left as it was", reason=exc.message)) from exc
        return
    with closing(sqlite3.connect(source)) as copy, closing(sqlite3.connect(_sqlite_path())) as target:
        copy.backup(target)  # page by page into the live file: its WAL and mode stay consistent


def create() -> Path:
    """Copy the live database while the server keeps running (SQLite's online backup API, or ``pg_dump``), add
    encrypt, write 0600 (the documents and attachments are in the database). Returns the file written."""
    member = _member()
    taken_at = datetime.now(timezone.utc)  # noqa: UP017
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="praclox-backup-") as scratch:
        copy = Path(scratch) / member
        _dump(copy)
        manifest = json.dumps({"taken_at": taken_at.isoformat(), "format": FORMAT, "database": member}).encode()
        with tarfile.open(fileobj=buffer, mode="w") as archive:
            _add_bytes(archive, "manifest.json", manifest)
            archive.add(copy, member)
    name = f"praclox-{taken_at.strftime('%Y%m%dT%H%M%S%fZ')}{SUFFIX}"
    return write_private(ledger.backup_dir() / name, crypto.encrypt(buffer.getvalue()))  # complete or absent


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    archive.addfile(info, io.BytesIO(data))


def _open(path: Path) -> tarfile.TarFile:
    try:
        plain = crypto.decrypt(path.read_bytes())
    except (OSError, InvalidToken) as exc:
        raise BackupError(_l("%(file)s cannot be read with this installation's keys", file=path)) from exc
    return tarfile.open(fileobj=io.BytesIO(plain), mode="r")


def restore(path: Path) -> Restored:
    """Put the backup's database (with its stored files) in place, then redo every erasure and purge from the
    ledger since the backup was taken. The web server and the scheduler must be stopped."""
    member = _member()
    with _open(path) as archive, tempfile.TemporaryDirectory(prefix="praclox-restore-") as scratch:
        manifest = json.loads(archive.extractfile("manifest.json").read())  # type: ignore[union-attr]
        if manifest.get("format") != FORMAT:
            made_by = manifest.get("format")
            raise BackupError(_l("%(file)s was made by an older version (format %(format)s): restore it with that "
                                 "version, then upgrade; nothing was changed", file=path, format=made_by))
        made_from = manifest.get("database", MEMBERS["sqlite"])
        if made_from != member:
            raise BackupError(_l("%(file)s holds a %(made)s database and this installation runs on %(kind)s; "
                                 "nothing was changed", file=path, made=_kind(made_from), kind=_kind(member)))
        copy = Path(scratch) / member
        copy.write_bytes(archive.extractfile(member).read())  # type: ignore[union-attr]
        _load(copy)
    taken_at = datetime.fromisoformat(manifest["taken_at"])
    return _reapply(taken_at)


def _kind(member: str) -> str:
    return {name: dialect for dialect, name in MEMBERS.items()}.get(member, member).replace(
        "sqlite", "SQLite").replace("postgresql", "PostgreSQL")


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
    if db.engine.dialect.name == "postgresql":
        _rewrite_tables()
    else:
        compact_storage()
    return Restored(taken_at=taken_at, entries=entries, changes=changes)


def _rewrite_tables() -> None:
    """PostgreSQL: the restore wrote the erased rows before the ledger deleted them again, and a plain VACUUM
    only marks their space free. VACUUM FULL writes each table anew without them (the server is stopped
    during a restore, so its exclusive lock harms no one)."""
    db.session.remove()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table in db.metadata.sorted_tables:
            conn.exec_driver_sql(f'VACUUM FULL "{table.name}"')
