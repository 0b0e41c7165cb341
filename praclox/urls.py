"""Redirect targets that can only ever lead to a page on this site."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask
from werkzeug.routing import BaseConverter


def safe_next(target: str | None, default: str) -> str:
    """``target`` when it is a plain path on this site, else ``default``.

    Refuses ``//host``, ``/\\host``, ``https:host``, control characters and anything with a scheme or host.
    """
    if not target or not isinstance(target, str):
        return default
    if any(ord(c) < 32 or c == "\\" for c in target):
        return default
    if not target.startswith("/") or target.startswith("//"):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target


class SecretConverter(BaseConverter):
    """``<secret:token>``: a route parameter that is a credential (a feed token, a signed link).

    It matches like the default string converter; the name is what counts: the access-log redaction in
    ``praclox.logging_setup`` masks every parameter declared this way, and a test fails on any string route
    parameter that is neither declared secret nor listed as public.
    """


def init_app(app: Flask) -> None:
    """Register the converters; must run before any blueprint adds its routes."""
    app.url_map.converters["secret"] = SecretConverter
