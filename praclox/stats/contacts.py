"""Contact moments: per month by kind, when in the week they are logged, and offices drifting away."""

from __future__ import annotations

from datetime import datetime, timedelta

from babel.dates import get_day_names
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import case, func, literal, select, union_all

from praclox.clock import add_months, today, zone
from praclox.extensions import db
from praclox.offices.models import Interaction, InteractionKind, Office, OfficeKind, office_tags
from praclox.stats.charts import HEATMAP, ROWS, Chart, Series
from praclox.stats.filters import Filters
from praclox.stats.scope import NO_MANAGER, manager_names, office_conditions, tag_names
from praclox.stats.series import local_start, month_names, pivot
from praclox.stats.sql import hour_of_week, month_of

#: the bands of "last contact", in months; ``None``: never
BANDS = (1, 3, 6, 12)


def _kinds() -> dict[str, str]:
    return {k.value: str(k.label) for k in InteractionKind}


def per_month(filters: Filters) -> Chart:
    """Contact moments per month by kind: counted per day and kind first, in the order of the (date, kind, office)
    index with no sort, and those few thousand day counts summed per month."""
    per_day = (select(Interaction.occurred_on.label("day"), Interaction.kind.label("kind"), func.count().label("n"))
               .where(*_in_period(filters)).group_by(Interaction.occurred_on, Interaction.kind).subquery())
    month = month_of(per_day.c.day)
    rows = db.session.execute(
        select(month, per_day.c.kind, func.sum(per_day.c.n)).group_by(month, per_day.c.kind)).all()
    kinds = _kinds()
    return Chart("moments", _("Contact moments per month, by kind"), _("Month"), month_names(filters.months),
                 pivot(rows, filters.months, list(kinds), kinds))


def _in_period(filters: Filters) -> list[object]:
    return [Interaction.occurred_on >= filters.start, Interaction.occurred_on < filters.end,
            *office_conditions(Interaction.office_id, filters)]


#: the group a row of ``by_office_group`` counts in
MANAGER, TAG = "manager", "tag"


def by_office_group(filters: Filters) -> dict[str, list[tuple[str, str, int]]]:
    """Contact moments in the period by kind, per account manager and per office tag, in one statement: counted
    once per office (one row each, a column per kind, from the covering index), and only those counts joined to
    the offices and their tags. ``{MANAGER: [(manager key, kind, count)], TAG: [(tag id, kind, count)]}``."""
    kinds = list(_kinds())
    per_office = (select(Interaction.office_id.label("office_id"),
                         *(func.count().filter(Interaction.kind == kind).label(f"n_{kind}") for kind in kinds))
                  .where(*_in_period(filters)).group_by(Interaction.office_id).cte("per_office"))
    totals = [func.sum(per_office.c[f"n_{kind}"]) for kind in kinds]
    managers = (select(literal(MANAGER).label("by"), Office.account_manager_id.label("key"), *totals)
                .join(Office, Office.id == per_office.c.office_id).group_by(Office.account_manager_id))
    tags = (select(literal(TAG).label("by"), office_tags.c.tag_id.label("key"), *totals)
            .join(office_tags, office_tags.c.office_id == per_office.c.office_id).group_by(office_tags.c.tag_id))
    found: dict[str, list[tuple[str, str, int]]] = {MANAGER: [], TAG: []}
    for by, key, *counts in db.session.execute(union_all(managers, tags)):
        group = NO_MANAGER if key is None else str(key)
        found[by].extend((group, kind, int(n or 0)) for kind, n in zip(kinds, counts, strict=True))
    return found


def by_manager(filters: Filters, grouped: dict[str, list[tuple[str, str, int]]] | None = None) -> Chart:
    """Contact moments in the period per account manager of the office, by kind."""
    rows = (grouped or by_office_group(filters))[MANAGER]
    names = manager_names(None if key == NO_MANAGER else int(key) for key, _kind, _count in rows)
    kinds = _kinds()
    return Chart("managers", _("Contact moments per account manager, by kind"), _("Account manager"),
                 list(names.values()), pivot(rows, list(names), list(kinds), kinds), kind=ROWS)


def by_tag(filters: Filters, grouped: dict[str, list[tuple[str, str, int]]] | None = None) -> Chart:
    """Contact moments in the period per office tag, by kind (an office with two tags counts under both)."""
    rows = (grouped or by_office_group(filters))[TAG]
    names = tag_names(int(key) for key, _kind, _count in rows)
    kinds = _kinds()
    return Chart("tags", _("Contact moments per office tag, by kind"), _("Tag"), list(names.values()),
                 pivot(rows, list(names), list(kinds), kinds), kind=ROWS,
                 note=_("An office with several tags counts under each of them."))


def zone_changes(start: datetime, end: datetime) -> tuple[list[tuple[datetime, int]], int]:
    """The local zone's offsets (minutes ahead of UTC) between two UTC moments: ``[(until, minutes)]`` and
    the offset after the last change, so that SQL can move every timestamp to local time (summer time too)."""
    local = zone()

    def offset(moment: datetime) -> int:
        return int(moment.astimezone(local).utcoffset().total_seconds() // 60)  # type: ignore[union-attr]

    # a week at a time (no zone changes twice within a week), then the hour within the week that changed
    changes, moment, current = [], start, offset(start)
    while moment < end:
        following = moment + timedelta(weeks=1)
        if offset(following) != current:
            hour = next(moment + timedelta(hours=h) for h in range(1, 169)
                        if offset(moment + timedelta(hours=h)) != current)
            changes.append((hour, current))
            current, following = offset(hour), hour
        moment = following
    return changes, current


def heatmap(filters: Filters) -> Chart:
    """Logged contact moments per weekday and hour (a moment has a day, not an hour: its logging time counts)."""
    start, end = local_start(filters.start), local_start(filters.end)
    slot = hour_of_week(Interaction.created_at, *zone_changes(start, end))
    slots = (select(slot.label("slot")).where(Interaction.created_at >= start, Interaction.created_at < end,
                                              *office_conditions(Interaction.office_id, filters)).subquery())
    counted = db.session.execute(select(slots.c.slot, func.count()).group_by(slots.c.slot))
    cells = {int(slot): int(n) for slot, n in counted}
    days = get_day_names("abbreviated", locale=get_locale())
    series = [Series(str(days[d]), [cells.get(d * 24 + h, 0) for h in range(24)]) for d in range(7)]
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
    grouped = by_office_group(filters)
    return [per_month(filters), by_manager(filters, grouped), by_tag(filters, grouped), heatmap(filters),
            age_bands(filters)]
