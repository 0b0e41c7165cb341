"""Vacancies, applicants, their status history, consents, documents, and the tombstones of purged ones."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from praclox.crypto import EncryptedText
from praclox.db import NEVER_REUSE_IDS, Base, TimestampMixin, UTCDateTime, utcnow
from praclox.vocabulary import Vocabulary


class Status(Vocabulary):
    NEW = "new", _l("New")
    CONVERSATION = "conversation", _l("In conversation")
    OFFER = "offer", _l("Offer")
    HIRED = "hired", _l("Hired")
    REJECTED = "rejected", _l("Rejected")
    WITHDRAWN = "withdrawn", _l("Withdrawn")


STATUS_VALUES = Status.values()
#: statuses that end the procedure; the retention clock runs from their decision date
DECIDED = (Status.HIRED.value, Status.REJECTED.value, Status.WITHDRAWN.value)
OPEN_STATUSES = (Status.NEW.value, Status.CONVERSATION.value, Status.OFFER.value)
#: the moves the pipeline allows (a decided applicant can be reopened, e.g. after a mistake)
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.NEW: (Status.CONVERSATION, Status.REJECTED, Status.WITHDRAWN),
    Status.CONVERSATION: (Status.NEW, Status.OFFER, Status.REJECTED, Status.WITHDRAWN),
    Status.OFFER: (Status.CONVERSATION, Status.HIRED, Status.REJECTED, Status.WITHDRAWN),
    Status.HIRED: (Status.OFFER,),
    Status.REJECTED: (Status.NEW, Status.CONVERSATION),
    Status.WITHDRAWN: (Status.NEW, Status.CONVERSATION),
}


class ConsentMethod(Vocabulary):
    """How an applicant gave consent to keep their data."""

    EMAIL = "email", _l("E-mail")
    FORM = "form", _l("Form")
    PHONE = "phone", _l("Phone")


class DocumentKind(Vocabulary):
    CV = "cv", _l("CV")
    LETTER = "letter", _l("Letter")
    OTHER = "other", _l("Other")


class FileType(Vocabulary):
    """What a stored document's bytes are (checked by content), with the file name ending it must have."""

    PDF = "pdf", ".pdf"
    DOCX = "docx", ".docx"
    ODT = "odt", ".odt"


CONSENT_METHODS = ConsentMethod.values()
DOCUMENT_KINDS = DocumentKind.values()
#: the rules a purge can apply; a tombstone records which one did
RULES = ("rejected", "withdrawn", "hired", "consent_expired", "consent_withdrawn", "erasure_request")


def _in(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


class Vacancy(TimestampMixin, Base):
    __tablename__ = "vacancies"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    is_open: Mapped[bool] = mapped_column(default=True, nullable=False)

    def __repr__(self) -> str:
        return f"<Vacancy {self.id}>"


class RejectionReason(Base):
    """A reason the admin keeps in a list; recruiters choose one when they reject."""

    __tablename__ = "rejection_reasons"

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(200), nullable=False, unique=True)
    active: Mapped[bool] = mapped_column(default=True, nullable=False)


class Applicant(TimestampMixin, Base):
    __tablename__ = "applicants"
    __table_args__ = (
        CheckConstraint(Status.check("status"), name="status_known"),
        CheckConstraint(f"decided_on IS NOT NULL OR status NOT IN ({_in(DECIDED)})", name="decided_has_date"),
        CheckConstraint("legal_hold = false OR legal_hold_reason IS NOT NULL", name="hold_has_reason"),
        Index("ix_applicants_status_decided", "status", "decided_on"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancies.id", ondelete="RESTRICT"), nullable=False, index=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(30))
    applied_on: Mapped[date] = mapped_column(Date, nullable=False)
    #: where the application came from (website, referral, agency...)
    source: Mapped[str | None] = mapped_column(String(100))
    #: encrypted at rest: interview impressions are confidential
    notes: Mapped[str | None] = mapped_column(EncryptedText)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default=Status.NEW.value)
    #: the day of the hire, rejection or withdrawal; the retention clock runs from here
    decided_on: Mapped[date | None] = mapped_column(Date)
    #: the last day anything happened; a pipeline without activity is flagged in the report
    last_activity_on: Mapped[date] = mapped_column(Date, nullable=False)
    legal_hold: Mapped[bool] = mapped_column(default=False, nullable=False)
    legal_hold_reason: Mapped[str | None] = mapped_column(String(500))

    vacancy: Mapped[Vacancy] = relationship()
    history: Mapped[list[StatusChange]] = relationship(
        back_populates="applicant", cascade="all, delete-orphan", passive_deletes=True,
        order_by="(StatusChange.at.desc(), StatusChange.id.desc())",
    )
    consents: Mapped[list[Consent]] = relationship(
        back_populates="applicant", cascade="all, delete-orphan", passive_deletes=True,
        order_by="(Consent.given_on.desc(), Consent.id.desc())",
    )
    documents: Mapped[list[Document]] = relationship(
        back_populates="applicant", cascade="all, delete-orphan", passive_deletes=True,
        order_by="Document.id",
    )

    def __repr__(self) -> str:
        return f"<Applicant {self.id}>"


class StatusChange(Base):
    __tablename__ = "applicant_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    applicant_id: Mapped[int] = mapped_column(
        ForeignKey("applicants.id", ondelete="CASCADE"), nullable=False, index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16), nullable=False)
    decided_on: Mapped[date | None] = mapped_column(Date)
    reason_id: Mapped[int | None] = mapped_column(ForeignKey("rejection_reasons.id", ondelete="SET NULL"))

    applicant: Mapped[Applicant] = relationship(back_populates="history")
    by = relationship("User")
    reason: Mapped[RejectionReason | None] = relationship()


class Consent(Base):
    """Consent to keep an applicant's data for future vacancies: its own record, with evidence."""

    __tablename__ = "applicant_consents"
    __table_args__ = (
        CheckConstraint(ConsentMethod.check("method"), name="method_known"),
        CheckConstraint("expires_on > given_on", name="expires_after_given"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    applicant_id: Mapped[int] = mapped_column(
        ForeignKey("applicants.id", ondelete="CASCADE"), nullable=False, index=True
    )
    given_on: Mapped[date] = mapped_column(Date, nullable=False)
    method: Mapped[str] = mapped_column(String(16), nullable=False)
    #: a note (who said what, when) or the record of the signed link; encrypted, it may quote the person
    evidence: Mapped[str] = mapped_column(EncryptedText, nullable=False)
    #: the first day the consent no longer holds
    expires_on: Mapped[date] = mapped_column(Date, nullable=False)
    withdrawn_on: Mapped[date | None] = mapped_column(Date)
    #: when the renewal request went out (a month before expiry), so it is asked once
    renewal_requested_on: Mapped[date | None] = mapped_column(Date)

    applicant: Mapped[Applicant] = relationship(back_populates="consents")

    def valid_on(self, day: date) -> bool:
        return self.given_on <= day < self.expires_on and (self.withdrawn_on is None or day < self.withdrawn_on)

    @property
    def ended_on(self) -> date:
        """The day the consent stopped (or will stop) holding."""
        return min(self.expires_on, self.withdrawn_on) if self.withdrawn_on else self.expires_on


class ConsentLink(Base):
    """A consent request sent by e-mail: its nonce makes the signed link single-use."""

    __tablename__ = "applicant_consent_links"

    nonce: Mapped[str] = mapped_column(String(64), primary_key=True)
    applicant_id: Mapped[int] = mapped_column(
        ForeignKey("applicants.id", ondelete="CASCADE"), nullable=False, index=True
    )
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Document(Base):
    """A CV or letter; the bytes live encrypted in the shared file store (``praclox/files``)."""

    __tablename__ = "applicant_documents"
    __table_args__ = (
        CheckConstraint(DocumentKind.check("kind"), name="kind_known"),
        CheckConstraint(FileType.check("file_type"), name="type_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    applicant_id: Mapped[int] = mapped_column(
        ForeignKey("applicants.id", ondelete="CASCADE"), nullable=False, index=True
    )
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    #: the name the user gave the file (often their own name): encrypted, never used on disk
    original_name: Mapped[str] = mapped_column(EncryptedText, nullable=False)
    #: the stored file's random, meaningless name; RESTRICT: the file goes with its row, never before it
    stored_name: Mapped[str] = mapped_column(ForeignKey("stored_files.name", ondelete="RESTRICT"), nullable=False,
                                             unique=True)
    file_type: Mapped[str] = mapped_column(String(8), nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    applicant: Mapped[Applicant] = relationship(back_populates="documents")


class Tombstone(Base):
    """What is left of a purged applicant: no personal data, enough for the counts to stay right."""

    __tablename__ = "applicant_tombstones"
    __table_args__ = (
        CheckConstraint(f"rule IN ({_in(RULES)})", name="rule_known"),
        Index("ix_applicant_tombstones_purged", "purged_on", "rule"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: a random id, unrelated to the applicant's old id
    public_id: Mapped[str] = mapped_column(String(32), nullable=False, unique=True)
    vacancy_title: Mapped[str] = mapped_column(String(200), nullable=False)
    decided_on: Mapped[date | None] = mapped_column(Date)
    purged_on: Mapped[date] = mapped_column(Date, nullable=False)
    rule: Mapped[str] = mapped_column(String(32), nullable=False)


class ReportSubscription(Base):
    """A privacy officer who receives the retention report by e-mail each month."""

    __tablename__ = "retention_report_subscriptions"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    #: the first day of the month last sent, so a month is sent once
    last_sent_month: Mapped[date | None] = mapped_column(Date)

