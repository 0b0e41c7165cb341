"""Contact moments: per month by kind, when in the week they are logged, and offices drifting away."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from babel.dates import get_day_names
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import case, func, select

from praclox.clock import add_months, today, zone
from praclox.extensions import db
from praclox.offices.models import Interaction, InteractionKind, Office, OfficeKind, office_tags
from praclox.stats.charts import HEATMAP, ROWS, Chart, Series
from praclox.stats.filters import Filters
from praclox.stats.scope import NO_MANAGER, manager_names, office_conditions, tag_names
from praclox.stats.series import local_start, month_names, pivot
from praclox.stats.sql import month_of, weekday_hour_of

#: the bands of "last contact", in months; ``None``: never
BANDS = (1, 3, 6, 12)


def _kinds() -> dict[str, str]:
    return {k.value: str(k.label) for k in InteractionKind}


def per_month(filters: Filters) -> Chart:
    month = month_of(Interaction.occurred_on)
    rows = db.session.execute(
        select(month, Interaction.kind, func.count()).where(*_in_period(filters)).group_by(month, Interaction.kind)
    ).all()
    kinds = _kinds()
    return Chart("moments", _("Contact moments per month, by kind"), _("Month"), month_names(filters.months),
                 pivot(rows, filters.months, list(kinds), kinds))


def _in_period(filters: Filters) -> list[object]:
    return [Interaction.occurred_on >= filters.start, Interaction.occurred_on < filters.end,
            *office_conditions(Interaction.office_id, filters)]


def by_manager(filters: Filters) -> Chart:
    """Contact moments in the period per account manager of the office, by kind."""
    rows = db.session.execute(
        select(Office.account_manager_id, Interaction.kind, func.count())
        .join(Office, Office.id == Interaction.office_id)
        .where(*_in_period(filters)).group_by(Office.account_manager_id, Interaction.kind)).all()
    names = manager_names(manager for manager, _kind, _count in rows)
    keyed = [(NO_MANAGER if manager is None else str(manager), kind, n) for manager, kind, n in rows]
    kinds = _kinds()
    return Chart("managers", _("Contact moments per account manager, by kind"), _("Account manager"),
                 list(names.values()), pivot(keyed, list(names), list(kinds), kinds), kind=ROWS)


def by_tag(filters: Filters) -> Chart:
    """Contact moments in the period per office tag, by kind (an office with two tags counts under both)."""
    rows = db.session.execute(
        select(office_tags.c.tag_id, Interaction.kind, func.count())
        .join(office_tags, office_tags.c.office_id == Interaction.office_id)
        .where(*_in_period(filters)).group_by(office_tags.c.tag_id, Interaction.kind)).all()
    names = tag_names(tag for tag, _kind, _count in rows)
    kinds = _kinds()
    return Chart("tags", _("Contact moments per office tag, by kind"), _("Tag"), list(names.values()),
                 pivot([(str(t), k, n) for t, k, n in rows], list(names), list(kinds), kinds), kind=ROWS,
                 note=_("An office with several tags counts under each of them."))


def zone_changes(start: datetime, end: datetime) -> tuple[list[tuple[datetime, int]], int]:
    """The local zone's offsets (minutes ahead of UTC) between two UTC moments: ``[(until, minutes)]`` and
    the offset after the last change, so that SQL can move every timestamp to local time (summer time too)."""
    def offset(moment: datetime) -> int:
        return int(moment.astimezone(zone()).utcoffset().total_seconds() // 60)  # type: ignore[union-attr]

    changes, day, current = [], start, offset(start)
    while day < end:
        following = day + timedelta(days=1)
        if offset(following) != current:
            hour = next(day + timedelta(hours=h) for h in range(1, 25) if offset(day + timedelta(hours=h)) != current)
            changes.append((hour, current))
            current = offset(hour)
        day = following
    return changes, current


def heatmap(filters: Filters) -> Chart:
    """Logged contact moments per weekday and hour (a moment has a day, not an hour: its logging time counts)."""
    start, end = local_start(filters.start), local_start(filters.end)
    slot = weekday_hour_of(Interaction.created_at, *zone_changes(start, end))
    slots = (select(slot.label("slot")).where(Interaction.created_at >= start, Interaction.created_at < end,
                                              *office_conditions(Interaction.office_id, filters)).subquery())
    rows = db.session.execute(select(slots.c.slot, func.count()).group_by(slots.c.slot)).all()
    sunday_first = 1 if db.session.get_bind().dialect.name == "postgresql" else 0
    cells: Counter[tuple[int, int]] = Counter()
    for key, count in rows:
        weekday, hour = (int(part) for part in str(key).split())
        cells[((weekday - sunday_first - 1) % 7, hour)] += int(count)  # Monday first
    days = get_day_names("abbreviated", locale=get_locale())
    series = [Series(str(days[d]), [cells[(d, h)] for h in range(24)]) for d in range(7)]
    return Chart("week", _("When contact moments are logged: weekday and hour"), _("Hour"),
                 [f"{h:02d}" for h in range(24)], series, kind=HEATMAP,
                 note=_("A contact moment has a date but no time; the hour is when it was logged."))


def _band_labels() -> dict[str, str]:
    return {"1": _("less than 1 month"), "3": _("1 to 3 months"), "6": _("3 to 6 months"),
            "12": _("6 to 12 months"), "more": _("more than 12 months"), "never": _("never")}


def age_bands(filters: Filters) -> Chart:
    """Offices per time since their last contact moment, today (the period does not apply)."""
    last = (select(Interaction.office_id, func.max(Interaction.occurred_on).label("last"))
            .group_by(Interaction.office_id).subquery())
    day = today()
    band = case((last.c.last.is_(None), "never"),
                *((last.c.last > add_months(day, -months), str(months)) for months in BANDS), else_="more")
    banded = (select(band.label("band"), Office.kind.label("kind"))
              .outerjoin(last, last.c.office_id == Office.id).where(*office_conditions(Office.id, filters)).subquery())
    rows = db.session.execute(
        select(banded.c.band, banded.c.kind, func.count()).group_by(banded.c.band, banded.c.kind)).all()
    labels = _band_labels()
    kinds = {OfficeKind.CLIENT.value: _("Clients"), OfficeKind.PROSPECT.value: _("Prospects")}
    series = pivot(rows, list(labels), list(kinds), kinds)
    return Chart("drift", _("Offices by time since the last contact moment"), _("Last contact"),
                 list(labels.values()), series, kind=ROWS, note=_("Today, whatever the period."))


def charts(filters: Filters) -> list[Chart]:
    return [per_month(filters), by_manager(filters), by_tag(filters), heatmap(filters), age_bands(filters)]
