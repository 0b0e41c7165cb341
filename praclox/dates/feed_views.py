"""``GET /feeds/<token>.ics``: no cookie, no session; the token alone decides, and every refusal looks alike."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, request
from werkzeug.http import http_date
from werkzeug.wrappers import Response

from praclox.dates import feeds, ical
from praclox.extensions import db

bp = Blueprint("feeds", __name__)

CONTENT_TYPE = "text/calendar; charset=utf-8"


def _not_found() -> Response:
    # the same answer for unknown, revoked and expired tokens and for deactivated users
    return Response("Not found\n", status=404, headers={"Content-Type": "text/plain; charset=utf-8",
                                                        "Cache-Control": "no-store"})


def _not_modified(etag: str, last_modified: datetime) -> bool:
    if request.if_none_match:
        return request.if_none_match.contains(etag)
    since = request.if_modified_since
    return since is not None and since >= last_modified


def _headers(etag: str, last_modified: datetime) -> dict[str, str]:
    return {
        "ETag": f'"{etag}"',
        "Last-Modified": http_date(last_modified),
        "Cache-Control": "private, no-cache",
        "X-Content-Type-Options": "nosniff",
    }


@bp.route("/feeds/<secret:token>.ics")
def calendar(token: str) -> Response:
    feed = feeds.lookup(token)
    if feed is None:
        db.session.rollback()
        return _not_found()
    st = feeds.state(feed)
    if feed.etag and feed.etag_key == st.key and _not_modified(feed.etag, st.last_modified):
        feeds.note_fetch(feed)
        db.session.commit()
        return Response(status=304, headers=_headers(feed.etag, st.last_modified))
    body = feeds.build_body(feed, st)
    etag = ical.strong_etag(body)
    feed.etag, feed.etag_key = etag, st.key
    feeds.note_fetch(feed)
    db.session.commit()
    headers = _headers(etag, st.last_modified)
    if _not_modified(etag, st.last_modified):
        return Response(status=304, headers=headers)
    return Response(body, status=200, headers={"Content-Type": CONTENT_TYPE, **headers})
