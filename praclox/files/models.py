"""The stored file: encrypted bytes under a random, meaningless name; the rows that use it say what it is."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column

from praclox.db import Base, UTCDateTime, utcnow


class StoredFile(Base):
    """One file's bytes, encrypted (a Fernet token). Owners (an applicant's document, an office's attachment)
    point at ``name`` with a foreign key, so a file in use cannot be removed; the owner and its file are written
    and removed in one transaction."""

    __tablename__ = "stored_files"

    #: random hex; says nothing about the file or its owner
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: deferred: listing documents never reads megabytes it does not show
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    stored_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    def __repr__(self) -> str:
        return f"<StoredFile {self.name[:8]}…>"
