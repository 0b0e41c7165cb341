"""Open wishes: the feature requests an office has asked us for."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from praclox.db import Base, TimestampMixin
from praclox.vocabulary import Vocabulary


class WishStatus(Vocabulary):
    NEW = "new", _l("New")
    PLANNED = "planned", _l("Planned")
    IN_PROGRESS = "in_progress", _l("In progress")
    DONE = "done", _l("Done")
    DECLINED = "declined", _l("Declined")


class WishPriority(Vocabulary):
    """Declared from the highest down: the order of the form's choices and of a list sorted by priority."""

    HIGH = "high", _l("High")
    NORMAL = "normal", _l("Normal")
    LOW = "low", _l("Low")


STATUS_VALUES = WishStatus.values()
PRIORITY_VALUES = WishPriority.values()
#: the statuses a client sees in the client area
OPEN_STATUSES = (WishStatus.NEW.value, WishStatus.PLANNED.value, WishStatus.IN_PROGRESS.value)


class Wish(TimestampMixin, Base):
    __tablename__ = "wishes"
    __table_args__ = (
        CheckConstraint(WishStatus.check("status"), name="status_known"),
        CheckConstraint(WishPriority.check("priority"), name="priority_known"),
        Index("ix_wishes_office_status", "office_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id", ondelete="CASCADE"), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default=WishStatus.NEW.value, index=True)
    priority: Mapped[str] = mapped_column(String(8), nullable=False, default=WishPriority.NORMAL.value)
    requested_on: Mapped[date] = mapped_column(Date, nullable=False)
    target_date: Mapped[date | None] = mapped_column(Date)
    #: the day the status became "done" (cleared when it leaves "done"): the use analysis counts time to done
    done_on: Mapped[date | None] = mapped_column(Date)
    #: the contact who asked; the wish stays with the office when the contact is deleted
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"), index=True)

    office = relationship("Office")
    requested_by = relationship("Contact")

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def __repr__(self) -> str:
        return f"<Wish {self.id}>"
