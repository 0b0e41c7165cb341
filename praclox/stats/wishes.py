"""Services asked for: wishes per status, asked this quarter against last, and the time from request to done."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from praclox.clock import add_months, today
from praclox.extensions import db
from praclox.stats.charts import ROWS, Chart, Series
from praclox.stats.filters import Filters
from praclox.stats.scope import office_conditions
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


def _asked(start: date, end: date, filters: Filters) -> list[tuple[str, int]]:
    return [(p, n) for p, n in db.session.execute(
        select(Wish.priority, func.count())
        .where(Wish.requested_on >= start, Wish.requested_on < end, *office_conditions(Wish.office_id, filters))
        .group_by(Wish.priority))]


def this_quarter_against_last(filters: Filters) -> Chart:
    """Wishes asked for this quarter and last quarter, by priority (the period does not apply)."""
    this_start = _quarter_start(today())
    last_start, next_start = add_months(this_start, -3), add_months(this_start, 3)
    rows = [(p, "last", n) for p, n in _asked(last_start, this_start, filters)]
    rows += [(p, "this", n) for p, n in _asked(this_start, next_start, filters)]
    priorities = _priorities()
    series = pivot(rows, list(priorities), ["last", "this"], {"last": _("Last quarter"), "this": _("This quarter")})
    return Chart("quarter", _("Wishes asked for this quarter against last quarter"), _("Priority"),
                 list(priorities.values()), series, kind=ROWS, stacked=False)


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
    return [per_status(filters), this_quarter_against_last(filters), time_to_done(filters)]
