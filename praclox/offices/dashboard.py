"""The offices block on the dashboard: the latest contact moments and prospects to review."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any, NamedTuple

from sqlalchemy import bindparam, select

from praclox.clock import today
from praclox.extensions import db
from praclox.offices.models import Contact, Interaction, Office, OfficeKind

#: a prospect without any contact moment this long is flagged for review
PROSPECT_REVIEW_DAYS = 730


class Named(NamedTuple):
    """An office or contact as a line shows it."""

    id: int
    name: str


class Person(NamedTuple):
    id: int
    office_id: int
    first_name: str
    last_name: str
    left_on: date | None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Moment(NamedTuple):
    occurred_on: date
    kind: str
    office_id: int
    office: Named
    contact: Person | None


# Built once: plain columns straight from the connection, no ORM objects, options or loader strategies per
# request (the three ORM statements with load_only/joinedload were ~4 ms of the dashboard's CPU time)
_RECENT = (
    select(Interaction.occurred_on, Interaction.kind, Interaction.office_id, Office.name,
           Contact.id, Contact.first_name, Contact.last_name)
    .join(Office, Office.id == Interaction.office_id)
    .outerjoin(Contact, Contact.id == Interaction.contact_id)
    .order_by(Interaction.occurred_on.desc(), Interaction.id.desc())
    .limit(8)
)
# no contact moment since the cut-off: one index look-up per prospect, not every office's last contact
_STALE = (
    select(Office.id, Office.name)
    .where(Office.kind == OfficeKind.PROSPECT,
           ~select(Interaction.id).where(Interaction.office_id == Office.id,
                                         Interaction.occurred_on >= bindparam("cutoff")).exists())
    .where(Office.created_at < bindparam("created_before"))
    .order_by(Office.name)
    .limit(10)
)
_LEFT = (
    select(Contact.id, Contact.office_id, Contact.first_name, Contact.last_name, Contact.left_on)
    .where(Contact.needs_review.is_(True)).order_by(Contact.left_on.desc()).limit(10)
)


def recent_context() -> dict[str, Any]:
    """What the lines show, in three statements: names and dates only (no summary decrypted, no notes)."""
    connection = db.session.connection()
    recent = [Moment(on, kind, office_id, Named(office_id, office_name),
                     Person(contact_id, office_id, first, last, None) if contact_id is not None else None)
              for on, kind, office_id, office_name, contact_id, first, last in connection.execute(_RECENT)]
    cutoff = today() - timedelta(days=PROSPECT_REVIEW_DAYS)
    stale = [Named(*row) for row in connection.execute(
        _STALE, {"cutoff": cutoff, "created_before": datetime.combine(cutoff, time.min, tzinfo=UTC)})]
    left = [Person(*row) for row in connection.execute(_LEFT)]
    return {"recent": recent, "stale_prospects": stale, "left_contacts": left}
