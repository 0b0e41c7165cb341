"""Rate limit of the registrations API, per API key and per client address (issue 11, finding 5).

Counted in the database, so the limit holds across every gunicorn worker without an extra server (a
configured Redis is not needed for it). A sliding window of one minute: a request is refused with 429 while a
bucket already holds its limit in the last minute, and ``Retry-After`` says when the oldest of those leaves the
window. Refused requests are not counted, so the wait is exact. Workers counting at the same instant may let a
bucket overshoot by at most the number of workers minus one.
"""

from __future__ import annotations

import math
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, insert, select

from praclox.auth.throttle import address_key
from praclox.clock import now
from praclox.extensions import db
from praclox.registrations.models import ApiKey, ApiRequest

WINDOW = timedelta(minutes=1)


def address_bucket() -> str:
    """This request's client address, as a keyed hash."""
    return "address:" + address_key()


def key_bucket(key: ApiKey) -> str:
    return f"key:{key.id}"


def wait_seconds(bucket: str, limit: int) -> int | None:
    """Seconds until ``bucket`` may make another request, or None when it may now."""
    moment = now()
    count, oldest = db.session.execute(
        select(func.count(ApiRequest.id), func.min(ApiRequest.at)).where(
            ApiRequest.bucket == bucket, ApiRequest.at > moment - WINDOW)
    ).one()
    if count < limit or oldest is None:
        return None
    return max(1, math.ceil((oldest + WINDOW - moment).total_seconds()))


def address_wait() -> int | None:
    return wait_seconds(address_bucket(), current_app.config["API_RATE_PER_ADDRESS"])


def key_wait(key: ApiKey) -> int | None:
    return wait_seconds(key_bucket(key), current_app.config["API_RATE_PER_KEY"])


def count(*buckets: str) -> None:
    """Count one request in each bucket (the caller commits)."""
    moment = now()
    # one statement for all buckets (as ORM objects each was an INSERT … RETURNING of its own)
    db.session.execute(insert(ApiRequest), [{"bucket": bucket, "at": moment} for bucket in buckets])


def forget_older_than(hours: int = 24) -> int:
    """Delete counted requests older than ``hours``; they no longer count for anything."""
    result = db.session.execute(delete(ApiRequest).where(ApiRequest.at < now() - timedelta(hours=hours)))
    return result.rowcount or 0
