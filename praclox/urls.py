"""Redirect targets that can only ever lead to a page on this site."""

from __future__ import annotations

from urllib.parse import urlsplit


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
