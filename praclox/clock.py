"""The one place that knows what time and day it is (Europe/Amsterdam for days)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Europe/Amsterdam")


def now() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    """Today's date in Amsterdam, where the office is."""
    return datetime.now(TZ).date()


def zone() -> ZoneInfo:
    """The office's time zone (days, cron times)."""
    return TZ
