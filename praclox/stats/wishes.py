"""Services asked for: wishes per status, asked this quarter against last, and the time from request to done."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from praclox.clock import add_months, today
from praclox.extensions import db
from praclox.offices.models import office_tags
from praclox.stats.charts import ROWS, Chart, Series
from praclox.stats.filters import Filters
from praclox.stats.scope import office_conditions, tag_names
from praclox.stats.series import average, fold, pivot, quarters
from praclox.stats.sql import days_between, month_of
from praclox.wishes.models import Wish, WishPriority, WishStatus


def _priorities() -> dict[str, str]:
    return {WishPriority.HIGH.value: _("High priority"), WishPriority.NORMAL.value: _("Normal priority"),
            WishPriority.LOW.value: _("Low priority")}


def per_status(filters: Filters) -> Chart:
    """Every wish held today by status, split by priority (the period does not apply)."""
    rows = db.session.execute(
        select(Wish.status, Wish.priority, func.count()).where(*office_conditions(Wish.office_id, filters))
        .group_by(Wish.status, Wish.priority)).all()
    statuses = {s.value: str(s.label) for s in WishStatus}
    priorities = _priorities()
    return Chart("status", _("Wishes per status"), _("Status"), list(statuses.values()),
                 pivot(rows, list(statuses), list(priorities), priorities), kind=ROWS,
                 note=_("Today, whatever the period."))


def _quarter_start(day: date) -> date:
    return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)


def _asked(group: Any, start: date, end: date, filters: Filters, *joined: Any) -> list[tuple[str, int]]:
    stmt = select(group, func.count()).select_from(Wish)
    for table, condition in joined:
        stmt = stmt.join(table, condition)
    return [(str(key), n) for key, n in db.session.execute(
        stmt.where(Wish.requested_on >= start, Wish.requested_on < end, *office_conditions(Wish.office_id, filters))
        .group_by(group))]


def _quarters_compared(key: str, title: str, label: str, filters: Filters, group: Any,
                       names: Callable[[list[str]], dict[str, str]], *joined: Any) -> Chart:
    this_start = _quarter_start(today())
    last_start, next_start = add_months(this_start, -3), add_months(this_start, 3)
    rows = [(g, "last", n) for g, n in _asked(group, last_start, this_start, filters, *joined)]
    rows += [(g, "this", n) for g, n in _asked(group, this_start, next_start, filters, *joined)]
    groups = names([g for g, _when, _n in rows])
    series = pivot(rows, list(groups), ["last", "this"], {"last": _("Last quarter"), "this": _("This quarter")})
    return Chart(key, title, label, list(groups.values()), series, kind=ROWS, stacked=False)


def this_quarter_against_last(filters: Filters) -> list[Chart]:
    """Wishes asked for this quarter and last quarter, by priority and by office tag (the period does not apply)."""
    tagged = (office_tags, office_tags.c.office_id == Wish.office_id)
    return [
        _quarters_compared("quarter", _("Wishes asked for this quarter against last quarter"), _("Priority"),
                           filters, Wish.priority, lambda _keys: _priorities()),
        _quarters_compared("quarter_tags", _("Wishes asked for this quarter against last quarter, per office tag"),
                           _("Tag"), filters, office_tags.c.tag_id, lambda keys: tag_names(int(k) for k in keys),
                           tagged),
    ]


def per_tag(filters: Filters) -> Chart:
    """Every wish held today per office tag, by status (the period does not apply)."""
    rows = db.session.execute(
        select(office_tags.c.tag_id, Wish.status, func.count())
        .join(office_tags, office_tags.c.office_id == Wish.office_id)
        .where(*office_conditions(Wish.office_id, filters)).group_by(office_tags.c.tag_id, Wish.status)).all()
    names = tag_names(tag for tag, _status, _count in rows)
    statuses = {s.value: str(s.label) for s in WishStatus}
    return Chart("tags", _("Wishes per office tag"), _("Tag"), list(names.values()),
                 pivot([(str(t), st, n) for t, st, n in rows], list(names), list(statuses), statuses), kind=ROWS,
                 note=_("Today, whatever the period. An office with several tags counts under each of them."))


def time_to_done(filters: Filters) -> Chart:
    """The average days from request to done, per quarter the wishes were done in."""
    month = month_of(Wish.done_on)
    rows = db.session.execute(
        select(month, func.count(), func.sum(days_between(Wish.requested_on, Wish.done_on)))
        .where(Wish.done_on >= filters.start, Wish.done_on < filters.end, Wish.status == WishStatus.DONE.value,
               *office_conditions(Wish.office_id, filters))
        .group_by(month)).all()
    buckets = fold(rows, filters.months)
    names = quarters(filters.months)
    done = [int(buckets.get(q, [0, 0])[0]) for q in names]
    days = [average(buckets.get(q, [0, 0])[1], n) for q, n in zip(names, done, strict=True)]
    return Chart("done", _("Average days from request to done"), _("Quarter"), names,
                 [Series(_("Days"), days)], unit=_("days"), columns=[Series(_("Wishes done"), done)])


def charts(filters: Filters) -> list[Chart]:
    return [per_status(filters), per_tag(filters), *this_quarter_against_last(filters), time_to_done(filters)]
