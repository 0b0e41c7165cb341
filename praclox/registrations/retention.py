"""The retention rule for registrations, in one place: who is purged when, and what is left (counts).

- unsubscribed without client-area access, and closed accounts: ``registrations.purge_after_days``
  (30) days after the status changed;
- never confirmed: ``registrations.unconfirmed_days`` (30) days after it became pending (registered, or
  registered again after unsubscribing or closing).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import delete, select

from praclox.audit.services import forget_record
from praclox.clock import check_not_ahead, today, zone
from praclox.extensions import db
from praclox.registrations.models import Registration, RegistrationPurge, Status
from praclox.settings import services as settings

PURGE_AFTER = "registrations.purge_after_days"
UNCONFIRMED_AFTER = "registrations.unconfirmed_days"
REASONS = ("unsubscribed", "closed", "unconfirmed")


def reason_labels() -> dict[str, Any]:
    """Why registrations were purged, in the reader's language."""
    from flask_babel import lazy_gettext as _l

    return {"unsubscribed": _l("unsubscribed"), "closed": _l("closed"), "unconfirmed": _l("never confirmed")}


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, zone())


def cutoff(as_of: date, days: int) -> datetime:
    """Anything dated before this moment is older than ``days`` days on ``as_of``.

    A status change on 1 January (any hour) is purged on 31 January with 30 days.
    """
    return _start_of(as_of - timedelta(days=days - 1))


def due_ids(as_of: date) -> dict[str, list[int]]:
    """The registrations the purge would remove on ``as_of``, by reason."""
    after = cutoff(as_of, int(settings.get(PURGE_AFTER)))
    unconfirmed = cutoff(as_of, int(settings.get(UNCONFIRMED_AFTER)))
    queries = {
        "unsubscribed": select(Registration.id).where(
            Registration.status == Status.UNSUBSCRIBED.value, Registration.client_access.is_(False),
            Registration.status_changed_at < after),
        "closed": select(Registration.id).where(
            Registration.status == Status.CLOSED.value, Registration.status_changed_at < after),
        "unconfirmed": select(Registration.id).where(
            Registration.status == Status.PENDING.value, Registration.status_changed_at < unconfirmed),
    }
    return {reason: list(db.session.scalars(stmt.order_by(Registration.id))) for reason, stmt in queries.items()}


def purge(as_of: date | None = None, *, dry_run: bool = False, batch: int = 500,
          on_deleted: Callable[[int], None] | None = None) -> dict[str, int]:
    """Delete the registrations past their retention; record counts only. Commits per batch, after which
    ``on_deleted(n)`` hears how many went (the command's progress)."""
    check_not_ahead(as_of, dry_run=dry_run)
    day = as_of or today()
    found = due_ids(day)
    counts = {reason: len(ids) for reason, ids in found.items()}
    if dry_run:
        return counts
    for reason, ids in found.items():
        for start in range(0, len(ids), batch):
            chunk = ids[start:start + batch]
            db.session.execute(delete(Registration).where(Registration.id.in_(chunk)))
            forget_record("registrations", chunk)
            db.session.commit()
            if on_deleted is not None:
                on_deleted(len(chunk))
        if ids:
            # the real day of the purge, whatever day the rule was asked about
            db.session.add(RegistrationPurge(as_of=today(), reason=reason, count=len(ids)))
            db.session.commit()
    return counts


def purge_counts_by_month() -> list[dict[str, Any]]:
    """Purged registrations per month (newest first): ``{"month": "2026-11", "unsubscribed": 2, ...}``.

    For the retention report, next to the applicants.
    """
    months: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(REASONS, 0))
    for row in db.session.scalars(select(RegistrationPurge)):
        months[row.as_of.strftime("%Y-%m")][row.reason] += row.count
    return [
        {"month": month, **counts, "total": sum(counts.values())}
        for month, counts in sorted(months.items(), reverse=True)
    ]


#: the tables a purge deletes from (VACUUMed on PostgreSQL afterwards)
TOUCHED_TABLES = ("registrations", "audit_entries")


def purge_job() -> dict[str, int]:
    """The scheduled purge (also removes used client-login nonces and API request counts older than a day);
    settles the disk afterwards."""
    from praclox.privacy.ondisk import settled

    def everything() -> dict[str, int]:
        counts = purge()
        from praclox.client.services import forget_used_nonces
        from praclox.registrations.ratelimit import forget_older_than

        counts["nonces"] = forget_used_nonces()
        counts["api_requests"] = forget_older_than(24)
        db.session.commit()
        return counts

    return settled(everything, TOUCHED_TABLES)()
