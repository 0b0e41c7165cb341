"""Error pages in the site's look; details only in the log, under an incident id."""

from __future__ import annotations

import logging
import secrets
import traceback

from flask import Flask, render_template, request, session
from flask.sessions import NullSession
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

log = logging.getLogger("praclox.errors")


def describe(exc: BaseException) -> str:
    """The exception chain as types and frames, without the messages.

    Messages can carry data: a database names the duplicate value in a unique-key error, a KeyError shows
    its key. Where it happened (file, line, function) and what kind of error is enough to find the cause.
    """
    lines: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        kind = type(current)
        lines.append(f"{kind.__module__}.{kind.__qualname__}")
        for frame in traceback.extract_tb(current.__traceback__):
            lines.append(f"  {frame.filename}:{frame.lineno} in {frame.name}")
        current = current.__cause__ or current.__context__
        if current is not None:
            lines.append("caused by / during:")
    return "\n".join(lines)


def _user_id() -> int | None:
    """The acting user's number (never a name or address), for security log lines."""
    from flask_login import current_user

    return current_user.id if getattr(current_user, "is_authenticated", False) else None


def _page(code: int, title: str, message: str, incident: str | None = None) -> tuple[str, int, dict[str, str]]:
    """The error page in the site's look; plain text where a path has no session (calendar feeds)."""
    if isinstance(session, NullSession):
        # no cookie may be read or set here, and the full page would need one for its forms
        return f"{code} {title}\n", code, {"Content-Type": "text/plain; charset=utf-8"}
    from praclox.main.outage import UNAVAILABLE, unavailable_response

    try:
        return render_template("errors/error.html", code=code, title=title, message=message,
                               incident=incident), code, {}
    except UNAVAILABLE as exc:  # the page's frame loads the user: without a database, the 503 page instead
        return unavailable_response(exc)


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError) -> tuple[str, int, dict[str, str]]:
        log.warning("CSRF check failed on %s %s (user %s)", request.method, request.url_rule, _user_id())
        return _page(400, _("Form expired"),
                     _("The form was open too long or came from elsewhere. Reload the page and try again."))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> tuple[str, int, dict[str, str]]:
        code = exc.code or 500
        if code == 403:
            log.warning("access denied on %s %s (user %s)", request.method, request.url_rule, _user_id())
        titles = {
            400: _("Bad request"),
            403: _("No access"),
            404: _("Page not found"),
            405: _("Method not allowed"),
            413: _("File too large"),
            422: _("Invalid input"),
        }
        messages = {
            403: _("Your roles do not give access to this page."),
            404: _("This page does not exist or has been removed."),
            413: _("The file is larger than allowed."),
        }
        return _page(code, titles.get(code, _("Error")), messages.get(code, _("The request could not be handled.")))

    from praclox.main.outage import UNAVAILABLE, unavailable_response

    # the database is down: a page that needs no database (the 500 page would load the user again)
    for kind in UNAVAILABLE:
        app.register_error_handler(kind, unavailable_response)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> tuple[str, int, dict[str, str]]:
        if isinstance(exc, HTTPException):
            return http_error(exc)
        if isinstance(exc, UNAVAILABLE):  # wrapped or re-raised as another type's context
            return unavailable_response(exc)
        incident = secrets.token_hex(6)
        log.error("incident %s on %s %s\n%s", incident, request.method, request.url_rule, describe(exc))
        from praclox.extensions import db

        db.session.rollback()
        return _page(500, _("Something went wrong"),
                     _("The error has been logged. Quote this incident id when you report it:"), incident)
