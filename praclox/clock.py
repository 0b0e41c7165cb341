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


class AheadOfToday(ValueError):
    """A real purge was asked to run as of a day that has not come yet."""

    def __init__(self, day: date) -> None:
        super().__init__(f"{day.isoformat()} is after today ({today().isoformat()}): only a dry run may look ahead")
        self.day = day


def check_not_ahead(day: date | None, *, dry_run: bool) -> None:
    """Refuse a day after today unless nothing will change (a dry run): the law's clock is the real one."""
    if day is not None and not dry_run and day > today():
        raise AheadOfToday(day)


def zone() -> ZoneInfo:
    """The office's time zone (days, cron times)."""
    return TZ
