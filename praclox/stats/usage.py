"""The CRM's own use: page opens per endpoint and per week, from the counter table (no people in it)."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from praclox.extensions import db
from praclox.stats.charts import ROWS, Chart, Series
from praclox.stats.filters import Filters
from praclox.stats.models import EndpointUse
from praclox.stats.series import week_names
from praclox.stats.titles import title_of

TOP = 25


def per_endpoint(filters: Filters) -> Chart:
    """The most used pages and actions in the period, by their page's title (and their endpoint beside it)."""
    total = func.sum(EndpointUse.count)
    rows = db.session.execute(
        select(EndpointUse.endpoint, total)
        .where(EndpointUse.day >= filters.start, EndpointUse.day < filters.end)
        .group_by(EndpointUse.endpoint).order_by(total.desc(), EndpointUse.endpoint).limit(TOP)).all()
    return Chart("endpoints", _("Most used pages and actions"), _("Page or action"), [title_of(e) for e, _n in rows],
                 [Series(_("Uses"), [int(n) for _e, n in rows])], kind=ROWS,
                 columns=[Series(_("Endpoint"), [e for e, _n in rows])])


def per_week(filters: Filters) -> Chart:
    """Page opens per week (weeks start on Monday) within the period: summed per day in SQL, days into weeks here."""
    first = filters.start - timedelta(days=filters.start.weekday())
    weeks = [first + timedelta(weeks=n) for n in range((filters.end - first).days // 7 + 1)
             if first + timedelta(weeks=n) < filters.end]
    found: Counter[date] = Counter()
    for day, count in db.session.execute(
            select(EndpointUse.day, func.sum(EndpointUse.count))
            .where(EndpointUse.day >= filters.start, EndpointUse.day < filters.end).group_by(EndpointUse.day)):
        day = day if isinstance(day, date) else date.fromisoformat(str(day)[:10])
        found[day - timedelta(days=day.weekday())] += int(count)
    return Chart("weeks", _("Page opens per week"), _("Week of"), week_names([w.isoformat() for w in weeks]),
                 [Series(_("Uses"), [found[w] for w in weeks])])


def charts(filters: Filters) -> list[Chart]:
    return [per_week(filters), per_endpoint(filters)]
