"""Every write path of the use analysis: adding page-use counts, and purging them after their retention.

Counting is not audited: an audit entry per flush would record the moments the CRM was used, which the
counter exists not to keep. The purge is audited like every purge (counts, never what).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite

from praclox.audit.services import record as audit
from praclox.auth.models import User
from praclox.clock import add_months, today
from praclox.extensions import db
from praclox.settings import services as settings
from praclox.stats.models import EndpointUse

RETENTION_KEY = "stats.usage_retention_months"
THRESHOLD_KEY = "stats.small_count_threshold"


def add_uses(counts: Mapping[tuple[date, str], int]) -> int:
    """Add ``{(day, endpoint): n}`` to the stored counts in one upsert; returns the rows written. The caller commits."""
    if not counts:
        return 0
    rows = [{"day": day, "endpoint": endpoint[:120], "count": n} for (day, endpoint), n in counts.items() if n > 0]
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(EndpointUse).values(rows)
    stmt = stmt.on_conflict_do_update(index_elements=["day", "endpoint"],
                                      set_={"count": EndpointUse.count + stmt.excluded.count})
    db.session.execute(stmt)
    return len(rows)


def purge_uses(as_of: date | None = None, *, actor: User | None) -> int:
    """Delete the page-use counts older than the retention setting (months); the caller commits."""
    cutoff = add_months((as_of or today()).replace(day=1), -int(settings.get(RETENTION_KEY)))
    removed = db.session.execute(delete(EndpointUse).where(EndpointUse.day < cutoff)).rowcount or 0
    if removed:
        audit("purge", None, record_type="endpoint_uses", fields=["count"], actor=actor)
    return removed


def purge_job() -> dict[str, int]:
    """The scheduled purge: one transaction."""
    removed = purge_uses(actor=None)
    db.session.commit()
    return {"purged": removed}
