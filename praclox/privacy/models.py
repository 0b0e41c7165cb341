"""The privacy officer's records: data-subject requests, erasure tombstones, suppression entries and
time-limited support grants."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from praclox.db import NEVER_REUSE_IDS, Base, TimestampMixin, UTCDateTime, utcnow
from praclox.vocabulary import Vocabulary


class RequestKind(Vocabulary):
    ACCESS = "access", _l("Access")
    RECTIFICATION = "rectification", _l("Rectification")
    ERASURE = "erasure", _l("Erasure")
    OBJECTION = "objection", _l("Objection")


class RequestStatus(Vocabulary):
    OPEN = "open", _l("open")
    COMPLETED = "completed", _l("completed")
    REJECTED = "rejected", _l("rejected")

    @property
    def badge(self) -> str:
        """The badge colour of the status on the request pages."""
        return {RequestStatus.OPEN: "primary", RequestStatus.COMPLETED: "success"}.get(self, "secondary")


#: what an erased requester's name and contact are replaced by
ERASED_MARKER = "[verwijderd]"


class PrivacyRequest(TimestampMixin, Base):
    """A data-subject request and its legal deadline (one month, extendable once by two)."""

    __tablename__ = "privacy_requests"
    __table_args__ = (
        CheckConstraint(RequestKind.check("kind"), name="kind_known"),
        CheckConstraint(RequestStatus.check("status"), name="status_known"),
        CheckConstraint("due_on >= received_on", name="due_after_received"),
        CheckConstraint("completed_on IS NULL OR completed_on >= received_on", name="completed_after_received"),
        CheckConstraint("(status = 'open') = (completed_on IS NULL)", name="completed_when_closed"),
        CheckConstraint("requester_name IS NOT NULL OR requester_contact IS NOT NULL", name="identifies_someone"),
        Index("ix_privacy_requests_open_due", "status", "due_on"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: who asked; replaced by a marker when the request ends in an erasure
    requester_name: Mapped[str | None] = mapped_column(String(200))
    #: how to reach them (e-mail, phone or address); replaced like the name
    requester_contact: Mapped[str | None] = mapped_column(String(254))
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    received_on: Mapped[date] = mapped_column(Date, nullable=False)
    due_on: Mapped[date] = mapped_column(Date, nullable=False)
    #: the once-only extension by two months, with the reason the requester was told
    extended: Mapped[bool] = mapped_column(default=False, nullable=False)
    extension_reason: Mapped[str | None] = mapped_column(String(1000))
    status: Mapped[str] = mapped_column(String(16), nullable=False, default=RequestStatus.OPEN.value)
    completed_on: Mapped[date | None] = mapped_column(Date)
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    #: what was done (e.g. which fields were rectified); for the officer, no copies of data
    outcome: Mapped[str | None] = mapped_column(String(2000))

    handled_by = relationship("User")

    @property
    def is_open(self) -> bool:
        return self.status == RequestStatus.OPEN.value


class Tombstone(Base):
    """Proof that an erasure happened, without anything that identifies the person."""

    __tablename__ = "privacy_tombstones"

    id: Mapped[int] = mapped_column(primary_key=True)
    erased_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    erased_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    request_id: Mapped[int | None] = mapped_column(ForeignKey("privacy_requests.id", ondelete="SET NULL"))
    #: JSON object: what was removed, as counts per domain and kind
    counts: Mapped[str] = mapped_column(Text, nullable=False)


class ReviewItem(Base):
    """A record an erasure could not decide about (it may still name the erased person): the privacy
    officer opens it, corrects it or confirms nothing of theirs is left. Names the record, never a value."""

    __tablename__ = "privacy_review_items"
    __table_args__ = (CheckConstraint("resolution IS NULL OR resolution IN ('corrected', 'kept')",
                                      name="resolution_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tombstone_id: Mapped[int] = mapped_column(ForeignKey("privacy_tombstones.id", ondelete="CASCADE"),
                                              nullable=False, index=True)
    #: the request the erasure answers: it cannot be closed while an item is open
    request_id: Mapped[int | None] = mapped_column(ForeignKey("privacy_requests.id", ondelete="SET NULL"),
                                                   index=True)
    record_type: Mapped[str] = mapped_column(String(64), nullable=False)
    record_id: Mapped[int] = mapped_column(nullable=False)
    #: the free-text columns to check, comma-separated
    columns: Mapped[str] = mapped_column(String(200), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: "corrected" (the officer changed the record) or "kept" (nothing of the person was left)
    resolution: Mapped[str | None] = mapped_column(String(16))

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class Suppression(Base):
    """A keyed hash of an erased person's e-mail address: warns when they are added again."""

    __tablename__ = "privacy_suppressions"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: HMAC-SHA256 of the lower-cased address, keyed with the app's secret: not reversible by lookup
    email_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    tombstone_id: Mapped[int | None] = mapped_column(ForeignKey("privacy_tombstones.id", ondelete="SET NULL"))


class SupportGrant(Base):
    """Read access for a support user, for a set number of hours, to what ``scope`` names."""

    __tablename__ = "support_grants"
    __table_args__ = (
        CheckConstraint("expires_at > starts_at", name="ends_after_start"),
        Index("ix_support_grants_user_active", "user_id", "revoked_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: what the grant opens, e.g. "offices" (read only)
    scope: Mapped[str] = mapped_column(String(32), nullable=False)
    reason: Mapped[str] = mapped_column(String(500), nullable=False)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, index=True)
    #: set at expiry by the scheduler, or earlier by an admin
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user = relationship("User", foreign_keys=[user_id])
    granted_by = relationship("User", foreign_keys=[granted_by_id])

    def active_at(self, moment: datetime) -> bool:
        return self.revoked_at is None and self.starts_at <= moment < self.expires_at


#: settings the privacy toolkit declares (the admin edits them at /admin/settings)
AUDIT_RETENTION_KEY = "privacy.audit_retention_months"
OFFICER_NAME_KEY = "privacy.officer_name"
OFFICER_ADDRESS_KEY = "privacy.officer_address"
OFFICER_EMAIL_KEY = "privacy.officer_email"
