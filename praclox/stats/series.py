"""Turning grouped SQL rows into chart series: pivots, quarters and averages (never per-record work)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _

from praclox.clock import zone
from praclox.stats.charts import Series, Small


def pivot(rows: Iterable[Sequence[Any]], categories: Sequence[str], keys: Sequence[str],
          labels: Mapping[str, Any]) -> list[Series]:
    """``(category, series key, count)`` rows as one series per key, 0 where a pair has no row."""
    table: dict[tuple[str, str], int] = {}
    for category, key, count in rows:
        table[(str(category), str(key))] = table.get((str(category), str(key)), 0) + int(count or 0)
    return [Series(str(labels.get(k, k)), [table.get((c, k), 0) for c in categories]) for k in keys]


def month_key(value: Any) -> str:
    """What ``month_of`` returns, whatever the driver made of it."""
    return value.strftime("%Y-%m") if isinstance(value, date) else str(value)[:7]


def day_key(value: Any) -> str:
    """What ``week_of`` returns (a date or ``YYYY-MM-DD`` text) as ``YYYY-MM-DD``."""
    return value.isoformat() if isinstance(value, date) else str(value)[:10]


def month_names(months: Sequence[str]) -> list[str]:
    """``2026-01`` keys as the reader's language writes a month on an axis: ``jan. 2026``."""
    return [format_date(date(int(m[:4]), int(m[5:7]), 1), "MMM yyyy") for m in months]


def week_names(mondays: Sequence[str]) -> list[str]:
    """``2026-11-30`` keys (a week's Monday) as the reader's language writes the day."""
    return [format_date(date.fromisoformat(m), "d MMM yyyy") for m in mondays]


def quarter_of(month: str) -> str:
    year, number = month.split("-")[:2]
    return _("%(year)s Q%(quarter)s", year=year, quarter=(int(number) - 1) // 3 + 1)


def quarters(months: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(quarter_of(m) for m in months))


def fold(rows: Iterable[Sequence[Any]], months: Sequence[str], by_quarter: bool = True) -> dict[str, list[float]]:
    """``(month, a, b, …)`` rows summed per quarter (or month) of the period; rows outside it are left out."""
    wanted = set(months)
    buckets: dict[str, list[float]] = {}
    for month, *values in rows:
        key = month_key(month)
        if key not in wanted:
            continue
        bucket = buckets.setdefault(quarter_of(key) if by_quarter else key, [0.0] * len(values))
        for i, value in enumerate(values):
            bucket[i] += float(value or 0)
    return buckets


def average(total: float, count: float, *, threshold: int | None = None) -> float | Small | None:
    """``total / count``; hidden as ``Small`` when it is about fewer people than ``threshold``."""
    if not count:
        return None
    if threshold is not None and count < threshold:
        return Small(threshold)
    return round(total / count, 1)


def local_start(day: date) -> datetime:
    """Midnight of ``day`` in the installation's time zone, as the UTC moment stored columns compare with."""
    return datetime.combine(day, time.min, zone()).astimezone(UTC)
