"""What the dashboard and the reminder digest show: a page a person can read, at any number of contacts.

Today and the coming week in full, grouped by day with the milestones first; the days after that only their
milestones, the rest of each day counted and linked to the month view. At 10,000 contacts the next 30 days
hold over 2,000 occasions: listing them all made a 700 KB page that took half a second and nobody read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import current_app

from praclox.dates import occasions, services

#: the part shown in full: today and the next seven days
WEEK_DAYS = 7
#: how far the dashboard looks ahead
DASHBOARD_DAYS = 30


@dataclass
class Day:
    on: date
    #: shown entries, milestones first, then by name
    entries: list[services.Entry] = field(default_factory=list)
    #: occasions of this day not shown (the month view has them)
    folded: int = 0


@dataclass
class Agenda:
    today: Day
    week: list[Day]
    later: list[Day]
    #: what the occurrences depend on (see ``_kept``): with the marks shown, what the page's HTML depends on
    key: tuple[object, ...] = ()
    #: the shown entries' marks: (date id, occurrence year, half, mark id, how, by whom), in that order
    marks: tuple[tuple[object, ...], ...] = ()

    @property
    def count(self) -> int:
        days = [self.today, *self.week, *self.later]
        return sum(len(d.entries) + d.folded for d in days)

    @property
    def folded(self) -> int:
        return sum(d.folded for d in self.later)


def _by_day(pairs: list[tuple[services.DateRow, occasions.Occurrence]]) -> dict[date, list[services.Entry]]:
    days: dict[date, list[services.Entry]] = {}
    for row, occ in pairs:  # already sorted by day and name
        days.setdefault(occ.on, []).append(services.Entry(row, occ))
    for listed in days.values():
        listed.sort(key=lambda e: not e.occ.milestone)  # stable: names stay in order within each part
    return days


@dataclass(frozen=True)
class _Kept:
    """A window's shown days without marks, and where each shown occasion sits in them."""

    key: tuple[object, ...]
    days: tuple[Day, ...]  # today, the week's days, the later days
    week_days: int
    #: (date id, occurrence year, half) of every shown entry -> (its day's position in ``days``, its index there)
    where: dict[tuple[int, int, bool], tuple[int, int]]
    years: frozenset[int]
    #: the shown dates' marks condition (``services.marks_condition``), built once
    which: object


def _kept(day: date, end: date) -> _Kept:
    """The window's shown days (without marks), kept in this worker for as long as nothing they show has
    changed; callers never change the kept days or their lists.

    The key is one primary-key read: the calendar stamp moves with every date or contact change, deletions
    included, and with an office's new name (``services.install_listeners``). It did include the newest change
    of any office, but logging a contact moment changes its office, so every logged call made every worker
    read and expand the window again. One entry per window, so a changed calendar replaces the old one instead
    of keeping names around. Congratulation marks are read fresh on every request (``build``).
    """
    store = current_app.extensions.setdefault("praclox_agenda_cache", {})
    key = (day, end, services.calendar_changed_at(), services.cutoff_age())
    found = store.get((day, end))
    if found is not None and found.key == key:
        return found
    if len(store) > 4:  # yesterday's windows
        store.clear()
    entries = services.entries_between(day, end, with_marks=False)
    by_day = _by_day([(e.row, e.occ) for e in entries])
    week_end = day + timedelta(days=WEEK_DAYS)
    shown = [Day(day, by_day.get(day, []))]
    shown += [Day(on, listed) for on, listed in by_day.items() if day < on <= week_end]
    week_days = len(shown) - 1
    for on, listed in by_day.items():
        if on > week_end:
            milestones = [e for e in listed if e.occ.milestone]
            shown.append(Day(on, milestones, len(listed) - len(milestones)))
    where = {(e.row.id, e.occ.year, e.occ.half): (d, i) for d, shown_day in enumerate(shown)
             for i, e in enumerate(shown_day.entries)}
    kept = _Kept(key, tuple(shown), week_days, where, frozenset(y for _, y, _ in where),
                 services.marks_condition(date_id for date_id, _, _ in where))
    store[(day, end)] = kept
    return kept


def build(day: date, horizon_days: int = DASHBOARD_DAYS) -> Agenda:
    """The agenda from ``day`` up to ``horizon_days`` ahead (inclusive); marks are read for the shown entries
    only (a folded occasion shows none).

    Per request: the kept days, and the shown dates' marks in one statement with one parameter; only the days
    with a mark are copied (at 10,000 contacts some 560 entries are shown: building them again on every request
    and expanding each one's id into the marks' statement was half of the dashboard's own CPU time)."""
    kept = _kept(day, day + timedelta(days=horizon_days))
    days = list(kept.days)
    marks = services.marks_in(kept.which, kept.years, kept.where) if kept.where else {}
    copied: dict[int, list[services.Entry]] = {}
    for (date_id, year, half), mark in sorted(marks.items()):
        d, i = kept.where[(date_id, year, half)]
        listed = copied.setdefault(d, list(days[d].entries))
        listed[i] = listed[i]._replace(mark=mark)
    for d, listed in copied.items():
        days[d] = Day(days[d].on, listed, days[d].folded)
    shown_marks = tuple((*key, m.id, m.how, m.by_id) for key, m in sorted(marks.items()))
    week_end = 1 + kept.week_days
    return Agenda(days[0], days[1:week_end], days[week_end:], kept.key, shown_marks)
