"""Audit entries: append-only, written in the same transaction as the change."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from praclox.db import Base, UTCDateTime, utcnow

ACTIONS = (
    "create",
    "update",
    "delete",
    "export",
    "erase",
    "purge",
    "view",
    "login",
    "login_failed",
    "logout",
    "role_change",
    "key_rotation",
    "import",
    "redact",
    "rectify",
    "review",
    "merge",
)


class AuditEntry(Base):
    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_record", "record_type", "record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False, index=True)
    #: the user who acted; kept when the user is deleted, as a number only
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(32), nullable=False, index=True)
    record_type: Mapped[str | None] = mapped_column(String(64))
    record_id: Mapped[int | None]
    #: names of the changed fields, comma-separated; never their values
    fields: Mapped[str | None] = mapped_column(String(500))
    #: how many rows an export or import held (who exported how much is itself accountable)
    row_count: Mapped[int | None]
    #: a merge: the record that was folded into ``record_id`` and deleted
    merged_id: Mapped[int | None]
