"""The user's follow-ups in their reminder e-mail: the overdue ones and those due in the digest's period."""

from __future__ import annotations

from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select

from praclox.extensions import db
from praclox.followups.models import FollowUp
from praclox.forms import one_line
from praclox.offices.models import Office


def lines(user_id: int, day: date, end: date, base_url: str) -> tuple[list[str], int]:
    """Text lines (a heading first) and how many follow-ups: open, owned by the user, due on or before ``end``.

    Called inside the digest's ``force_locale``: dates and words are in the recipient's language.
    """
    rows = db.session.execute(
        select(FollowUp.title, FollowUp.due_on, Office.name).join(Office, Office.id == FollowUp.office_id)
        .where(FollowUp.owner_id == user_id, FollowUp.done_at.is_(None), FollowUp.due_on <= end)
        .order_by(FollowUp.due_on, FollowUp.id)
    ).all()
    if not rows:
        return [], 0
    out = [_("Your follow-ups"), ""]
    for title, due_on, office in rows:
        late = _(" (overdue)") if due_on < day else ""
        # a list mark first: a line never starts with a stored text
        out.append(f"  - {format_date(due_on, 'EEE d MMM')}{late}  {one_line(title)} — {one_line(office)}")
    out += ["", _("All your follow-ups: %(url)s", url=base_url.rstrip("/") + "/follow-ups/")]
    return out, len(rows)
