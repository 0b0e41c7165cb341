"""Password reset by an e-mailed, single-use link that is valid for 30 minutes."""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update

from praclox import mail
from praclox.audit.services import record as audit
from praclox.auth import services, sessions
from praclox.auth.models import PasswordResetToken, User
from praclox.clock import now
from praclox.extensions import db
from praclox.forms import one_line

log = logging.getLogger("praclox.auth.reset")

VALID_FOR = timedelta(minutes=30)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(user: User) -> str:
    """A new reset token for ``user`` (earlier unused ones stop working); only its hash is stored."""
    moment = now()
    db.session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None))
        .values(used_at=moment)
    )
    token = secrets.token_urlsafe(32)
    db.session.add(PasswordResetToken(
        token_hash=_digest(token), user_id=user.id, created_at=moment, expires_at=moment + VALID_FOR,
    ))
    db.session.flush()
    return token


def request_reset(email: str) -> bool:
    """Mail a reset link when ``email`` belongs to an active user; the caller says the same either way."""
    user = services.get_by_email(email)
    if user is None or not user.active:
        return False
    token = issue(user)
    link = f"{current_app.config['BASE_URL'].rstrip('/')}/reset/{token}"
    text = _(
        "Hello %(name)s,\n\nSomeone asked for a new password for your Praclox CRM account. Choose one within "
        "30 minutes at:\n\n%(link)s\n\nThe link works once. If you did not ask for it, ignore this message; "
        "your password stays as it is.\n",
        name=one_line(user.name), link=link,
    )
    try:
        mail.send_mail(user.email, _("Praclox CRM: choose a new password"), text)
    except mail.MailNotConfigured:
        log.warning("password reset mail not sent: no SMTP host configured")
        return False
    except mail.MailFailed:
        return False
    log.info("password reset mail sent to 1 account holder")
    return True


def valid_token(token: str) -> PasswordResetToken | None:
    """The stored token when it is unused and not expired."""
    if not token or len(token) > 100:
        return None
    row = db.session.scalar(select(PasswordResetToken).where(PasswordResetToken.token_hash == _digest(token)))
    if row is None or row.used_at is not None or row.expires_at <= now():
        return None
    return row


def complete(token: str, new_password: str) -> User:
    """Set the new password with a valid token, use the token up and end every session of the user.

    Raises UserError with the reason when the password is not acceptable, LookupError for a bad token.
    """
    row = valid_token(token)
    if row is None:
        raise LookupError("token")
    user = db.session.get(User, row.user_id)
    if user is None or not user.active:
        raise LookupError("token")
    services.set_password(user, new_password, actor=user)
    row.used_at = now()
    sessions.end_all(user)
    audit("update", user, fields=["password_reset"], actor=user)
    db.session.flush()
    return user
