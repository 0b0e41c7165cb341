"""The outbox: every outgoing mail, written in the transaction that causes it and sent by the scheduler."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from praclox.crypto import EncryptedText
from praclox.db import Base, UTCDateTime, utcnow

#: queued: not tried yet; failed: tried, retried at next_attempt_at; sent; given_up: too many tries or too late
STATUSES = ("queued", "failed", "sent", "given_up")


class OutboxMail(Base):
    __tablename__ = "outbox_mails"
    __table_args__ = (
        CheckConstraint("status IN ('queued', 'failed', 'sent', 'given_up')", name="status_known"),
        Index("ix_outbox_mails_status_next", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the same key twice is one mail: the unique constraint decides between concurrent writers
    dedup_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    #: what kind of mail (``registrations.confirm``, ``dates.digest``): counts on the jobs page, never names
    kind: Mapped[str] = mapped_column(String(64), nullable=False)
    recipient: Mapped[str] = mapped_column(String(320), nullable=False, index=True)
    subject: Mapped[str] = mapped_column(EncryptedText, nullable=False)
    #: the text holds links with tokens and names: encrypted like every other secret at rest
    body: Mapped[str] = mapped_column(EncryptedText, nullable=False)
    #: extra headers as JSON (List-Unsubscribe); encrypted because the unsubscribe link is personal
    headers: Mapped[str | None] = mapped_column(EncryptedText)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="queued")
    attempts: Mapped[int] = mapped_column(nullable=False, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    #: a mail that means nothing after this moment (a day's digest) is given up instead of sent late
    send_before: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    #: why the last attempt failed or the mail was given up: an exception class or "expired", never content
    last_error: Mapped[str | None] = mapped_column(Text)
