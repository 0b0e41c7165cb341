"""The erasure ledger: what every erasure and purge did, kept outside the database so a restore can redo it.

``forget_record`` (called by every erasure and purge for the records it removes or redacts) and the bulk
applicant purge ``note`` the table and record ids. When that transaction commits, each noted record is
read back as it is then: gone (it was deleted) or its row after redaction (no value of the erased person
is left in it). One line per commit is appended to ``<BACKUP_DIR>/erasure-ledger``, encrypted with the
app's keys (Fernet). A line holds table names, record ids and already-erased rows: it names no one.

A rolled-back transaction writes nothing. A process killed between the commit and the append loses that
line; ``backup restore`` also reruns the applicant purge as of today, which covers the purges.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import Integer, bindparam, event, literal_column, select, text
from sqlalchemy import column as sql_column
from sqlalchemy import table as sql_table
from sqlalchemy.orm import Session

from praclox import crypto
from praclox.backup.private_file import write_private
from praclox.bulk import in_values
from praclox.db import Base
from praclox.extensions import db

_PENDING = "praclox_erasure_ledger"
_WRITTEN = "praclox_erasure_ledger_lines"
FILE_NAME = "erasure-ledger"


def backup_dir() -> Path:
    configured = current_app.config.get("BACKUP_DIR")
    path = Path(configured) if configured else Path(current_app.instance_path) / "backups"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def ledger_path() -> Path:
    return backup_dir() / FILE_NAME


def _pending() -> dict[str, Any]:
    return db.session.info.setdefault(_PENDING, {"gone": {}, "columns": {}, "added": {}})


def note(table: str, ids: Iterable[int]) -> None:
    """These records of ``table`` were erased or purged in this transaction: the ledger keeps the ids of
    those that are gone when it commits (only ids: a row still there is never copied from here)."""
    _pending()["gone"].setdefault(table, set()).update(int(i) for i in ids)


def note_redacted(table: str, record_id: int, columns: Iterable[str]) -> None:
    """These columns of a record were redacted: the ledger keeps their values after the redaction."""
    _pending()["columns"].setdefault(table, {}).setdefault(int(record_id), set()).update(columns)


def note_added(table: str, ids: Iterable[int]) -> None:
    """The erasure made these rows (tombstones, suppression hashes): the ledger keeps them whole."""
    _pending()["added"].setdefault(table, set()).update(int(i) for i in ids)


#: values kept as they are (most of a purge's tombstone rows): one look-up instead of five isinstance calls
_PLAIN = frozenset({str, int, float, bool, type(None)})


def _tag(value: Any) -> Any:
    # raw driver values, so encrypted columns stay ciphertext and come back as they were
    if type(value) in _PLAIN:
        return value
    if isinstance(value, datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    if isinstance(value, time):
        return {"t": value.isoformat()}
    if isinstance(value, bytes | memoryview):
        return {"b": base64.b64encode(bytes(value)).decode()}
    if isinstance(value, Decimal):
        return {"n": str(value)}
    return value


def _untag(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    kind, raw = next(iter(value.items()))
    return {"dt": datetime.fromisoformat, "d": date.fromisoformat, "t": time.fromisoformat,
            "b": base64.b64decode, "n": Decimal}[kind](raw)


def table_name(table: str) -> str:
    """The table's name as known to the models, or ValueError (ledger lines never inject SQL)."""
    if table not in db.metadata.tables:
        raise ValueError(f"unknown table {table!r}")
    return table


def table_column(table: str, column: str) -> str:
    if column not in db.metadata.tables[table_name(table)].c:
        raise ValueError(f"unknown column {table}.{column}")
    return column


#: ids per SELECT (one parameter each, see praclox/bulk.py): a purge notes thousands
CHUNK = 5000


def _rows(session: Session, table: str, ids: Iterable[int], columns: str = "*") -> dict[int, dict[str, Any]]:
    # raw columns (no types attached), so encrypted values are read as the ciphertext they are
    query = select(literal_column(columns)).select_from(sql_table(table_name(table)))
    ordered, found = sorted(ids), {}
    for start in range(0, len(ordered), CHUNK):
        chunk = query.where(in_values(sql_column("id", Integer), ordered[start:start + CHUNK]))
        for row in session.execute(chunk).mappings():
            found[row["id"]] = {k: _tag(v) for k, v in row.items()}
    return found


def _snapshot(session: Session, pending: dict[str, Any]) -> list[dict[str, Any]]:
    changes = []
    for table, ids in pending["gone"].items():
        there = _rows(session, table, ids, "id")
        changes.append({"table": table, "gone": sorted(i for i in ids if i not in there), "rows": []})
    for table, records in pending["columns"].items():
        rows = []
        for record_id, columns in records.items():
            known = [table_column(table, c) for c in sorted(columns)]
            rows += _rows(session, table, [record_id], ", ".join(["id", *known])).values()
        changes.append({"table": table, "gone": [], "rows": rows})
    for table, ids in pending["added"].items():
        changes.append({"table": table, "gone": [], "rows": list(_rows(session, table, ids).values())})
    return changes


def _before_commit(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    session.flush()
    entry = {"at": datetime.now(timezone.utc).isoformat(), "changes": _snapshot(session, pending)}  # noqa: UP017
    session.info.setdefault(_WRITTEN, []).append(crypto.encrypt(json.dumps(entry, default=str).encode()))


def _after_commit(session: Session) -> None:
    lines = session.info.pop(_WRITTEN, None)
    if lines:
        append(lines)


def _after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)
    session.info.pop(_WRITTEN, None)


@contextmanager
def _locked() -> Iterator[None]:
    """Several processes (web workers, the scheduler, a prune) write the ledger: one at a time. The lock is a
    file of its own, so a prune can replace the ledger file while appenders wait."""
    descriptor = os.open(backup_dir() / f"{FILE_NAME}.lock", os.O_WRONLY | os.O_CREAT, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def append(lines: list[bytes]) -> None:
    with _locked():
        descriptor = os.open(ledger_path(), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with os.fdopen(descriptor, "ab") as handle:
            handle.write(b"".join(line + b"\n" for line in lines))
            handle.flush()
            os.fsync(handle.fileno())


def trim(before: datetime, *, dry_run: bool = False) -> int:
    """Remove the entries committed before ``before`` (no kept backup needs them); return how many. The file
    is replaced whole (written aside, then renamed), so a crash leaves the old ledger or the new one."""
    with _locked():
        path = ledger_path()
        if not path.exists():
            return 0
        lines = [line for line in path.read_bytes().splitlines() if line.strip()]
        kept = [line for line in lines if _committed_at(line) >= before]
        if dry_run or len(kept) == len(lines):
            return len(lines) - len(kept)
        write_private(path, b"".join(line + b"\n" for line in kept))
        return len(lines) - len(kept)


def _committed_at(line: bytes) -> datetime:
    return datetime.fromisoformat(json.loads(crypto.decrypt(line))["at"])


def entries(since: datetime) -> Iterator[dict[str, Any]]:
    """The ledger's entries committed at or after ``since``, oldest first."""
    path = ledger_path()
    if not path.exists():
        return
    for line in path.read_bytes().splitlines():
        if line.strip():
            entry = json.loads(crypto.decrypt(line))
            if datetime.fromisoformat(entry["at"]) >= since:
                yield entry


def reapply(entry: dict[str, Any]) -> int:
    """Redo one entry on the restored database: delete what is gone, put back the erased rows; the caller commits."""
    done = 0
    # children were noted after their parents (the purge forgets the applicant first): delete them first
    for change in reversed(entry["changes"]):
        done += _delete(table_name(change["table"]), change["gone"])
    conn = db.session.connection()
    for change in entry["changes"]:
        for row in change["rows"]:
            done += _put_back(conn, table_name(change["table"]), {k: _untag(v) for k, v in row.items()})
    return done


def _delete(table: str, ids: list[int]) -> int:
    """Through the model when there is one, so its cascades run as they did at the erasure."""
    if not ids:
        return 0
    model = next((m.class_ for m in Base.registry.mappers if getattr(m, "local_table", None) is not None
                  and m.local_table.name == table), None)
    if model is None:
        sql = text(f"DELETE FROM {table} WHERE id IN :ids")  # noqa: S608  # nosec B608
        return db.session.execute(sql.bindparams(bindparam("ids", expanding=True)), {"ids": ids}).rowcount or 0
    found = db.session.scalars(select(model).where(model.id.in_(ids))).all()
    for record in found:
        db.session.delete(record)
    db.session.flush()
    return len(found)


#: rows an erasure or purge adds (tombstones, suppression hashes): put back when the restored database lacks them
APPENDED = frozenset({"privacy_tombstones", "privacy_suppressions", "applicant_tombstones"})


def _put_back(conn: Any, table: str, row: dict[str, Any]) -> int:
    """Overwrite the restored row with its erased state; a row the backup never had is added only when the
    erasure itself made it (a redacted row newer than the backup holds nothing to take back)."""
    columns = [table_column(table, c) for c in row]
    values = ", ".join(f"{c} = :{c}" for c in columns if c != "id")
    updated = conn.execute(text(f"UPDATE {table} SET {values} WHERE id = :id"), row).rowcount  # noqa: S608  # nosec B608
    if not updated and table in APPENDED:
        names = ", ".join(columns)
        conn.execute(text(f"INSERT INTO {table} ({names}) VALUES ({', '.join(':' + c for c in columns)})"), row)  # noqa: S608  # nosec B608
    return 1 if updated or table in APPENDED else 0


def install() -> None:
    """Listen on every session once (the app factory calls this)."""
    if not event.contains(Session, "before_commit", _before_commit):
        event.listen(Session, "before_commit", _before_commit)
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_rollback", _after_rollback)
