"""Personal dates (birthdays, children's birthdays, wedding days), congratulation marks, iCal feeds, reminders."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, SmallInteger, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from praclox.crypto import EncryptedText
from praclox.db import NEVER_REUSE_IDS, Base, TimestampMixin, UTCDateTime, utcnow
from praclox.vocabulary import Vocabulary


class DateKind(Vocabulary):
    BIRTHDAY = "birthday", _l("Birthday")
    CHILD_BIRTHDAY = "child_birthday", _l("Child's birthday")
    WEDDING = "wedding", _l("Wedding day")


class LeapRule(Vocabulary):
    """Where 29 February falls in a common year."""

    FEB28 = "feb28", _l("on 28 February")
    MAR1 = "mar1", _l("on 1 March")


class EndReason(Vocabulary):
    MARRIAGE_ENDED = "marriage_ended", _l("Marriage ended")
    GROWN_UP = "grown_up", _l("Child grown up")
    DECEASED = "deceased", _l("Deceased")
    LEFT_OFFICE = "left_office", _l("Left the office")
    OTHER = "other", _l("Other reason")


class CongratulationHow(Vocabulary):
    """The ways of congratulating."""

    CARD = "card", _l("card")
    CALL = "call", _l("call")
    EMAIL = "email", _l("e-mail")
    GIFT = "gift", _l("gift")
    OTHER = "other", _l("other")


KIND_VALUES = DateKind.values()
#: the earliest year a date may give (a birth year of a contact's parent at the most)
EARLIEST_YEAR = 1880


class PersonalDate(TimestampMixin, Base):
    """One recurring personal date of a contact. Month, day and (optional) year are plain columns."""

    __tablename__ = "personal_dates"
    __table_args__ = (
        CheckConstraint(DateKind.check("kind"), name="kind_known"),
        CheckConstraint("month BETWEEN 1 AND 12 AND day BETWEEN 1 AND 31", name="month_day_range"),
        CheckConstraint(LeapRule.check("leap_rule"), name="leap_rule_known"),
        CheckConstraint("gender IN ('', 'f', 'm')", name="gender_known"),
        CheckConstraint(
            "(ended_on IS NULL AND end_reason IS NULL) OR (ended_on IS NOT NULL AND end_reason IS NOT NULL)",
            name="end_complete",
        ),
        # the calendar index: (month, day) first, then every column a window query reads, so SQLite and
        # PostgreSQL answer "the next 30 days" from the index alone (no table look-ups)
        Index("ix_personal_dates_calendar", "month", "day", "kind", "year", "leap_rule", "gender", "contact_id",
              "ended_on", "person_name"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    #: month and day are indexed through ix_personal_dates_calendar, which leads with them
    month: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    day: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    #: unknown year: no age is shown or guessed
    year: Mapped[int | None] = mapped_column(SmallInteger, index=True)
    #: the child's first name, or the partner's name for a wedding day
    person_name: Mapped[str | None] = mapped_column(String(100))
    #: whose date it is: '' unknown, 'f' (Sarah, daughter) or 'm' (Abraham, son)
    gender: Mapped[str] = mapped_column(String(1), nullable=False, default="")
    #: 29 February in a common year: observed on 28 February (default) or 1 March
    leap_rule: Mapped[str] = mapped_column(String(5), nullable=False, default=LeapRule.FEB28.value)
    notes: Mapped[str | None] = mapped_column(EncryptedText)
    #: not indexed: nearly every row has none, and an index on it would lure SQLite away from (month, day)
    ended_on: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(String(20))
    #: bumped on every edit; the feed's SEQUENCE
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    #: one-directional: deleting a contact leaves its dates to the database cascade
    contact = relationship("Contact", lazy="joined", innerjoin=True)
    congratulations: Mapped[list[Congratulation]] = relationship(
        back_populates="personal_date", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def active(self) -> bool:
        return self.ended_on is None

    def __repr__(self) -> str:
        return f"<PersonalDate {self.id}>"


class Congratulation(Base):
    """Staff marked one occurrence as done, so two colleagues do not both call."""

    __tablename__ = "date_congratulations"
    __table_args__ = (
        UniqueConstraint("personal_date_id", "occurrence_year", "half", name="uq_date_congratulations_occurrence"),
        CheckConstraint(CongratulationHow.check("how"), name="how_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    personal_date_id: Mapped[int] = mapped_column(
        ForeignKey("personal_dates.id", ondelete="CASCADE"), nullable=False, index=True
    )
    #: the calendar year the occurrence falls in
    occurrence_year: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    #: the 12½-year jubilee, a separate occurrence in its own year
    half: Mapped[bool] = mapped_column(default=False, nullable=False)
    how: Mapped[str] = mapped_column(String(8), nullable=False)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    #: indexed for the activity timeline, newest first
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False, index=True)

    personal_date: Mapped[PersonalDate] = relationship(back_populates="congratulations")
    by = relationship("User")


class CalendarStamp(Base):
    """One row: when anything that shows in a calendar last changed (deletions included)."""

    __tablename__ = "date_calendar_stamp"

    id: Mapped[int] = mapped_column(primary_key=True)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)


class Feed(Base):
    """A secret iCal URL of one user. Only the token's SHA-256 is stored."""

    __tablename__ = "date_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    name: Mapped[str] = mapped_column(String(60), nullable=False)
    token_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    #: comma-separated kinds shown in this feed
    kinds: Mapped[str] = mapped_column(String(60), nullable=False, default=",".join(KIND_VALUES))
    show_child_names: Mapped[bool] = mapped_column(default=False, nullable=False)
    #: the owner's open follow-ups as all-day events (their own choice; off unless they turn it on)
    include_follow_ups: Mapped[bool] = mapped_column(default=False, server_default=false(), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    #: when the feed's own settings last changed (they change its content)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    last_fetched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the strong ETag of the last build and the inputs it was built from: a 304 needs no rebuild
    etag: Mapped[str | None] = mapped_column(String(64))
    etag_key: Mapped[str | None] = mapped_column(String(64))

    user = relationship("User")

    @property
    def kind_list(self) -> list[str]:
        return [k for k in self.kinds.split(",") if k in KIND_VALUES]


class ReminderPreference(TimestampMixin, Base):
    """A user's choice of e-mail digest: off, daily (07:00) or weekly (Monday)."""

    __tablename__ = "date_reminder_preferences"
    __table_args__ = (CheckConstraint("frequency IN ('off', 'daily', 'weekly')", name="frequency_known"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    frequency: Mapped[str] = mapped_column(String(8), nullable=False, default="off")


class ReminderSent(Base):
    """A digest went out to a user for a period ("2026-11-23" daily, "2026-W48" weekly): never twice."""

    __tablename__ = "date_reminders_sent"
    __table_args__ = (UniqueConstraint("user_id", "period", name="uq_date_reminders_sent_user_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    period: Mapped[str] = mapped_column(String(12), nullable=False)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    occasions: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
