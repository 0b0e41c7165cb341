"""Nightly clean-up of security records that no longer serve a purpose (data minimisation)."""

from __future__ import annotations

from sqlalchemy import delete, or_, select

from praclox.auth import sessions, throttle
from praclox.auth.models import PasswordResetToken, UserSession
from praclox.clock import now
from praclox.extensions import db

#: failed and successful logins are kept this long (enough to look into an attack, then gone)
ATTEMPTS_KEPT_DAYS = 30
#: the tables the clean-up deletes from (VACUUMed on PostgreSQL afterwards)
PRUNED_TABLES = ("login_attempts", "password_reset_tokens", "user_sessions")


def prune_security_records() -> dict[str, int]:
    """Delete old login attempts, used or expired reset links and timed-out sessions; returns counts."""
    moment = now()
    attempts = throttle.forget_older_than(ATTEMPTS_KEPT_DAYS)
    tokens = db.session.execute(delete(PasswordResetToken).where(or_(
        PasswordResetToken.expires_at < moment, PasswordResetToken.used_at.is_not(None)))).rowcount or 0
    stale = [row.id for row in db.session.scalars(select(UserSession)) if sessions.expired(row, moment)]
    if stale:
        db.session.execute(delete(UserSession).where(UserSession.id.in_(stale)))
    db.session.commit()
    return {"login_attempts": attempts, "reset_links": tokens, "sessions": len(stale)}
