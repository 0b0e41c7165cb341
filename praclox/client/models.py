"""The client area's own record: which single-use login links have been used."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from praclox.db import Base, UTCDateTime, utcnow


class UsedClientNonce(Base):
    """A client-area login link that was used; a second use is refused. Nothing personal."""

    __tablename__ = "client_used_nonces"

    nonce: Mapped[str] = mapped_column(String(64), primary_key=True)
    used_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False, index=True)
