"""The database is unreachable: a 503 page that needs no database, and a log that does not drown.

During an outage every request fails the same way. Each process keeps one incident open while failures
keep coming: the first failure logs one line (exception type and incident id, never SQL or values), later
ones are only counted, and a summary line follows at most once per ``REPORT_EVERY`` seconds. Users see the
same incident id, so a report from a user matches the log line.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from dataclasses import dataclass

from flask import current_app, session
from flask_babel import force_locale
from sqlalchemy import exc as sa_exc
from sqlalchemy import text

log = logging.getLogger("praclox.outage")

#: errors that mean "the database cannot be reached or cannot answer now", not "this request is wrong"
UNAVAILABLE = (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError)
#: what the 503 answer asks clients and proxies to wait before trying again
RETRY_AFTER_SECONDS = 30
#: a failure this long after the previous one opens a new incident
QUIET_SECONDS = 60.0
#: at most one line per incident in this many seconds, however many requests fail
REPORT_EVERY = 60.0


@dataclass
class _Incident:
    id: str
    opened: float
    last_failure: float
    last_report: float
    failures: int = 0
    unreported: int = 0


class IncidentLog:
    """Per process: the open incident and how many failures it has had (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._current: _Incident | None = None

    def failure(self, exc: BaseException, clock: float | None = None) -> str:
        """Count one failed request; log when an incident opens or its summary is due. Returns its id."""
        moment = time.monotonic() if clock is None else clock
        kind = f"{type(exc).__module__}.{type(exc).__qualname__}"
        with self._lock:
            incident = self._current
            if incident is None or moment - incident.last_failure > QUIET_SECONDS:
                incident = self._current = _Incident(secrets.token_hex(6), moment, moment, moment)
                incident.failures = 1
                log.error("database unavailable: incident %s opened (%s)", incident.id, kind)
                return incident.id
            incident.failures += 1
            incident.unreported += 1
            incident.last_failure = moment
            if moment - incident.last_report >= REPORT_EVERY:
                log.error("database unavailable: incident %s continues, %d failed request(s) in %.0f s (%s)",
                          incident.id, incident.unreported, moment - incident.last_report, kind)
                incident.unreported, incident.last_report = 0, moment
            return incident.id


incidents = IncidentLog()


def _locale() -> str:
    """The page's language from the cookie session alone: the user's own setting would need the database."""
    chosen = session.get("lang")
    return chosen if chosen in current_app.config["LOCALES"] else current_app.config["DEFAULT_LOCALE"]


def unavailable_response(exc: BaseException) -> tuple[str, int, dict[str, str]]:
    """The 503 answer: rendered straight from the template, without the context processors (navigation and
    the current user would load the user from the database)."""
    from praclox.extensions import db

    incident = incidents.failure(exc)
    try:
        db.session.rollback()
    except Exception:  # noqa: S110 -- the connection is already gone; the rollback only tidies up  # nosec B110
        pass
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS), "Content-Type": "text/html; charset=utf-8"}
    if session.__class__.__name__ == "NullSession":
        return f"503 Service Unavailable ({incident})\n", 503, {**headers, "Content-Type": "text/plain"}
    locale = _locale()
    with force_locale(locale):
        page = current_app.jinja_env.get_template("errors/unavailable.html").render(
            incident=incident, get_locale=lambda: locale)
    return page, 503, headers


def database_ready(timeout_seconds: float = 3.0) -> bool:
    """One ``SELECT 1`` on a fresh check-out from the pool; False when the database does not answer."""
    from praclox.extensions import db

    try:
        with db.engine.connect() as conn:
            if db.engine.dialect.name == "postgresql":
                conn.execute(text(f"SET LOCAL statement_timeout = {int(timeout_seconds * 1000)}"))
            conn.execute(text("SELECT 1"))
        return True
    except UNAVAILABLE:
        return False
