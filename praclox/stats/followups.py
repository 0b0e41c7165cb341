"""Follow-ups: open, overdue and done per owner, and per week."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import case, func, select

from praclox.auth.models import User
from praclox.clock import today
from praclox.extensions import db
from praclox.followups.models import FollowUp
from praclox.stats.charts import ROWS, Chart
from praclox.stats.filters import Filters
from praclox.stats.scope import office_conditions
from praclox.stats.series import day_key, local_start, pivot, week_names
from praclox.stats.sql import week_of

WEEKS = 12


def _states() -> dict[str, str]:
    return {"open": _("Open"), "overdue": _("Overdue"), "done": _("Done")}


def per_owner(filters: Filters) -> Chart:
    """Open and overdue today, and done within the period, per owner (two grouped queries on the owner index)."""
    day = today()
    found: dict[int, dict[str, int]] = {}
    for owner_id, total, overdue in db.session.execute(
            select(FollowUp.owner_id, func.count(), func.sum(case((FollowUp.due_on < day, 1), else_=0)))
            .where(FollowUp.done_at.is_(None), *office_conditions(FollowUp.office_id, filters))
            .group_by(FollowUp.owner_id)):
        found[owner_id] = {"open": int(total) - int(overdue or 0), "overdue": int(overdue or 0)}
    for owner_id, done in db.session.execute(
            select(FollowUp.owner_id, func.count())
            .where(FollowUp.done_at >= local_start(filters.start), FollowUp.done_at < local_start(filters.end),
                   *office_conditions(FollowUp.office_id, filters))
            .group_by(FollowUp.owner_id)):
        found.setdefault(owner_id, {})["done"] = int(done)
    names = dict(db.session.execute(select(User.id, User.name).where(User.id.in_(found)).order_by(User.name)).all())
    owners = sorted(found, key=lambda owner_id: (names.get(owner_id, ""), owner_id))
    labels = _states()
    rows = [(str(o), state, n) for o in owners for state, n in found[o].items()]
    return Chart("owners", _("Follow-ups per owner: open and overdue today, done in the period"), _("Owner"),
                 [names.get(o, "") for o in owners], pivot(rows, [str(o) for o in owners], list(labels), labels),
                 kind=ROWS)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def per_week(filters: Filters) -> Chart:
    """The last twelve weeks: follow-ups done in each week, and those due in it that are still open."""
    this_week = _monday(today())
    weeks = [(this_week - timedelta(weeks=n)).isoformat() for n in range(WEEKS - 1, -1, -1)]
    first = this_week - timedelta(weeks=WEEKS - 1)
    done_week, due_week = week_of(FollowUp.done_at), week_of(FollowUp.due_on)
    done = db.session.execute(
        select(done_week, func.count())
        .where(FollowUp.done_at >= local_start(first), *office_conditions(FollowUp.office_id, filters))
        .group_by(done_week)).all()
    still_open = db.session.execute(
        select(due_week, func.count())
        .where(FollowUp.done_at.is_(None), FollowUp.due_on >= first, FollowUp.due_on < this_week + timedelta(weeks=1),
               *office_conditions(FollowUp.office_id, filters))
        .group_by(due_week)).all()
    rows = [(day_key(w), "done", n) for w, n in done]
    rows += [(day_key(w), "overdue" if day_key(w) < this_week.isoformat() else "open", n) for w, n in still_open]
    labels = _states()
    return Chart("weeks", _("Follow-ups per week: done, and due but still open"), _("Week of"), week_names(weeks),
                 pivot(rows, weeks, ["done", "overdue", "open"], labels))


def charts(filters: Filters) -> list[Chart]:
    return [per_owner(filters), per_week(filters)]
