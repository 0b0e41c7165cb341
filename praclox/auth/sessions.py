"""Server-side session records: idle and absolute timeouts, the list of active sessions, re-authentication."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import redirect, request, session, url_for
from flask_login import current_user
from sqlalchemy import delete, select

from praclox.auth.models import User, UserSession
from praclox.clock import now
from praclox.extensions import db
from praclox.settings import services as settings

F = TypeVar("F", bound=Callable[..., Any])

#: the key in the signed cookie session that names the server-side record
SESSION_KEY = "sid"
#: how stale ``last_seen_at`` may get before it is written again (saves a write per request)
TOUCH_EVERY = timedelta(seconds=60)

IDLE_MINUTES = "auth.session_idle_minutes"
ABSOLUTE_HOURS = "auth.session_absolute_hours"
REAUTH_MINUTES = "auth.reauth_minutes"

_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"),
             ("Chromium/", "Chromium"), ("Safari/", "Safari"))
_SYSTEMS = (("Windows", "Windows"), ("Android", "Android"), ("iPhone", "iOS"), ("iPad", "iPadOS"),
            ("Mac OS X", "macOS"), ("Linux", "Linux"))


def summarise_user_agent(raw: str | None) -> str:
    """A short, harmless description of a browser such as ``Firefox · Linux`` (the same in every language)."""
    raw = (raw or "")[:512]
    browser = next((name for marker, name in _BROWSERS if marker in raw), "")
    system = next((name for marker, name in _SYSTEMS if marker in raw), "")
    if browser and system:
        return f"{browser} · {system}"
    text = browser or system or re.sub(r"[^A-Za-z0-9 ./_-]", "", raw.split(" ")[0])
    return text[:100]


def start(user: User, user_agent: str | None) -> UserSession:
    """Record a new session for ``user`` and put its key into the cookie session."""
    moment = now()
    record = UserSession(
        key=secrets.token_urlsafe(32), user_id=user.id, created_at=moment, last_seen_at=moment,
        authenticated_at=moment, user_agent=summarise_user_agent(user_agent),
    )
    db.session.add(record)
    db.session.flush()
    session[SESSION_KEY] = record.key
    return record


def current() -> UserSession | None:
    """The server-side record of this request's session, if any."""
    key = session.get(SESSION_KEY)
    if not key or not isinstance(key, str):
        return None
    return db.session.scalar(select(UserSession).where(UserSession.key == key))


def expired(record: UserSession, moment: datetime) -> bool:
    """Whether the session has been idle too long or is older than the absolute limit."""
    idle = timedelta(minutes=settings.get(IDLE_MINUTES))
    absolute = timedelta(hours=settings.get(ABSOLUTE_HOURS))
    return moment - record.last_seen_at > idle or moment - record.created_at > absolute


def validate_current(user: User) -> bool:
    """True when this request's session is known, belongs to ``user`` and has not timed out.

    Touches ``last_seen_at``; deletes the record when it has timed out. The caller commits.
    """
    record = current()
    if record is None or record.user_id != user.id:
        return False
    moment = now()
    if expired(record, moment):
        db.session.delete(record)
        return False
    if moment - record.last_seen_at >= TOUCH_EVERY:
        record.last_seen_at = moment
    return True


def active_for(user: User) -> list[UserSession]:
    """The user's sessions that have not timed out, newest activity first."""
    moment = now()
    rows = db.session.scalars(
        select(UserSession).where(UserSession.user_id == user.id).order_by(UserSession.last_seen_at.desc())
    ).all()
    return [r for r in rows if not expired(r, moment)]


def end(user: User, session_id: int) -> bool:
    """End one of the user's own sessions; False when it is not theirs or already gone."""
    record = db.session.get(UserSession, session_id)
    if record is None or record.user_id != user.id:
        return False
    db.session.delete(record)
    db.session.flush()
    return True


def end_all(user: User, *, keep: str | None = None) -> int:
    """End every session of ``user`` (except the one with key ``keep``); returns how many."""
    statement = delete(UserSession).where(UserSession.user_id == user.id)
    if keep:
        statement = statement.where(UserSession.key != keep)
    result = db.session.execute(statement)
    return result.rowcount or 0


def mark_authenticated() -> None:
    """Note that the password was given again in this session (re-authentication)."""
    record = current()
    if record is not None:
        record.authenticated_at = now()


def recently_authenticated() -> bool:
    """Whether the password was given in this session within the re-authentication window."""
    record = current()
    if record is None:
        return False
    return now() - record.authenticated_at <= timedelta(minutes=settings.get(REAUTH_MINUTES))


def _return_path() -> str:
    """Where to come back after re-authentication: this page, or for a POST the page it came from."""
    if request.method == "GET":
        return request.full_path.rstrip("?")
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc == request.host and referrer.path:
        return referrer.path + (f"?{referrer.query}" if referrer.query else "")
    return url_for("main.index")


def require_recent_auth(view: F) -> F:
    """Before a sensitive action: the password must have been given within the last few minutes.

    Otherwise the user is sent to re-enter it and comes back here (a POST comes back to the form).
    """

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if current_user.is_authenticated and not recently_authenticated():
            return redirect(url_for("auth.reauth", next=_return_path()))
        return view(*args, **kwargs)

    wrapped.requires_recent_auth = True  # type: ignore[attr-defined]
    return wrapped  # type: ignore[return-value]
