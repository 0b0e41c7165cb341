"""Clients and prospects: conversions per quarter, days from first contact to conversion, offices gained and lost."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from praclox.audit.models import AuditEntry
from praclox.extensions import db
from praclox.offices.models import Interaction, Office, OfficeConversion
from praclox.stats.charts import Chart, Series
from praclox.stats.filters import Filters
from praclox.stats.scope import office_conditions
from praclox.stats.series import average, fold, local_start, quarters
from praclox.stats.sql import days_between, month_of


def _in_period(column: object, filters: Filters) -> list[object]:
    return [column >= local_start(filters.start), column < local_start(filters.end)]  # type: ignore[operator]


def conversions(filters: Filters) -> Chart:
    """Prospects converted per quarter (the offices' conversion history), and the average days from their first
    contact moment to the conversion."""
    first = (select(Interaction.office_id, func.min(Interaction.occurred_on).label("first"))
             .group_by(Interaction.office_id).subquery())
    month = month_of(OfficeConversion.converted_at)
    rows = db.session.execute(
        select(month, func.count(), func.count(first.c.first),
               func.sum(days_between(first.c.first, OfficeConversion.converted_at)))
        .outerjoin(first, first.c.office_id == OfficeConversion.office_id)
        .where(*_in_period(OfficeConversion.converted_at, filters),
               *office_conditions(OfficeConversion.office_id, filters))
        .group_by(month)).all()
    buckets = fold(rows, filters.months)
    names = quarters(filters.months)
    counts = [buckets.get(q, [0, 0, 0]) for q in names]
    converted = [int(c[0]) for c in counts]
    days = [average(c[2], c[1]) for c in counts]
    return Chart("converted", _("Prospects converted to clients per quarter"), _("Quarter"), names,
                 [Series(_("Converted"), converted)],
                 columns=[Series(_("Average days from first contact moment to conversion"), days)])


def gained_and_lost(filters: Filters) -> Chart:
    """Offices added, offices that became clients, and offices deleted, per quarter."""
    names = quarters(filters.months)
    added = fold(db.session.execute(
        select(month_of(Office.created_at), func.count())
        .where(*_in_period(Office.created_at, filters), *office_conditions(Office.id, filters))
        .group_by(month_of(Office.created_at))).all(), filters.months)
    clients = fold(db.session.execute(
        select(month_of(Office.became_client_at), func.count())
        .where(*_in_period(Office.became_client_at, filters), *office_conditions(Office.id, filters))
        .group_by(month_of(Office.became_client_at))).all(), filters.months)
    deleted = fold(db.session.execute(
        select(month_of(AuditEntry.at), func.count())
        .where(*_in_period(AuditEntry.at, filters), AuditEntry.action == "delete", AuditEntry.record_type == "offices")
        .group_by(month_of(AuditEntry.at))).all(), filters.months)
    series = [Series(label, [int(found.get(q, [0])[0]) for q in names])
              for label, found in ((_("Offices added"), added), (_("New clients"), clients),
                                   (_("Offices deleted"), deleted))]
    return Chart("gained", _("Offices gained and lost per quarter"), _("Quarter"), names, series, stacked=False,
                 note=_("Deleted offices are counted from the audit trail, without the office filters."))


def charts(filters: Filters) -> list[Chart]:
    return [conversions(filters), gained_and_lost(filters)]
