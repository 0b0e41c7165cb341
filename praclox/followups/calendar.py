"""A user's open follow-ups as all-day events in their calendar feed, when the feed asks for them.

The event says what the user wrote (the title) and the office: no contact name, no details. Done follow-ups
leave the feed; an overdue one stays on its due date.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from praclox.dates.ical import all_day, escape_text, fold, stamp
from praclox.extensions import db
from praclox.followups.models import FollowUp
from praclox.offices.models import Office


def state(user_id: int) -> tuple[int, datetime | None, datetime | None, datetime | None]:
    """What the user's follow-up events depend on: how many are open, the latest change to one of theirs, the
    latest change to an office of an open one (its name is in the event's title), and the latest change to any
    follow-up (it only grows, so Last-Modified never goes back when one is reassigned away from the user)."""
    is_open = FollowUp.done_at.is_(None)
    mine = db.session.execute(
        select(func.count(FollowUp.id).filter(is_open), func.max(FollowUp.updated_at),
               func.max(Office.updated_at).filter(is_open))
        .join(Office, Office.id == FollowUp.office_id)
        .where(FollowUp.owner_id == user_id)
    ).one()
    latest = db.session.scalar(select(func.max(FollowUp.updated_at)))
    return int(mine[0] or 0), mine[1], mine[2], latest


def events(user_id: int, *, host: str, base_url: str) -> list[str]:
    """The VEVENT blocks of the user's open follow-ups, earliest first."""
    rows = db.session.execute(
        select(FollowUp.id, FollowUp.title, FollowUp.due_on, FollowUp.updated_at, Office.updated_at, Office.name)
        .join(Office, Office.id == FollowUp.office_id)
        .where(FollowUp.owner_id == user_id, FollowUp.done_at.is_(None))
        .order_by(FollowUp.due_on, FollowUp.id)
    )
    base = base_url.rstrip("/")
    out = []
    for follow_up_id, title, due_on, updated_at, office_changed, office in rows:
        moment = stamp(max(updated_at, office_changed))  # a renamed office changes the event's title
        out.append(
            "BEGIN:VEVENT\r\n" + fold("SUMMARY:" + escape_text(f"{title} · {office}")) + all_day(due_on)
            + f"\r\nDTSTAMP:{moment}\r\nUID:praclox-follow-up-{follow_up_id}@{host}\r\n"
            + fold(f"URL:{base}/follow-ups/{follow_up_id}/edit")
            + f"\r\nLAST-MODIFIED:{moment}\r\nTRANSP:TRANSPARENT\r\nEND:VEVENT\r\n"
        )
    return out
