"""Brute-force protection that cannot be turned into a lockout of the account holder (ASVS 2.2.1).

Failed logins are counted in the database (so the limits hold across every gunicorn worker without an extra
server), as keyed hashes of the account and of the client address: the table holds no personal data in the
clear. Three limits, each doubling its wait with every further failure (1, 2, 4 … minutes, at most the window):

* one address guessing one account (``ACCOUNT_LIMIT``, 5): that address is slowed for that account only, so
  failures from an attacker's address never lock the holder out of their own address;
* one address guessing many accounts (``ADDRESS_LIMIT``, 20): that address is slowed for every account;
* one account guessed from many addresses (``ACCOUNT_CEILING``, 25): the account is closed to password logins
  from browsers that hold no unlock, about 100 guesses an hour at most. The holder is mailed an unlock link
  (``praclox.auth.unlock``) that opens the account for their browser, and the password reset stays open.

Reset requests are not login failures: they have their own per-address limit and a cap on mails per account.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app, request
from sqlalchemy import delete, func, select

from praclox.auth.models import LoginAttempt
from praclox.clock import now
from praclox.extensions import db
from praclox.settings import services as settings

ACCOUNT_LIMIT = "auth.lockout_account_failures"
ADDRESS_LIMIT = "auth.lockout_address_failures"
ACCOUNT_CEILING = "auth.lockout_account_ceiling"
WINDOW_MINUTES = "auth.lockout_window_minutes"
#: reset links mailed to one account per window; further requests get the same answer and no mail, so the
#: last link sent stays the valid one
RESET_MAILS_PER_WINDOW = 3
LOGIN_KINDS = ("password", "second_factor")


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
    #: "pair" (this address for this account), "address" (this address for all) or "account" (all addresses)
    scope: str


def _window() -> timedelta:
    return timedelta(minutes=settings.get(WINDOW_MINUTES))


def _count(*conditions: Any, since: datetime, kinds: tuple[str, ...] = LOGIN_KINDS,
           success: bool = False) -> tuple[int, datetime | None]:
    count, last = db.session.execute(
        select(func.count(LoginAttempt.id), func.max(LoginAttempt.at)).where(
            *conditions, LoginAttempt.kind.in_(kinds), LoginAttempt.success.is_(success), LoginAttempt.at > since,
        )
    ).one()
    return int(count), last


def _since_last_success(window_start: datetime, *conditions: Any) -> datetime:
    """Failures before the last success (a login or a completed reset) no longer count."""
    last_ok = db.session.scalar(
        select(func.max(LoginAttempt.at)).where(*conditions, LoginAttempt.success.is_(True))
    )
    return max(window_start, last_ok) if last_ok else window_start


def _lock_for(failures: int, last: datetime | None, limit: int, window: timedelta) -> datetime | None:
    if last is None or failures < limit:
        return None
    return last + min(timedelta(minutes=2 ** (failures - limit)), window)


def account_failures(email: str) -> int:
    """Failed logins on this account from all addresses in the window (since its last success)."""
    acc = account_key(email)
    since = _since_last_success(now() - _window(), LoginAttempt.account_key == acc)
    return _count(LoginAttempt.account_key == acc, since=since)[0]


def _pair_lock(acc: str, addr: str, moment: datetime, window: timedelta) -> Lock | None:
    both = (LoginAttempt.account_key == acc, LoginAttempt.address_key == addr)
    count, last = _count(*both, since=_since_last_success(moment - window, *both))
    until = _lock_for(count, last, settings.get(ACCOUNT_LIMIT), window)
    return Lock(until, count, "pair") if until and until > moment else None


def _address_lock(addr: str, moment: datetime, window: timedelta, kinds: tuple[str, ...] = LOGIN_KINDS,
                  success: bool = False) -> Lock | None:
    count, last = _count(LoginAttempt.address_key == addr, since=moment - window, kinds=kinds, success=success)
    until = _lock_for(count, last, settings.get(ADDRESS_LIMIT), window)
    return Lock(until, count, "address") if until and until > moment else None


def _account_lock(acc: str, moment: datetime, window: timedelta) -> Lock | None:
    since = _since_last_success(moment - window, LoginAttempt.account_key == acc)
    count, last = _count(LoginAttempt.account_key == acc, since=since)
    until = _lock_for(count, last, settings.get(ACCOUNT_CEILING), window)
    return Lock(until, count, "account") if until and until > moment else None


def lock_state(email: str, address: str | None = None, *, account_wide: bool = True) -> Lock | None:
    """The lock that holds now for this account from this address, if any.

    ``account_wide=False`` leaves out the all-addresses ceiling: for a holder who has proven who they are
    (an unlock link in this browser, or a logged-in session asking for the password again).
    """
    moment, window = now(), _window()
    acc, addr = account_key(email), address_key(address)
    found = [lock for lock in (
        _pair_lock(acc, addr, moment, window),
        _address_lock(addr, moment, window),
        _account_lock(acc, moment, window) if account_wide else None,
    ) if lock is not None]
    return max(found, key=lambda lock: lock.until) if found else None


def reset_source_lock(address: str | None = None) -> Lock | None:
    """Too many reset requests from this address (for any accounts) in the window."""
    return _address_lock(address_key(address), now(), _window(), kinds=("reset",))


def reset_mail_allowed(email: str) -> bool:
    """Whether one more reset link may be mailed to this account in this window (counting this request)."""
    count, _last = _count(LoginAttempt.account_key == account_key(email), since=now() - _window(),
                          kinds=("reset",))
    return count <= RESET_MAILS_PER_WINDOW


def record_attempt(email: str, *, success: bool, kind: str = "password", address: str | None = None) -> None:
    """Count one attempt (the caller commits). ``kind="reset"`` with ``success=False`` is a reset request."""
    db.session.add(LoginAttempt(
        at=now(), account_key=account_key(email), address_key=address_key(address), kind=kind, success=success,
    ))
    db.session.flush()


def notice_due(email: str) -> bool:
    """True right after the failure that reached the first limit or the ceiling (to send the e-mail once each)."""
    count = account_failures(email)
    return count in (settings.get(ACCOUNT_LIMIT), settings.get(ACCOUNT_CEILING))


def forget_older_than(days: int = 30) -> int:
    """Delete attempts older than ``days``; they no longer count for anything."""
    result = db.session.execute(delete(LoginAttempt).where(LoginAttempt.at < now() - timedelta(days=days)))
    return result.rowcount or 0
