"""Feed URLs: secret tokens (stored as SHA-256 only), lookup, expiry, and answering a fetch with caching."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select

from praclox.audit.services import record as audit
from praclox.auth.models import User
from praclox.clock import now, today, zone
from praclox.dates import ical, services
from praclox.dates.access import may_see_personal_dates
from praclox.dates.models import KIND_VALUES, Feed
from praclox.extensions import db
from praclox.followups import calendar as follow_up_calendar

EXPIRY_SETTING = "dates.feed_expiry_days"
DEFAULT_EXPIRY_DAYS = 180
TOKEN_BYTES = 32  # 256 random bits
#: how often a fetch writes "last fetched" (a calendar client may poll every few minutes)
FETCH_WRITE_INTERVAL = timedelta(minutes=5)


class FeedError(ValueError):
    pass


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def feed_url(token: str) -> str:
    return f"{current_app.config['BASE_URL'].rstrip('/')}/feeds/{token}.ics"


def create_feed(user: User, name: str, *, kinds: Iterable[str] = KIND_VALUES, show_child_names: bool = False,
                include_follow_ups: bool = False, actor: User | None) -> tuple[Feed, str]:
    """A new feed for ``user``; returns it with its token, which is not stored and cannot be shown again."""
    name = (name or "").strip()
    if not name or len(name) > 60 or any(ord(c) < 32 for c in name):
        raise FeedError("name")
    kinds = [k for k in KIND_VALUES if k in set(kinds)]
    if not kinds:
        raise FeedError("kinds")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    feed = Feed(user_id=user.id, name=name, token_hash=hash_token(token), kinds=",".join(kinds),
                show_child_names=bool(show_child_names), include_follow_ups=bool(include_follow_ups),
                created_at=now(), changed_at=now())
    db.session.add(feed)
    db.session.flush()
    audit("create", feed, fields=["name", "kinds", "show_child_names", "include_follow_ups"], actor=actor)
    return feed, token


def update_feed(feed: Feed, *, kinds: Iterable[str], show_child_names: bool, include_follow_ups: bool = False,
                actor: User | None) -> None:
    kinds = [k for k in KIND_VALUES if k in set(kinds)]
    if not kinds:
        raise FeedError("kinds")
    new = {"kinds": ",".join(kinds), "show_child_names": bool(show_child_names),
           "include_follow_ups": bool(include_follow_ups)}
    changed = [name for name, value in new.items() if getattr(feed, name) != value]
    if changed:
        for name in changed:
            setattr(feed, name, new[name])
        feed.changed_at = max(now(), feed.changed_at.replace(microsecond=0) + timedelta(seconds=1))
        audit("update", feed, fields=changed, actor=actor)


def revoke_feed(feed: Feed, *, actor: User | None) -> None:
    if feed.revoked_at is None:
        feed.revoked_at = now()
        audit("update", feed, fields=["revoked_at"], actor=actor)


def feeds_of(user_id: int) -> list[Feed]:
    return list(db.session.scalars(
        select(Feed).where(Feed.user_id == user_id).order_by(Feed.revoked_at.is_not(None), Feed.created_at.desc())
    ))


def expiry_days() -> int:
    from praclox.settings.services import get, specs

    return int(get(EXPIRY_SETTING)) if EXPIRY_SETTING in specs() else DEFAULT_EXPIRY_DAYS


def is_expired(feed: Feed, moment: datetime | None = None, days: int | None = None) -> bool:
    """Unused (not fetched) for longer than the expiry setting."""
    moment = moment or now()
    days = expiry_days() if days is None else days
    used = feed.last_fetched_at or feed.created_at
    return moment - used > timedelta(days=days)


def status(feed: Feed) -> str:
    if feed.revoked_at is not None:
        return "revoked"
    if is_expired(feed):
        return "expired"
    return "active"


def lookup(token: str) -> Feed | None:
    """The feed for a token when it may be served: not revoked, not expired, and its owner may still see
    personal dates (active, with a role that works with them: the same rule as the reminder mails). Else None."""
    if not token or len(token) > 200:
        return None
    feed = db.session.scalar(select(Feed).where(Feed.token_hash == hash_token(token)))
    if feed is None or feed.revoked_at is not None or is_expired(feed):
        return None
    if not may_see_personal_dates(feed.user):  # kept on the feed: state() reads it again
        return None
    return feed


def locale_of(user: User) -> str:
    locales = current_app.config["LOCALES"]
    return user.locale if user.locale in locales else current_app.config["DEFAULT_LOCALE"]


@dataclass(frozen=True)
class FeedState:
    """Everything a feed's content depends on; equal states give equal content."""

    key: str
    last_modified: datetime
    #: the calendar stamp the content was built from (older cached bodies are dropped)
    changed: datetime
    locale: str
    day: Any
    cutoff: int


def state(feed: Feed) -> FeedState:
    user = feed.user
    locale = locale_of(user) if user else current_app.config["DEFAULT_LOCALE"]
    day = today()
    cutoff = services.cutoff_age()
    changed = services.calendar_changed_at()
    midnight = datetime.combine(day, time.min, tzinfo=zone()).astimezone(UTC)
    moments = [changed, feed.changed_at, midnight]
    follow_ups = follow_up_calendar.state(feed.user_id) if feed.include_follow_ups else None
    if follow_ups is not None:
        moments += [m for m in follow_ups[1:] if m is not None]
    last_modified = max(moments).replace(microsecond=0)
    parts = (ical.FORMAT_VERSION, feed.id, feed.name, feed.kinds, feed.show_child_names, feed.changed_at.isoformat(),
             changed.isoformat(), day.isoformat(), locale, cutoff, current_app.config["BASE_URL"], follow_ups)
    key = hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()
    return FeedState(key, last_modified, changed, locale, day, cutoff)


def build_body(feed: Feed, st: FeedState) -> bytes:
    from praclox.dates.occasions import Phrases

    with force_locale(st.locale):
        phrases = Phrases()
        name = f"Praclox · {feed.name}"
        host, base_url = ical.uid_host(current_app.config["BASE_URL"]), current_app.config["BASE_URL"]
        extra = follow_up_calendar.events(feed.user_id, host=host, base_url=base_url) \
            if feed.include_follow_ups else []
        text = ical.build(name, ical.fetch_rows(feed.kind_list), today=st.day, host=host,
                          show_child_names=feed.show_child_names, cutoff_age=st.cutoff, phrases=phrases, extra=extra)
    return text.encode("utf-8")


def note_fetch(feed: Feed) -> None:
    moment = now()
    if feed.last_fetched_at is None or moment - feed.last_fetched_at > FETCH_WRITE_INTERVAL:
        feed.last_fetched_at = moment
