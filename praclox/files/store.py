"""Every write to the file store, and its reads: put, read, remove, rotate under a new key, check the keys.

The bytes live encrypted in the ``stored_files`` table, so every app host reaches them and a backup of the
database holds them. An owner's row and its file are written and removed in the same transaction: there is
no moment, and no crash, in which one exists without the other. Removal is erasure: SQLite zeroes the freed
pages (``secure_delete``) and ``privacy.ondisk.settle`` empties its write-ahead log; PostgreSQL vacuums
``stored_files`` (and its TOAST table) after a purge or an erasure.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator

from cryptography.fernet import InvalidToken, MultiFernet
from flask import current_app
from sqlalchemy import delete, select, update

from praclox import crypto
from praclox.bulk import in_values
from praclox.extensions import db
from praclox.files.models import StoredFile

TABLE = StoredFile.__tablename__
#: files re-encrypted per transaction by a rotation (each up to ~14 MB as a token)
ROTATE_BATCH = 20


def put(data: bytes) -> str:
    """Encrypt ``data`` and add it to the current transaction; returns the name owners store."""
    name = secrets.token_hex(16)
    db.session.add(StoredFile(name=name, content=crypto.encrypt(data)))
    return name


def read(name: str) -> bytes:
    """The decrypted bytes of a stored file (KeyError when there is none by that name)."""
    token = db.session.scalar(select(StoredFile.content).where(StoredFile.name == name))
    if token is None:
        raise KeyError(name)
    return crypto.decrypt(token)


def remove(names: Iterable[str]) -> int:
    """Delete these files in the current transaction (after their owners' rows: the foreign keys insist)."""
    wanted = list(dict.fromkeys(names))
    if not wanted:
        return 0
    # one statement with one parameter: a purge removes thousands at a time (bench/README.md, "Purge")
    return db.session.execute(delete(StoredFile).where(in_values(StoredFile.name, wanted))
                              .execution_options(synchronize_session=False)).rowcount


# --- key rotation (``praclox keys rotate``) and the key checks (praclox/privacy/keys.py) ---------------


def _names_after(last: str, limit: int) -> list[str]:
    names = list(db.session.scalars(select(StoredFile.name).where(StoredFile.name > last)
                                    .order_by(StoredFile.name).limit(limit)))
    db.session.rollback()  # no transaction stays open between batches
    return names


def _every_name(batch_size: int) -> Iterator[list[str]]:
    last = ""
    while batch := _names_after(last, batch_size):
        yield batch
        last = batch[-1]


def rotate_files(batch_size: int = ROTATE_BATCH) -> dict[str, int]:
    """Re-encrypt every stored file under the newest key, a batch per transaction; files already under it are
    left alone, so an interrupted run resumes. A file no configured key reads is counted and left alone."""
    primary = current_app.extensions[crypto.EXTENSION_KEY + "_primary"]
    counts = {"rotated": 0, "current": 0, "unreadable": 0}
    for names in _every_name(min(batch_size, ROTATE_BATCH)):
        for name, token in db.session.execute(select(StoredFile.name, StoredFile.content)
                                              .where(StoredFile.name.in_(names))).all():
            try:
                primary.decrypt(token)
            except InvalidToken:
                try:
                    fresh = crypto.fernet().rotate(token)
                except InvalidToken:  # under none of the keys: left as it is; the read-back names it
                    counts["unreadable"] += 1
                    continue
                db.session.execute(update(StoredFile).where(StoredFile.name == name).values(content=fresh)
                                   .execution_options(synchronize_session=False))
                counts["rotated"] += 1
            else:
                counts["current"] += 1
        db.session.commit()
    return counts


def _oldest_and_newest() -> list[str]:
    """The likeliest to be under different keys (as the column check samples its values)."""
    found = [db.session.scalar(select(StoredFile.name).order_by(order, StoredFile.name).limit(1))
             for order in (StoredFile.stored_at.asc(), StoredFile.stored_at.desc())]
    db.session.rollback()
    return list(dict.fromkeys(name for name in found if name))


def check_files(keys: MultiFernet, *, sample: bool) -> dict[str, int]:
    """How many stored files ``keys`` can read: every one, or (``sample``) the oldest and the newest."""
    counts = {"checked": 0, "unreadable": 0}
    batches = [_oldest_and_newest()] if sample else _every_name(ROTATE_BATCH)
    for names in batches:
        for token in db.session.scalars(select(StoredFile.content).where(StoredFile.name.in_(names))):
            try:
                keys.decrypt(token)
            except InvalidToken:
                counts["unreadable"] += 1
            counts["checked"] += 1
        db.session.rollback()
    return counts
