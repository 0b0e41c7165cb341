"""``GET /feeds/<token>.ics``: no cookie, no session; the token alone decides, and every refusal looks alike."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, request
from werkzeug.http import http_date
from werkzeug.wrappers import Response

from praclox.compression import accepts_gzip, add_vary
from praclox.dates import feeds, ical
from praclox.dates.feed_cache import CachedBody, cache
from praclox.extensions import db

bp = Blueprint("feeds", __name__)

CONTENT_TYPE = "text/calendar; charset=utf-8"


def _not_found() -> Response:
    # the same answer for unknown, revoked and expired tokens and for deactivated users
    return Response("Not found\n", status=404, headers={"Content-Type": "text/plain; charset=utf-8",
                                                        "Cache-Control": "no-store"})


def _not_modified(etag: str, last_modified: datetime) -> bool:
    if request.if_none_match:  # the gzip representation's ETag names the same content
        return request.if_none_match.contains(etag) or request.if_none_match.contains(etag + "-gz")
    since = request.if_modified_since
    return since is not None and since >= last_modified


def _headers(etag: str, last_modified: datetime) -> dict[str, str]:
    # the representation's own strong ETag: the gzip one differs from the identity one
    return {
        "ETag": f'"{etag}-gz"' if accepts_gzip(request) else f'"{etag}"',
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
        headers = _headers(feed.etag, st.last_modified)  # before the commit, which would load the feed again
        feeds.note_fetch(feed)
        db.session.commit()
        return _vary(Response(status=304, headers=headers))
    entry = _body(feed, st)
    if (feed.etag, feed.etag_key) != (entry.etag, st.key):
        feed.etag, feed.etag_key = entry.etag, st.key
    feeds.note_fetch(feed)
    db.session.commit()
    headers = _headers(entry.etag, st.last_modified)
    if _not_modified(entry.etag, st.last_modified):
        return _vary(Response(status=304, headers=headers))
    if accepts_gzip(request):
        headers["Content-Encoding"] = "gzip"
        return _vary(Response(entry.gzipped(), status=200, headers={"Content-Type": CONTENT_TYPE, **headers}))
    return _vary(Response(entry.body, status=200, headers={"Content-Type": CONTENT_TYPE, **headers}))


def _body(feed: feeds.Feed, st: feeds.FeedState) -> CachedBody:
    """The body for this state: from this worker's cache, or built (and kept) when the state is new."""
    entry = cache().get(feed.id, st.key)
    if entry is None:
        body = feeds.build_body(feed, st)
        entry = cache().put(feed.id, CachedBody(st.key, st.changed, ical.strong_etag(body), body))
    return entry


def _vary(response: Response) -> Response:
    add_vary(response)
    return response
