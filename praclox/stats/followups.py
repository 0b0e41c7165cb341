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
    """Open and overdue today, and done within the period, per owner."""
    day = today()
    state = case((FollowUp.done_at.is_not(None), "done"), (FollowUp.due_on < day, "overdue"), else_="open")
    states = (select(FollowUp.owner_id.label("owner_id"), state.label("state"))
              .where(FollowUp.done_at.is_(None)
                     | ((FollowUp.done_at >= local_start(filters.start))
                        & (FollowUp.done_at < local_start(filters.end))),
                     *office_conditions(FollowUp.office_id, filters))
              .subquery())
    rows = db.session.execute(
        select(User.name, User.id, states.c.state, func.count())
        .join(states, states.c.owner_id == User.id)
        .group_by(User.id, User.name, states.c.state).order_by(User.name)).all()
    owners = {str(user_id): name for name, user_id, _state, _count in rows}
    labels = _states()
    series = pivot([(str(user_id), s, n) for _name, user_id, s, n in rows], list(owners), list(labels), labels)
    return Chart("owners", _("Follow-ups per owner: open and overdue today, done in the period"), _("Owner"),
                 list(owners.values()), series, kind=ROWS)


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
