"""Website registrations, the API keys the website posts them with, and what the purge left behind."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from praclox.db import NEVER_REUSE_IDS, Base, TimestampMixin, UTCDateTime, utcnow
from praclox.vocabulary import Vocabulary


class Status(Vocabulary):
    PENDING = "pending", _l("Pending confirmation")  # the address has not been confirmed yet
    ACTIVE = "active", _l("Active")
    UNSUBSCRIBED = "unsubscribed", _l("Unsubscribed")
    CLOSED = "closed", _l("Closed")


STATUS_VALUES = Status.values()


class Registration(TimestampMixin, Base):
    __tablename__ = "registrations"
    __table_args__ = (
        CheckConstraint(Status.check("status"), name="status_known"),
        CheckConstraint("newsletter_confirmed_at IS NULL OR newsletter", name="confirmed_only_when_opted_in"),
        CheckConstraint("email = lower(email)", name="email_lower_case"),
        Index("ix_registrations_status_changed", "status", "status_changed_at"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    #: always stored lower-cased, which makes the unique constraint case-insensitive
    email: Mapped[str] = mapped_column(String(254), nullable=False, unique=True)
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id", ondelete="SET NULL"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"), index=True)
    #: the person asked for the newsletter; they are on the list only once confirmed
    newsletter: Mapped[bool] = mapped_column(default=False, nullable=False)
    newsletter_opt_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: how the opt-in reached us (source and the website's own note), for proof of consent
    newsletter_evidence: Mapped[str | None] = mapped_column(String(600))
    #: set when the person clicked the confirmation link (double opt-in)
    newsletter_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the confirmation mail went out at this moment (None: not sent yet, or sending failed)
    confirmation_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    client_access: Mapped[bool] = mapped_column(default=False, nullable=False)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the last client-area login link went out at this moment (one per minute at most)
    login_link_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: bumped at client-area logout and when access changes: older client cookies stop working
    client_session_version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default=Status.PENDING.value)
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    #: "api" or "staff": where the registration came from
    source: Mapped[str] = mapped_column(String(16), nullable=False, default="staff")

    office = relationship("Office")
    contact = relationship("Contact")

    @property
    def on_list(self) -> bool:
        """On the newsletter list: opted in, confirmed, and not unsubscribed or closed."""
        return bool(self.newsletter and self.newsletter_confirmed_at and self.status == Status.ACTIVE.value)

    @property
    def may_use_client_area(self) -> bool:
        return bool(self.client_access and self.office_id is not None and self.status != Status.CLOSED.value)

    def __repr__(self) -> str:
        return f"<Registration {self.id}>"


class ApiKey(Base):
    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    #: sha256 of the key, hex; the key itself is shown once and never stored
    key_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    #: the first characters of the key, so the admin can tell keys apart
    prefix: Mapped[str] = mapped_column(String(12), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    created_by = relationship("User")

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def __repr__(self) -> str:
        return f"<ApiKey {self.id}>"


class RegistrationPurge(Base):
    """How many registrations one purge run removed, by reason: counts only, never who."""

    __tablename__ = "registration_purges"
    __table_args__ = (
        CheckConstraint("reason IN ('unsubscribed', 'closed', 'unconfirmed')", name="reason_known"),
        CheckConstraint("count >= 0", name="count_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    purged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False, index=True)
    #: the day the purge ran for (``--as-of`` or today), in Amsterdam
    as_of: Mapped[date] = mapped_column(Date, nullable=False)
    reason: Mapped[str] = mapped_column(String(16), nullable=False)
    count: Mapped[int] = mapped_column(Integer, nullable=False)



class ApiRequest(Base):
    """One request to the registrations API, counted per bucket for the rate limit; kept a day at most.

    ``bucket`` is ``key:<api key id>`` or ``address:<keyed hash of the client address>``: no address in the clear.
    """

    __tablename__ = "api_requests"
    __table_args__ = (Index("ix_api_requests_bucket_at", "bucket", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bucket: Mapped[str] = mapped_column(String(80), nullable=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, index=True)
