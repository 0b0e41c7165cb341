"""Users and their roles."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from praclox.crypto import EncryptedText
from praclox.db import NEVER_REUSE_IDS, Base, TimestampMixin, UTCDateTime


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
    __table_args__ = (NEVER_REUSE_IDS,)

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


class UserSession(Base):
    """One logged-in browser session; deleting the row ends that session at its next request."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: random identifier kept in the signed session cookie; never shown
    key: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    #: the last time the password (and second factor) were given in this session
    authenticated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    #: "Firefox · Windows" and the like; never the raw header, never an address
    user_agent: Mapped[str] = mapped_column(String(100), nullable=False, default="")


class LoginAttempt(Base):
    """A failed (or successful) login, counted per account and per client address.

    Both are stored as keyed hashes, so the table holds no e-mail address and no IP address.
    """

    __tablename__ = "login_attempts"
    __table_args__ = (CheckConstraint("kind IN ('password', 'second_factor', 'reset')", name="kind_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, index=True)
    account_key: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    address_key: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    success: Mapped[bool] = mapped_column(nullable=False, default=False)


class TotpFactor(Base):
    """A user's authenticator app (TOTP); ``confirmed_at`` is empty while enrolment is unfinished."""

    __tablename__ = "totp_factors"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False, unique=True)
    #: base32 secret, encrypted at rest
    secret: Mapped[str] = mapped_column(EncryptedText, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the last 30-second time step accepted: a code is good once only
    last_step: Mapped[int | None] = mapped_column(BigInteger)


class RecoveryCode(Base):
    """A single-use recovery code, stored as a hash."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    code_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PasswordResetToken(Base):
    """An e-mailed reset link: only the SHA-256 of its secret is stored; single use, short-lived."""

    __tablename__ = "password_reset_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
