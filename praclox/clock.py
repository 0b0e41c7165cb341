"""The one place that knows what time and day it is, and in which time zone (days, cron times, CSV times).

The zone is the ``TIMEZONE`` setting (``PRACLOX_TIMEZONE``, Europe/Amsterdam by default); Babel shows times
in the same zone. Outside an app (a unit test of a pure function) the default zone applies.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

DEFAULT_ZONE = "Europe/Amsterdam"


@lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def zone() -> ZoneInfo:
    """The office's time zone, from the configuration."""
    return _zone(current_app.config["TIMEZONE"] if has_app_context() else DEFAULT_ZONE)


def now() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    """Today's date in the office's time zone."""
    return datetime.now(zone()).date()


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (or earlier); the month's last day when that day does not exist there."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class AheadOfToday(ValueError):
    """A real purge was asked to run as of a day that has not come yet."""

    def __init__(self, day: date) -> None:
        super().__init__(f"{day.isoformat()} is after today ({today().isoformat()}): only a dry run may look ahead")
        self.day = day


def check_not_ahead(day: date | None, *, dry_run: bool) -> None:
    """Refuse a day after today unless nothing will change (a dry run): the law's clock is the real one."""
    if day is not None and not dry_run and day > today():
        raise AheadOfToday(day)
