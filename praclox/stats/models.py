"""The one table the use analysis writes: how often each page was opened per day, and nothing else."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from praclox.db import Base


class EndpointUse(Base):
    """Requests per endpoint per day: no user, session, address or time of day is kept."""

    __tablename__ = "endpoint_uses"
    __table_args__ = (CheckConstraint("count > 0", name="count_positive"),)

    #: the day in the installation's time zone
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    #: a Flask endpoint name such as ``offices.detail``: never the URL, which may hold an id or a search
    endpoint: Mapped[str] = mapped_column(String(120), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, nullable=False)

    def __repr__(self) -> str:
        return f"<EndpointUse {self.day} {self.endpoint}>"
