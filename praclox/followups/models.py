"""A follow-up: a task for one user about one office (optionally one contact), open until someone completes it."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from praclox.db import Base, TimestampMixin, UTCDateTime


class FollowUp(TimestampMixin, Base):
    __tablename__ = "follow_ups"
    __table_args__ = (
        # the dashboard and the default list: one owner's open follow-ups by due date
        Index("ix_follow_ups_owner_done_due", "owner_id", "done_at", "due_on"),
        Index("ix_follow_ups_office_due", "office_id", "due_on"),
        # the office list's next follow-up per office of a page: the first open one, off the index
        Index("ix_follow_ups_office_open", "office_id", "due_on", postgresql_where=text("done_at IS NULL"),
              sqlite_where=text("done_at IS NULL")),
        # the timeline's "done" entries, newest first (partial: an index led by done_at made SQLite, without
        # statistics, read every open follow-up for "done_at IS NULL" instead of using the office's index)
        Index("ix_follow_ups_done_at", "done_at", "id", postgresql_where=text("done_at IS NOT NULL"),
              sqlite_where=text("done_at IS NOT NULL")),
        # the timeline filtered by who completed
        Index("ix_follow_ups_done_by", "done_by_id", "done_at"),
        # everyone's open or done follow-ups in the list's order (due date, id), a page read off the index
        Index("ix_follow_ups_open_list", "due_on", "id", postgresql_where=text("done_at IS NULL"),
              sqlite_where=text("done_at IS NULL")),
        Index("ix_follow_ups_done_list", "due_on", "id", postgresql_where=text("done_at IS NOT NULL"),
              sqlite_where=text("done_at IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    due_on: Mapped[date] = mapped_column(Date, nullable=False)
    #: RESTRICT: a user with follow-ups is deactivated, never deleted, so the work is not lost
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), nullable=False)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id", ondelete="CASCADE"), nullable=False)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"), index=True)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    owner = relationship("User", foreign_keys=[owner_id])
    done_by = relationship("User", foreign_keys=[done_by_id])
    office = relationship("Office")
    contact = relationship("Contact")

    @property
    def is_open(self) -> bool:
        return self.done_at is None

    def __repr__(self) -> str:
        return f"<FollowUp {self.id}>"
