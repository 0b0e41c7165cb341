"""Website registrations, counts only: registered, confirmed and unsubscribed per month, and the list size."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import and_, case, func, or_, select

from praclox.clock import add_months
from praclox.extensions import db
from praclox.registrations.models import Registration, RegistrationPurge, Status
from praclox.stats.charts import Chart, Series
from praclox.stats.filters import Filters
from praclox.stats.series import fold, local_start, month_names
from praclox.stats.sql import month_of


def _per_month(column: object, filters: Filters, *conditions: object) -> dict[str, list[float]]:
    month = month_of(column)
    return fold(db.session.execute(
        select(month, func.count())
        .where(column >= local_start(filters.start), column < local_start(filters.end), *conditions)  # type: ignore[operator]
        .group_by(month)).all(), filters.months, by_quarter=False)


def per_month(filters: Filters) -> Chart:
    """Registrations, confirmations and unsubscribes per month (records held today, and the purged unsubscribes)."""
    registered = _per_month(Registration.created_at, filters)
    confirmed = _per_month(Registration.newsletter_confirmed_at, filters)
    unsubscribed = _per_month(Registration.status_changed_at, filters,
                              Registration.status == Status.UNSUBSCRIBED.value)
    purged_month = month_of(RegistrationPurge.purged_at)
    purged = fold(db.session.execute(
        select(purged_month, func.sum(RegistrationPurge.count))
        .where(RegistrationPurge.reason == "unsubscribed", RegistrationPurge.purged_at >= local_start(filters.start),
               RegistrationPurge.purged_at < local_start(filters.end))
        .group_by(purged_month)).all(), filters.months, by_quarter=False)
    months = filters.months

    def values(*found: dict[str, list[float]]) -> list[int | float | None]:
        return [int(sum(f.get(m, [0])[0] for f in found)) for m in months]

    series = [Series(_("Registered"), values(registered)), Series(_("Confirmed"), values(confirmed)),
              Series(_("Unsubscribed"), values(unsubscribed, purged))]
    return Chart("registrations", _("Website registrations per month"), _("Month"), month_names(months), series,
                 stacked=False, people=True,
                 note=_("Purged registrations are no longer counted as registered or confirmed; "
                        "purged unsubscribes count in the month of the purge."))


def list_size(filters: Filters) -> Chart:
    """Newsletter subscribers at the end of each month: confirmed by then, and not yet unsubscribed or closed."""
    ends = [local_start(add_months(filters.start, n + 1)) for n in range(len(filters.months))]
    on_list = [func.sum(case((and_(Registration.newsletter_confirmed_at < end,
                                   or_(Registration.status == Status.ACTIVE.value,
                                       Registration.status_changed_at >= end)), 1), else_=0))
               for end in ends]
    found = db.session.execute(select(*on_list).where(Registration.newsletter.is_(True))).one()
    return Chart("list", _("Newsletter list size at the end of each month"), _("Month"), month_names(filters.months),
                 [Series(_("Subscribers"), [int(n or 0) for n in found])], people=True)


def charts(filters: Filters) -> list[Chart]:
    return [per_month(filters), list_size(filters)]
