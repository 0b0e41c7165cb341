"""The offices block on the dashboard: the latest contact moments and prospects to review."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload, load_only

from praclox.clock import today
from praclox.extensions import db
from praclox.offices.models import Contact, Interaction, Office, OfficeKind

#: a prospect without any contact moment this long is flagged for review
PROSPECT_REVIEW_DAYS = 730


def recent_context() -> dict[str, Any]:
    # what the lines show, in one statement: not the summaries (nothing decrypted), and each line's office and
    # contact joined in (it was 16 statements one by one, then 3 with a look-up each for offices and contacts)
    recent = db.session.scalars(
        select(Interaction).order_by(Interaction.occurred_on.desc(), Interaction.id.desc()).limit(8)
        .options(load_only(Interaction.office_id, Interaction.contact_id, Interaction.occurred_on, Interaction.kind),
                 joinedload(Interaction.office).load_only(Office.name),
                 joinedload(Interaction.contact).load_only(Contact.first_name, Contact.last_name))
    ).all()
    cutoff = today() - timedelta(days=PROSPECT_REVIEW_DAYS)
    # no contact moment since the cut-off: one index look-up per prospect, not every office's last contact
    recent_contact = select(Interaction.id).where(Interaction.office_id == Office.id,
                                                  Interaction.occurred_on >= cutoff)
    # the lines show names only: no other column is read (a contact's notes would be decrypted for nothing)
    stale = db.session.scalars(
        select(Office).options(load_only(Office.name))
        .where(Office.kind == OfficeKind.PROSPECT, ~recent_contact.exists())
        .where(Office.created_at < _as_datetime(cutoff))
        .order_by(Office.name)
        .limit(10)
    ).all()
    left = db.session.scalars(
        select(Contact).options(load_only(Contact.office_id, Contact.first_name, Contact.last_name, Contact.left_on))
        .where(Contact.needs_review.is_(True)).order_by(Contact.left_on.desc()).limit(10)
    ).all()
    return {"recent": recent, "stale_prospects": stale, "left_contacts": left}


def _as_datetime(day: Any) -> Any:
    from datetime import UTC, datetime, time

    return datetime.combine(day, time.min, tzinfo=UTC)
