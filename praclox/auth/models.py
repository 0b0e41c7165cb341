"""Users and their roles."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from praclox.db import Base, TimestampMixin, UTCDateTime


class Role(enum.StrEnum):
    STAFF = "staff"
    RECRUITER = "recruiter"
    PRIVACY_OFFICER = "privacy_officer"
    ADMIN = "admin"
    #: an outside support engineer: sees nothing unless an admin grants time-limited read access
    SUPPORT = "support"


ROLE_VALUES = tuple(r.value for r in Role)


class User(UserMixin, TimestampMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: always stored lower-cased, which makes the unique constraint case-insensitive
    email: Mapped[str] = mapped_column(String(254), nullable=False, unique=True)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    active: Mapped[bool] = mapped_column(default=True, nullable=False)
    #: set for a generated one-time password: the user must choose their own first
    must_change_password: Mapped[bool] = mapped_column(default=False, nullable=False)
    #: bumped on logout-everywhere, password change and deactivation; old sessions stop
    session_version: Mapped[int] = mapped_column(default=1, nullable=False)
    locale: Mapped[str | None] = mapped_column(String(5))
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    roles: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin", order_by="UserRole.role"
    )

    @property
    def role_names(self) -> set[str]:
        return {r.role for r in self.roles}

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_names.intersection(roles))

    @property
    def is_active(self) -> bool:  # flask-login refuses inactive users
        return self.active

    def get_id(self) -> str:
        # the session version travels in the id, so bumping it logs out every copy of the cookie
        return f"{self.id}:{self.session_version}"

    def __repr__(self) -> str:
        return f"<User {self.id}>"


class UserRole(Base):
    __tablename__ = "user_roles"
    __table_args__ = (
        UniqueConstraint("user_id", "role"),
        CheckConstraint("role IN ('staff', 'recruiter', 'privacy_officer', 'admin', 'support')", name="role_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    role: Mapped[str] = mapped_column(String(32), nullable=False)

    user: Mapped[User] = relationship(back_populates="roles")
