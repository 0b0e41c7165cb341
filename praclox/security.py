"""Response headers on every response, and running behind a TLS-terminating proxy.

- A Content-Security-Policy without ``unsafe-inline``: every script and style comes from ``static/``.
- ``frame-ancestors 'none'`` (and X-Frame-Options for old browsers), nosniff, Referrer-Policy same-origin.
- HSTS when the request came over HTTPS (directly or, with ``PRACLOX_PROXY_FIX``, via the proxy).
- ``Cache-Control: no-store`` on everything but static files: pages behind the login hold personal data, and
  the public pages are small enough not to need caching. The endpoints in ``OWN_CACHE_CONTROL`` keep the
  Cache-Control their view sets: the calendar feed asks the calendar app for a private copy revalidated with
  its ETag every time (``private, no-cache``), so a poll usually costs a 304 instead of a full build.
- ``PRACLOX_PROXY_FIX=1``: trust one proxy's X-Forwarded-For/-Proto/-Host/-Port, and send the session cookie
  as ``__Host-praclox`` (Secure, Path=/, no Domain), which a sibling subdomain cannot set or overwrite.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, Request, abort, current_app, request
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.utils import cached_property
from werkzeug.wrappers import Response
from werkzeug.wsgi import LimitedStream

CSP = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))

HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}
HSTS = "max-age=31536000; includeSubDomains"
#: endpoints whose responses may be cached: fixed files with no personal data
CACHEABLE_ENDPOINTS = frozenset({"static", "bootstrap.static"})
#: endpoints whose view sets its Cache-Control on purpose (each of its answers sets one)
OWN_CACHE_CONTROL = frozenset({"feeds.calendar"})
HOST_COOKIE = "__Host-praclox"

View = TypeVar("View", bound=Callable[..., Any])


def body_limit(limit: int) -> Callable[[View], View]:
    """Declare that a view reads at most ``limit`` bytes of request body (below ``MAX_CONTENT_LENGTH``).

    The limit is set on the request before anything reads the body, so it holds for what is read however the
    body is sent: a ``Content-Length`` above it, and a chunked body once it grows past it, both end in 413.
    """

    def mark(view: View) -> View:
        view.body_limit = limit  # type: ignore[attr-defined]
        return view

    return mark


class StrictLimitedStream(LimitedStream):
    """A body stream that raises 413 when a read goes past the limit, instead of stopping there.

    werkzeug's own maximum-length stream ends ``read()`` quietly at the limit, so a chunked body (no
    ``Content-Length``) larger than the limit was read as its first ``limit`` bytes: a truncated JSON body
    with trailing spaces still parsed, and 11 MB were accepted where 8 KB were allowed.
    """

    def readall(self) -> bytes:
        data = super().readall()
        if self.is_exhausted and self._stream.read(1):
            raise RequestEntityTooLarge()
        return data


class PracloxRequest(Request):
    """The request class of the app: a body whose length is not announced is read under a strict limit."""

    @cached_property
    def stream(self) -> Any:
        stream = super().stream  # checks an announced Content-Length against the limit (413)
        limit = self.max_content_length
        if "wsgi.input_terminated" in self.environ and limit is not None:
            return StrictLimitedStream(self.environ["wsgi.input"], limit, is_max=True)
        return stream


def apply_body_limit(endpoint: str | None, values: dict[str, Any] | None) -> None:
    view = current_app.view_functions.get(endpoint or "")
    limit = getattr(view, "body_limit", None)
    if limit is not None:
        request.max_content_length = limit


def refuse_nul_in_query() -> None:
    """A NUL character in a query parameter is never meaningful (PostgreSQL cannot even compare with it): 400.

    Form fields are left to the forms, which answer with a clear message next to the field.
    """
    if "%00" in request.query_string.decode("latin-1") or any(
        "\x00" in value for values in request.args.listvalues() for value in values
    ):
        abort(400)


def set_security_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers["Strict-Transport-Security"] = HSTS
    if request.endpoint in OWN_CACHE_CONTROL and "Cache-Control" in response.headers:
        return response
    if request.endpoint not in CACHEABLE_ENDPOINTS:
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    return response


def init_app(app: Flask) -> None:
    if app.config.get("PROXY_FIX"):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1, x_port=1)  # type: ignore[method-assign]
        app.config.update(
            SESSION_COOKIE_NAME=HOST_COOKIE,
            SESSION_COOKIE_SECURE=True,
            SESSION_COOKIE_PATH="/",
            SESSION_COOKIE_DOMAIN=None,
            REMEMBER_COOKIE_SECURE=True,
            PREFERRED_URL_SCHEME="https",
        )
    app.request_class = PracloxRequest
    # a URL value preprocessor runs before every before_request function (CSRF reads the form there)
    app.url_value_preprocessor(apply_body_limit)
    app.before_request(refuse_nul_in_query)
    app.after_request(set_security_headers)
