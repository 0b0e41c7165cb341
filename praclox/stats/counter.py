"""Counting page use without slowing a request: a per-process tally, written after a response has gone.

Each request adds one to ``(day, endpoint)`` in memory. Once ``STATS_USAGE_FLUSH_SECONDS`` have passed since
the last write, the response that notices hands the tally to ``services.add_uses`` when it is closed (after
the client has it), in one upsert on its own transaction. Nothing about the person, the session, the
address, the URL or the time of day is kept. A worker that stops loses at most that interval's counts.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from datetime import date

from flask import Flask, Response, request

from praclox.clock import now, today

log = logging.getLogger(__name__)

#: endpoints that say nothing about how the CRM is used
IGNORED = frozenset({"static", "bootstrap.static", "main.health", "main.health_live", "main.health_ready",
                     "main.favicon"})
EXTENSION_KEY = "praclox_stats_counter"


class Tally:
    """The counts one process has not written yet."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self.lock = threading.Lock()
        self.counts: Counter[tuple[date, str]] = Counter()
        self.last_flush = now()

    def add(self, endpoint: str) -> bool:
        """Count one use; True when the tally is due to be written."""
        day, moment = today(), now()
        with self.lock:
            self.counts[(day, endpoint)] += 1
            return (moment - self.last_flush).total_seconds() >= self.interval

    def take(self) -> Counter[tuple[date, str]]:
        with self.lock:
            taken, self.counts = self.counts, Counter()
            self.last_flush = now()
            return taken


def _write(app: Flask, tally: Tally) -> None:
    counts = tally.take()
    if not counts:
        return
    from praclox.extensions import db
    from praclox.stats import services

    with app.app_context():
        try:
            services.add_uses(counts)
            db.session.commit()
        except Exception:  # the counts are a nicety: a failed write must never break a page
            db.session.rollback()
            log.warning("page-use counts not written (%d endpoints)", len(counts), exc_info=True)


def setup(app: Flask) -> None:
    tally = Tally(float(app.config.get("STATS_USAGE_FLUSH_SECONDS", 60)))
    app.extensions[EXTENSION_KEY] = tally

    @app.after_request
    def _count(response: Response) -> Response:
        endpoint = request.endpoint
        if endpoint is None or endpoint in IGNORED or response.status_code >= 400:
            return response
        if tally.add(endpoint):
            response.call_on_close(lambda: _write(app, tally))
        return response
