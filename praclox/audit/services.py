"""Writing audit entries. Every domain's services call ``record``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import has_request_context
from sqlalchemy import delete

from praclox.audit.models import ACTIONS, AuditEntry
from praclox.backup import ledger
from praclox.extensions import db


def _current_actor_id() -> int | None:
    if not has_request_context():
        return None
    from flask_login import current_user

    return current_user.id if getattr(current_user, "is_authenticated", False) else None


def record_type_of(obj: Any) -> str:
    return getattr(obj, "__tablename__", type(obj).__name__.lower())


def record(
    action: str,
    obj: Any | None,
    *,
    fields: Iterable[str] = (),
    actor: Any | None = None,
    record_type: str | None = None,
    record_id: int | None = None,
    row_count: int | None = None,
    merged_id: int | None = None,
) -> AuditEntry:
    """Add an audit entry to the current transaction (the caller commits)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    if obj is not None:
        record_type = record_type or record_type_of(obj)
        record_id = record_id if record_id is not None else getattr(obj, "id", None)
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else _current_actor_id(),
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
