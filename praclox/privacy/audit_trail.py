"""Reading the audit trail for the privacy officer, its CSV export, and the retention purge."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, delete, func, select

from praclox.audit.models import AuditEntry
from praclox.auth.models import User
from praclox.clock import add_months, now, zone
from praclox.csvutil import local_time
from praclox.extensions import db
from praclox.privacy.labels import action_label, fields_label, table_label
from praclox.privacy.models import AUDIT_RETENTION_KEY

log = logging.getLogger(__name__)

PURGE_BATCH = 1000


def csv_header() -> list[str]:
    """The export's column names in the reader's language; the time in the installation's zone."""
    from flask_babel import gettext as _

    from praclox.csvutil import time_header

    return [_("number"), time_header(_("time")), _("user number"), _("user"), _("action"), _("record type"),
            _("record number"), _("fields")]


@dataclass(frozen=True)
class AuditFilter:
    user_id: int | None = None
    record_type: str | None = None
    record_id: int | None = None
    action: str | None = None
    start: date | None = None  # first day included (Amsterdam)
    end: date | None = None  # last day included (Amsterdam)


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone()).astimezone(UTC)


def query(flt: AuditFilter) -> Select[Any]:
    """Entries matching the filter, newest first."""
    stmt = select(AuditEntry)
    if flt.user_id is not None:
        stmt = stmt.where(AuditEntry.actor_id == flt.user_id)
    if flt.record_type:
        stmt = stmt.where(AuditEntry.record_type == flt.record_type)
    if flt.record_id is not None:
        stmt = stmt.where(AuditEntry.record_id == flt.record_id)
    if flt.action:
        stmt = stmt.where(AuditEntry.action == flt.action)
    if flt.start:
        stmt = stmt.where(AuditEntry.at >= _day_start(flt.start))
    if flt.end:
        stmt = stmt.where(AuditEntry.at < _day_start(flt.end + timedelta(days=1)))
    return stmt.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())


def csv_rows(flt: AuditFilter) -> Iterator[list[Any]]:
    stmt = query(flt).add_columns(User.email).outerjoin(User, User.id == AuditEntry.actor_id)
    for entry, user_email in db.session.execute(stmt):
        yield [entry.id, local_time(entry.at), entry.actor_id, user_email or "", action_label(entry.action),
               table_label(entry.record_type) if entry.record_type else "",
               entry.record_id if entry.record_id is not None else "", fields_label(entry.record_type, entry.fields)]


def record_types() -> list[str]:
    found = db.session.scalars(select(AuditEntry.record_type).distinct().where(AuditEntry.record_type.is_not(None)))
    return sorted(found)


def cutoff(months: int) -> datetime:
    """Entries before this moment are older than ``months``."""
    moment = now()
    shifted = add_months(moment.astimezone(zone()).date(), -months)
    return datetime.combine(shifted, moment.astimezone(zone()).timetz()).astimezone(UTC)


def purge_old(months: int, *, dry_run: bool = False, batch: int = PURGE_BATCH,
              on_removed: Callable[[int], None] | None = None) -> dict[str, int]:
    """Delete audit entries older than ``months``, committing per batch (after which ``on_removed(n)`` hears
    of it: the command's progress); counts only."""
    limit = cutoff(months)
    if dry_run:
        count = db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.at < limit)) or 0
        return {"would_remove": count}
    removed = 0
    while ids := list(db.session.scalars(
        select(AuditEntry.id).where(AuditEntry.at < limit).order_by(AuditEntry.id).limit(batch)
    )):
        db.session.execute(delete(AuditEntry).where(AuditEntry.id.in_(ids)))
        db.session.commit()
        removed += len(ids)
        if on_removed is not None:
            on_removed(len(ids))
    log.info("audit purge: %d entries older than %d months removed", removed, months)
    return {"removed": removed}


def purge_job() -> dict[str, int]:
    """The scheduled job: the retention comes from the live setting."""
    from praclox.settings import services as settings

    return purge_old(int(settings.get(AUDIT_RETENTION_KEY)))
