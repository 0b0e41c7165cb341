"""Gzip for large downloads (the iCal feed, CSV exports) when the client accepts it.

Only these types: they hold no secret next to text an attacker could choose (no CSRF token), so compressing
them gives nothing away the way compressed HTML pages could (BREACH). Calendar clients accept gzip; a 20 MB
feed shrinks to about a tenth.
"""

from __future__ import annotations

import gzip

from flask import Flask, Request, request
from werkzeug.wrappers import Response

COMPRESSED_TYPES = frozenset({"text/calendar", "text/csv"})
MIN_BYTES = 1024
#: zlib level 3: as fast as level 1 on calendar text and within 5 % of level 6 in size (bench/README.md)
LEVEL = 3


def accepts_gzip(req: Request) -> bool:
    return req.accept_encodings["gzip"] > 0


def compress(data: bytes) -> bytes:
    # mtime 0: the same body always gives the same bytes (and so the same strong ETag)
    return gzip.compress(data, compresslevel=LEVEL, mtime=0)


def add_vary(response: Response) -> None:
    if "accept-encoding" not in {v.lower() for v in response.vary}:
        response.vary.add("Accept-Encoding")


def _compress_response(response: Response) -> Response:
    if response.mimetype not in COMPRESSED_TYPES or response.direct_passthrough:
        return response
    add_vary(response)
    if (response.status_code != 200 or "Content-Encoding" in response.headers or not accepts_gzip(request)):
        return response
    data = response.get_data()
    if len(data) < MIN_BYTES:
        return response
    response.set_data(compress(data))
    response.headers["Content-Encoding"] = "gzip"
    if response.headers.get("ETag"):  # another coding is another representation: its strong ETag differs
        response.set_etag(response.get_etag()[0] + "-gz")
    return response


def init_app(app: Flask) -> None:
    app.after_request(_compress_response)
