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
    #: what the occurrences depend on (see ``_days``): with the marks shown, what the page's HTML depends on
    key: tuple[object, ...] = ()

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


def _days(day: date, end: date) -> tuple[tuple[object, ...], dict[date, list[services.Entry]]]:
    """The window's occurrences by day (without marks), kept in this worker for as long as nothing they show
    has changed; callers never change the kept lists.

    The key is one primary-key read: the calendar stamp moves with every date or contact change, deletions
    included, and with an office's new name (``services.install_listeners``). It did include the newest change
    of any office, but logging a contact moment changes its office, so every logged call made every worker
    compute the window again. One entry per window, so a changed calendar replaces the old one instead of
    keeping names around. Congratulation marks are read fresh on every request.
    """
    store = current_app.extensions.setdefault("praclox_agenda_cache", {})
    key = (day, end, services.calendar_changed_at(), services.cutoff_age())
    found = store.get((day, end))
    if found is not None and found[0] == key:
        return key, found[1]
    if len(store) > 4:  # yesterday's windows
        store.clear()
    entries = services.entries_between(day, end, with_marks=False)
    days = _by_day([(e.row, e.occ) for e in entries])
    store[(day, end)] = (key, days)
    return key, days


def build(day: date, horizon_days: int = DASHBOARD_DAYS) -> Agenda:
    """The agenda from ``day`` up to ``horizon_days`` ahead (inclusive); marks are read for the shown entries
    only (a folded occasion shows none)."""
    key, days = _days(day, day + timedelta(days=horizon_days))
    week_end = day + timedelta(days=WEEK_DAYS)
    today = Day(day, days.get(day, []))
    week = [Day(on, listed) for on, listed in days.items() if day < on <= week_end]
    later = []
    for on, listed in days.items():
        if on > week_end:
            shown = [e for e in listed if e.occ.milestone]
            later.append(Day(on, shown, len(listed) - len(shown)))
    shown_days = [today, *week, *later]
    marked = iter(services.with_congratulations([(e.row, e.occ) for d in shown_days for e in d.entries]))
    for shown_day in shown_days:
        shown_day.entries = [next(marked) for _ in shown_day.entries]
    return Agenda(today, week, later, key)
