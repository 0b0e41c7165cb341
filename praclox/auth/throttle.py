"""Brute-force protection: failed logins counted in the database, per account and per client address.

Counting in the database makes the limit hold across every gunicorn worker without an extra server.
Accounts and addresses are stored as keyed hashes, so the table holds no personal data in the clear.
After the threshold within the window, each further failure doubles the wait (1, 2, 4 … minutes, at most
the window); the account holder is told by e-mail when their account is first locked.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, request
from flask_babel import gettext as _
from sqlalchemy import func, select

from praclox import mail
from praclox.auth.models import LoginAttempt, User
from praclox.clock import now
from praclox.extensions import db
from praclox.settings import services as settings

log = logging.getLogger("praclox.auth.throttle")

ACCOUNT_LIMIT = "auth.lockout_account_failures"
ADDRESS_LIMIT = "auth.lockout_address_failures"
WINDOW_MINUTES = "auth.lockout_window_minutes"


def _keyed(kind: str, value: str) -> str:
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def account_key(email: str) -> str:
    """The keyed hash under which an account's attempts are counted."""
    return _keyed("account", email.strip().lower())


def address_key(address: str | None = None) -> str:
    """The keyed hash of a client address (this request's when none is given)."""
    return _keyed("address", address if address is not None else (request.remote_addr or "unknown"))


@dataclass(frozen=True)
class Lock:
    until: datetime
    failures: int


def _failures(column: object, key: str, since: datetime) -> tuple[int, datetime | None]:
    count, last = db.session.execute(
        select(func.count(LoginAttempt.id), func.max(LoginAttempt.at)).where(
            column == key, LoginAttempt.success.is_(False), LoginAttempt.at > since  # type: ignore[operator]
        )
    ).one()
    return int(count), last


def _lock_for(failures: int, last: datetime | None, limit: int, window: timedelta) -> datetime | None:
    if last is None or failures < limit:
        return None
    wait = min(timedelta(minutes=2 ** (failures - limit)), window)
    return last + wait


def _since_last_success(key: str, window_start: datetime) -> datetime:
    last_ok = db.session.scalar(
        select(func.max(LoginAttempt.at)).where(LoginAttempt.account_key == key, LoginAttempt.success.is_(True))
    )
    return max(window_start, last_ok) if last_ok else window_start


def lock_state(email: str, address: str | None = None) -> Lock | None:
    """The lock that holds now for this account or this address, if any."""
    moment = now()
    window = timedelta(minutes=settings.get(WINDOW_MINUTES))
    acc = account_key(email)
    found: list[Lock] = []
    count, last = _failures(LoginAttempt.account_key, acc, _since_last_success(acc, moment - window))
    until = _lock_for(count, last, settings.get(ACCOUNT_LIMIT), window)
    if until and until > moment:
        found.append(Lock(until, count))
    count, last = _failures(LoginAttempt.address_key, address_key(address), moment - window)
    until = _lock_for(count, last, settings.get(ADDRESS_LIMIT), window)
    if until and until > moment:
        found.append(Lock(until, count))
    return max(found, key=lambda lock: lock.until) if found else None


def record_attempt(email: str, *, success: bool, kind: str = "password", address: str | None = None) -> None:
    """Count one attempt (the caller commits)."""
    db.session.add(LoginAttempt(
        at=now(), account_key=account_key(email), address_key=address_key(address), kind=kind, success=success,
    ))
    db.session.flush()


def just_locked(email: str) -> bool:
    """True right after the failure that reached the account threshold (to send the e-mail once)."""
    moment = now()
    window = timedelta(minutes=settings.get(WINDOW_MINUTES))
    acc = account_key(email)
    count, _last = _failures(LoginAttempt.account_key, acc, _since_last_success(acc, moment - window))
    return count == settings.get(ACCOUNT_LIMIT)


def tell_user_of_lock(user: User) -> bool:
    """E-mail the account holder that their account was locked after failed logins; True when sent."""
    base = current_app.config["BASE_URL"].rstrip("/")
    text = _(
        "Hello %(name)s,\n\nThere were several failed attempts to log in to your Praclox CRM account. "
        "The account is locked for a few minutes.\n\nIf that was not you, change your password after the lock "
        "ends, or ask for a new one at %(url)s.\n",
        name=user.name, url=f"{base}/password-reset",
    )
    try:
        mail.send_mail(user.email, _("Praclox CRM: failed login attempts"), text)
    except mail.MailNotConfigured:
        log.warning("lockout notice not sent: no SMTP host configured")
        return False
    except mail.MailFailed:
        return False
    log.info("lockout notice sent to 1 account holder")
    return True


def forget_older_than(days: int = 30) -> int:
    """Delete attempts older than ``days``; they no longer count for anything."""
    from sqlalchemy import delete

    result = db.session.execute(delete(LoginAttempt).where(LoginAttempt.at < now() - timedelta(days=days)))
    return result.rowcount or 0
