"""Built feed bodies kept in the worker's memory, keyed by the feed's state key (the cheap validator).

A calendar client that sends no validator gets the body built for the same state before, not a new build.
Any change to a date or a contact moves the calendar stamp, and with it every feed's key; an entry built
before the newest stamp is dropped as soon as a newer body is stored, so no erased name waits in memory for
its own feed to be fetched again. Bounded by ``FEED_CACHE_BYTES`` (least recently used first out).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime

from flask import Flask, current_app

from praclox.compression import compress

DEFAULT_BYTES = 64 * 1024 * 1024


@dataclass
class CachedBody:
    key: str
    changed: datetime
    etag: str
    body: bytes
    _gzipped: bytes | None = field(default=None, repr=False)

    def gzipped(self) -> bytes:
        if self._gzipped is None:
            self._gzipped = compress(self.body)
        return self._gzipped

    @property
    def size(self) -> int:
        return len(self.body) + len(self._gzipped or b"")


class FeedBodyCache:
    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.entries: OrderedDict[int, CachedBody] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, feed_id: int, key: str) -> CachedBody | None:
        with self.lock:
            entry = self.entries.get(feed_id)
            if entry is None or entry.key != key:
                return None
            self.entries.move_to_end(feed_id)
            return entry

    def put(self, feed_id: int, entry: CachedBody) -> CachedBody:
        with self.lock:
            self.entries.pop(feed_id, None)
            for other in [i for i, e in self.entries.items() if e.changed < entry.changed]:
                del self.entries[other]  # built from an older calendar: possibly a name since erased
            if entry.size <= self.max_bytes:
                self.entries[feed_id] = entry
            self.shrink()
            return entry

    def shrink(self) -> None:
        total = sum(e.size for e in self.entries.values())
        while total > self.max_bytes and self.entries:
            _, gone = self.entries.popitem(last=False)
            total -= gone.size


def cache() -> FeedBodyCache:
    return current_app.extensions["praclox_feed_cache"]


def init_app(app: Flask) -> None:
    app.extensions["praclox_feed_cache"] = FeedBodyCache(int(app.config.get("FEED_CACHE_BYTES", DEFAULT_BYTES)))
