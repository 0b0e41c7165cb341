"""Encryption keys: making them where the operator asks (``praclox keys init``, setup, db upgrade), refusing to
serve with keys that cannot read the data already stored, and re-encrypting everything under the newest key."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.fernet import InvalidToken, MultiFernet
from flask import Flask
from sqlalchemy import Column, Table, Text, bindparam, func, inspect, select, type_coerce, update
from sqlalchemy.exc import SQLAlchemyError

from praclox.crypto import EXTENSION_KEY, EncryptedText, KeyConfigurationError, fernet, primary
from praclox.domain import registry
from praclox.extensions import db

log = logging.getLogger(__name__)

DEFAULT_BATCH = 500


@dataclass
class RotationReport:
    rotated: int = 0  #: values re-encrypted under the newest key
    current: int = 0  #: values already under the newest key (a resumed or repeated run)
    columns: dict[str, int] = field(default_factory=dict)
    files: dict[str, int] = field(default_factory=dict)


def encrypted_columns(metadata: Any = None) -> list[tuple[Table, Column[Any]]]:
    """Every column whose type is ``EncryptedText``, found from the metadata (new domains included)."""
    metadata = metadata if metadata is not None else db.metadata
    return [(t, c) for t in metadata.sorted_tables for c in t.columns if isinstance(c.type, EncryptedText)]


def _is_current(token: bytes) -> bool:
    try:
        primary().decrypt(token)
    except InvalidToken:
        return False
    return True


def rotate_column(
    table: Table, column: Column[Any], *, batch_size: int = DEFAULT_BATCH,
    after_batch: Callable[[int], None] | None = None, on_checked: Callable[[int], None] | None = None,
) -> tuple[int, int]:
    """Re-encrypt one column in primary-key order, one transaction per batch. Values already under the
    newest key are left alone, so an interrupted run resumes where it stopped."""
    (pk,) = table.primary_key.columns
    raw = type_coerce(column, Text)
    rotated = current = 0
    last: Any = None
    while True:
        stmt = select(pk, raw).where(column.is_not(None)).order_by(pk).limit(batch_size)
        if last is not None:
            stmt = stmt.where(pk > last)
        rows = db.session.execute(stmt).all()
        if not rows:
            break
        changes = []
        for key, token in rows:
            data = token.encode("ascii")
            if _is_current(data):
                current += 1
            else:
                changes.append({"_pk": key, "_token": fernet().rotate(data).decode("ascii")})
        if changes:
            # raw tokens: bound as Text so the column type does not encrypt them a second time
            stmt = update(table).where(pk == bindparam("_pk")).values({column.name: bindparam("_token", type_=Text)})
            db.session.execute(stmt, changes)
            rotated += len(changes)
        last = rows[-1][0]
        db.session.commit()
        if after_batch is not None:
            after_batch(rotated)
        if on_checked is not None:
            on_checked(len(rows))
    return rotated, current


def count_encrypted() -> int:
    """How many encrypted values a rotation checks (for its progress)."""
    return sum(db.session.scalar(select(func.count()).select_from(table).where(column.is_not(None))) or 0
               for table, column in encrypted_columns())


def rotate_all(*, batch_size: int = DEFAULT_BATCH, after_batch: Callable[[int], None] | None = None,
               on_checked: Callable[[int], None] | None = None) -> RotationReport:
    """Rotate every encrypted column, then every registered file store; ``on_checked(n)`` after each batch of
    column values (the command's progress)."""
    report = RotationReport()
    for table, column in encrypted_columns():
        rotated, current = rotate_column(table, column, batch_size=batch_size, after_batch=after_batch,
                                         on_checked=on_checked)
        report.rotated += rotated
        report.current += current
        report.columns[f"{table.name}.{column.name}"] = rotated + current
    # each domain's Domain.file_rotators; each commits its own batches
    for rotator in registry().file_rotators:
        counts = dict(rotator(batch_size))
        report.rotated += counts.get("rotated", 0)
        report.current += counts.get("current", 0)
        checked = counts.get("rotated", 0) + counts.get("current", 0) + counts.get("rebuilt", 0)
        report.files[getattr(rotator, "__name__", "files")] = checked
    return report


@dataclass
class ReadBack:
    """Everything read back with the newest key alone, after a rotation."""

    checked: int = 0
    unreadable: dict[str, int] = field(default_factory=dict)  #: per column or file store, when any
    missing: int = 0  #: files whose row exists but whose file does not (no key can help those)


def read_back(*, batch_size: int = DEFAULT_BATCH) -> ReadBack:
    """Decrypt every stored value and file with the newest key only: may the other keys go?"""
    newest = MultiFernet([primary()])
    result = ReadBack()
    for table, column in encrypted_columns():
        (pk,) = table.primary_key.columns
        raw, last, failed = type_coerce(column, Text), None, 0
        while True:
            stmt = select(pk, raw).where(column.is_not(None)).order_by(pk).limit(batch_size)
            rows = db.session.execute(stmt if last is None else stmt.where(pk > last)).all()
            if not rows:
                break
            for _key, token in rows:
                result.checked += 1
                failed += not _decrypts(newest, token)
            last = rows[-1][0]
        db.session.rollback()
        if failed:
            result.unreadable[f"{table.name}.{column.name}"] = failed
    for checker in registry().file_checkers:
        counts = checker(newest, sample=False)
        result.checked += counts.get("checked", 0)
        result.missing += counts.get("missing", 0)
        if counts.get("unreadable"):
            result.unreadable[_store_name(checker)] = counts["unreadable"]
    return result


def _store_name(checker: Any) -> str:
    domain = checker.__module__.rsplit(".", 2)[-2]
    return "stored files" if domain == "files" else f"{domain} files"


def _decrypts(keys: MultiFernet, token: str) -> bool:
    try:
        keys.decrypt(token.encode("ascii"))
    except (InvalidToken, UnicodeEncodeError):
        return False
    return True


def check_keys(app: Flask) -> None:
    """The oldest and newest stored value of every encrypted column must decrypt (``require_keys``).

    An app that cannot read its own data stops here with a clear message, instead of failing later on
    a page. An empty or not yet migrated database passes.
    """
    with app.app_context():
        try:
            present = set(inspect(db.engine).get_table_names())
        except SQLAlchemyError:
            log.warning("database not reachable at start; encryption keys not checked")
            return
        for table, column in encrypted_columns():
            if table.name not in present:
                continue
            try:
                tokens = _samples(table, column)
            except SQLAlchemyError:
                db.session.rollback()
                continue  # a column not migrated yet
            if not all(_can_decrypt(app, token) for token in tokens):
                _refuse(f"the data in {table.name}.{column.name}")
        _check_file_samples(app)
        db.session.remove()


def init_keys(app: Flask) -> list[str]:
    """Make the keys the configuration lacks, into the instance folder (mode 0600), and use them: the session
    signing key (``secret_key``) and the encryption key (``encryption_keys``). Then the keys must read the
    stored data. Returns the names of the files made (none when everything was there).

    A database that already holds encrypted data gets no new encryption key: no new key could read it.
    """
    from cryptography.fernet import Fernet

    from praclox import config, crypto
    from praclox.instance_files import write_secret

    made = []
    instance = Path(app.instance_path)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = secrets.token_hex(32)
        write_secret(instance / config.SECRET_KEY_FILE, app.config["SECRET_KEY"])
        made.append(config.SECRET_KEY_FILE)
    if crypto.configured_keys(app) is None:
        if _holds_encrypted_data(app):
            raise KeyConfigurationError(f"{crypto.NO_KEYS}; the database already holds encrypted data, which "
                                        "only its own key reads: restore instance/encryption_keys")
        write_secret(instance / crypto.KEY_FILE, Fernet.generate_key().decode())
        crypto.init_app(app)
        made.append(crypto.KEY_FILE)
    check_keys(app)
    return made


def require_keys(app: Flask) -> None:
    """Before serving or running jobs: a session signing key and encryption keys that read the stored data.

    Raises ``KeyConfigurationError`` with what to do (``praclox keys init``) instead of failing on a page.
    """
    from praclox import crypto

    if not app.config.get("SECRET_KEY"):
        raise KeyConfigurationError("no secret key: set PRACLOX_SECRET_KEY, or run `praclox keys init` "
                                    "(`praclox setup` and `praclox db upgrade` do it too) to make instance/secret_key")
    if EXTENSION_KEY not in app.extensions:
        raise KeyConfigurationError(crypto.NO_KEYS)
    check_keys(app)


def _holds_encrypted_data(app: Flask) -> bool:
    """Whether any encrypted column holds a value or any file store (``stored_files``) a file."""
    with app.app_context():
        try:
            return _holds_values() or _holds_files(app)
        finally:
            db.session.remove()


def _holds_values() -> bool:
    present = set(inspect(db.engine).get_table_names())
    try:
        return any(_samples(table, column) for table, column in encrypted_columns() if table.name in present)
    except SQLAlchemyError:  # a column not migrated yet: an installation from before encryption
        db.session.rollback()
        return False


def _holds_files(app: Flask) -> bool:
    """Each file store's checker, handed a key that reads nothing, still counts the files it looked at."""
    from cryptography.fernet import Fernet

    nothing = MultiFernet([Fernet(Fernet.generate_key())])
    for checker in registry(app).file_checkers:
        try:
            if checker(nothing, sample=True).get("checked"):
                return True
        except SQLAlchemyError:  # a store not migrated yet
            db.session.rollback()
    return False


def _refuse(what: str) -> None:
    db.session.remove()
    db.engine.dispose()  # the app will not run: close its connections now
    raise KeyConfigurationError(
        f"The configured encryption keys cannot decrypt {what}. Set PRACLOX_ENCRYPTION_KEYS to include the key "
        "the data was encrypted with (or restore instance/encryption_keys). The application does not start "
        "without it."
    )


def _check_file_samples(app: Flask) -> None:
    """The oldest and the newest file of every file store must decrypt too (a store not migrated is skipped)."""
    for checker in registry(app).file_checkers:
        try:
            counts = checker(app.extensions[EXTENSION_KEY], sample=True)
        except SQLAlchemyError:
            db.session.rollback()
            continue
        if counts.get("unreadable"):
            _refuse(f"the {_store_name(checker)}")


def _samples(table: Table, column: Column[Any]) -> list[str]:
    """The oldest and the newest stored value (by primary key): the likeliest to be under other keys."""
    (pk,) = table.primary_key.columns
    found = []
    for order in (pk.asc(), pk.desc()):
        token = db.session.execute(
            select(type_coerce(column, Text)).where(column.is_not(None)).order_by(order).limit(1)
        ).scalar()
        if token is not None:
            found.append(token)
    return found


def _can_decrypt(app: Flask, token: str) -> bool:
    try:
        app.extensions[EXTENSION_KEY].decrypt(token.encode("ascii"))
    except (InvalidToken, UnicodeEncodeError):
        return False
    return True
