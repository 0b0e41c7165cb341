"""Recorded job runs and the lock rows that keep two schedulers from running one job at once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from praclox.db import Base, UTCDateTime, utcnow


class JobRun(Base):
    __tablename__ = "job_runs"
    __table_args__ = (
        CheckConstraint("outcome IN ('running', 'ok', 'failed', 'skipped', 'interrupted')", name="outcome_known"),
        Index("ix_job_runs_job_started", "job", "started_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(64), nullable=False)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str] = mapped_column(String(16), nullable=False, default="running")
    #: JSON object of counts, e.g. {"purged": 3, "failed": 0}; never names
    counts: Mapped[str | None] = mapped_column(Text)
    #: short reason when failed or skipped (an exception class, never personal data)
    message: Mapped[str | None] = mapped_column(String(500))
    #: dry runs are recorded too, so the report shows them, but never count as the real run
    dry_run: Mapped[bool] = mapped_column(default=False, nullable=False)


class JobLock(Base):
    __tablename__ = "job_locks"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: host:pid:start-ticks of the holding process (the lock row is SQLite's; PostgreSQL uses advisory locks)
    holder: Mapped[str] = mapped_column(String(100), nullable=False)
    acquired_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    #: a holder on another host (not checkable from here) that stopped renewing loses the lock after this
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
