"""An attachment: a document on an office (optionally about one of its contacts); its bytes are in the store."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from praclox.crypto import EncryptedText
from praclox.db import Base, UTCDateTime, utcnow
from praclox.files.checks import TYPES
from praclox.files.models import StoredFile
from praclox.vocabulary import Vocabulary


class AttachmentKind(Vocabulary):
    PROPOSAL = "proposal", _l("Proposal")
    CONTRACT = "contract", _l("Contract")
    MINUTES = "minutes", _l("Minutes")
    OTHER = "other", _l("Other")


#: every type the store knows: PDF, DOCX, ODT, XLSX, ODS and images
FILE_TYPES = tuple(TYPES)


def _in(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


class Attachment(Base):
    """A document of an office; with ``contact_id`` it is about that contact (and goes with the contact)."""

    __tablename__ = "attachments"
    __table_args__ = (
        CheckConstraint(AttachmentKind.check("kind"), name="kind_known"),
        CheckConstraint(f"file_type IN ({_in(FILE_TYPES)})", name="type_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id", ondelete="CASCADE"), nullable=False, index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    #: the name the file came with (it may name a person): encrypted
    original_name: Mapped[str] = mapped_column(EncryptedText, nullable=False)
    #: the stored file's random name; RESTRICT: the file goes with its row, never before it
    stored_name: Mapped[str] = mapped_column(ForeignKey("stored_files.name", ondelete="RESTRICT"), nullable=False,
                                             unique=True)
    file_type: Mapped[str] = mapped_column(String(8), nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    office = relationship("Office")
    contact = relationship("Contact")
    uploaded_by = relationship("User")
    #: the unit of work deletes the attachment before its file
    file: Mapped[StoredFile] = relationship(StoredFile)

    def __repr__(self) -> str:
        return f"<Attachment {self.id}>"
