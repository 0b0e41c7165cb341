"""Writing audit entries. Every domain's services call ``record``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete

from praclox.audit.models import ACTIONS, AuditEntry
from praclox.auth.models import User
from praclox.backup import ledger
from praclox.extensions import db


def record_type_of(obj: Any) -> str:
    return getattr(obj, "__tablename__", type(obj).__name__.lower())


def record(
    action: str,
    obj: Any | None,
    *,
    actor: User | None,
    fields: Iterable[str] = (),
    record_type: str | None = None,
    record_id: int | None = None,
    row_count: int | None = None,
    merged_id: int | None = None,
) -> AuditEntry:
    """Add an audit entry to the current transaction (the caller commits).

    ``actor`` is always given: the signed-in user the service was handed, or ``None`` for a system action (a job,
    a command run by the operator, a visitor of a public page or the API). Nothing is read from the request."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    if obj is not None:
        record_type = record_type or record_type_of(obj)
        record_id = record_id if record_id is not None else getattr(obj, "id", None)
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        action=action,
        record_type=record_type,
        record_id=record_id,
        fields=",".join(sorted(set(fields)))[:500] or None,
        row_count=row_count,
        merged_id=merged_id,
    )
    db.session.add(entry)
    return entry


def forget_record(record_type: str, record_ids: Iterable[int]) -> int:
    """Remove the entries about records of a person who is erased or purged."""
    ids = list(record_ids)
    if not ids:
        return 0
    ledger.note(record_type, ids)  # a restore from an older backup must erase these again
    result = db.session.execute(
        delete(AuditEntry).where(AuditEntry.record_type == record_type, AuditEntry.record_id.in_(ids)),
        # append-only rows are never changed in a session: skip matching them there (a purge calls this 50,000 times)
        execution_options={"synchronize_session": False},
    )
    return result.rowcount or 0
