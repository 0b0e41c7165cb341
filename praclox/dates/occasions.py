"""When a personal date occurs, and what the occasion is called. Pure: no database, no clock.

One rule set for the pages, the feed and the reminders:

- 29 February is observed on 28 February in common years, or on 1 March when the date says so.
- An age or number of years is known only when the year is; with no year none is shown or guessed.
- A wedding day has a 12½-year jubilee (koperen bruiloft) half a year after the wedding date: 150 months on.
- A child's birthday can stop at a cut-off age (a setting; 0 means never).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any, NamedTuple, Protocol

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

BIRTHDAY, CHILD_BIRTHDAY, WEDDING = "birthday", "child_birthday", "wedding"
HALF_JUBILEE_MONTHS = 150  # 12½ years

#: birthdays that stand out besides the round ones (every tenth)
BIRTHDAY_MILESTONES = frozenset({18, 21})
#: wedding jubilees that stand out; 12½ is the half jubilee
WEDDING_MILESTONES = frozenset({25, 40, 50, 60})
JUBILEE_NAMES: dict[int, Any] = {
    5: _l("wooden wedding"),
    10: _l("tin wedding"),
    15: _l("crystal wedding"),
    20: _l("china wedding"),
    25: _l("silver wedding"),
    30: _l("pearl wedding"),
    35: _l("linen wedding"),
    40: _l("ruby wedding"),
    45: _l("sapphire wedding"),
    50: _l("golden wedding"),
    55: _l("emerald wedding"),
    60: _l("diamond wedding"),
    65: _l("brilliant wedding"),
    70: _l("platinum wedding"),
}
HALF_JUBILEE_NAME = _l("copper wedding")


class DateLike(Protocol):
    kind: str
    month: int
    day: int
    year: int | None
    leap_rule: str
    gender: str
    person_name: str | None


class Occurrence(NamedTuple):
    """One day on which a personal date is celebrated."""

    on: date
    kind: str
    #: age or years married; None when the year is unknown
    count: int | None
    #: the 12½-year jubilee (count is 12)
    half: bool = False
    milestone: bool = False

    @property
    def year(self) -> int:
        """The calendar year of the occurrence; with ``half`` it identifies the occurrence (congratulations)."""
        return self.on.year


def is_valid(month: int, day: int, year: int | None = None) -> bool:
    """A real calendar date; with no year, 29 February is allowed."""
    if not (1 <= month <= 12) or day < 1:
        return False
    if year is None:
        return day <= (29 if month == 2 else calendar.monthrange(2001, month)[1])
    if not (1 <= year <= 9999):
        return False
    return day <= calendar.monthrange(year, month)[1]


def observed(month: int, day: int, year: int, leap_rule: str = "feb28") -> date:
    """The day a (month, day) is observed in ``year``: 29 February moves in common years."""
    if month == 2 and day == 29 and not calendar.isleap(year):
        return date(year, 3, 1) if leap_rule == "mar1" else date(year, 2, 28)
    return date(year, month, day)


def half_jubilee(month: int, day: int, year: int, leap_rule: str = "feb28") -> date:
    """The day of the 12½-year jubilee: 150 months after the wedding, at the month's end when shorter."""
    total = year * 12 + (month - 1) + HALF_JUBILEE_MONTHS
    target_year, target_month = divmod(total, 12)
    target_month += 1
    last = calendar.monthrange(target_year, target_month)[1]
    if day > last:
        if target_month == 2 and day == 29:
            return observed(2, 29, target_year, leap_rule)
        day = last
    return date(target_year, target_month, day)


def is_milestone(kind: str, count: int | None, half: bool = False) -> bool:
    if count is None:
        return False
    if kind == WEDDING:
        return half or count in WEDDING_MILESTONES
    return count in BIRTHDAY_MILESTONES or (count > 0 and count % 10 == 0)


def occurrences(spec: DateLike, start: date, end: date, *, cutoff_age: int = 0) -> list[Occurrence]:
    """Every occurrence of ``spec`` from ``start`` to ``end`` (both included), in date order.

    Years before the date itself (age 0 or less) do not occur. An ended date is the caller's to leave out.
    """
    found: list[Occurrence] = []
    if end < start:
        return found
    kind, month, day, born, rule = spec.kind, spec.month, spec.day, spec.year, spec.leap_rule
    for year in range(start.year, end.year + 1):
        on = observed(month, day, year, rule)
        if on < start or on > end:
            continue
        count = None if born is None else year - born
        if count is not None:
            if count <= 0:
                continue
            if kind == CHILD_BIRTHDAY and cutoff_age and count > cutoff_age:
                continue
        found.append(Occurrence(on, kind, count, False, is_milestone(kind, count)))
    if kind == WEDDING and born is not None:
        on = half_jubilee(month, day, born, rule)
        if start <= on <= end:
            found.append(Occurrence(on, kind, 12, True, True))
            found.sort(key=lambda o: o.on)
    return found


def occurrences_many(specs: Iterable[DateLike], start: date, end: date, *, cutoff_age: int = 0
                     ) -> list[tuple[Any, Occurrence]]:
    """(spec, occurrence) pairs for many dates, sorted by day: the same as ``occurrences`` for each, faster.

    The observed days of each (month, day, leap rule) in the window are worked out once.
    """
    pairs: list[tuple[Any, Occurrence]] = []
    if end < start:
        return pairs
    append = pairs.append
    days: dict[tuple[int, int, str], list[tuple[int, date]]] = {}
    years = range(start.year, end.year + 1)
    for spec in specs:
        kind, month, day, born, rule = spec.kind, spec.month, spec.day, spec.year, spec.leap_rule
        key = (month, day, rule)
        found = days.get(key)
        if found is None:
            found = days[key] = [(y, on) for y in years if start <= (on := observed(month, day, y, rule)) <= end]
        for year, on in found:
            if born is None:
                append((spec, Occurrence(on, kind, None)))
                continue
            count = year - born
            if count <= 0 or (kind == CHILD_BIRTHDAY and cutoff_age and count > cutoff_age):
                continue
            append((spec, Occurrence(on, kind, count, False, is_milestone(kind, count))))
        if kind == WEDDING and born is not None:
            on = half_jubilee(month, day, born, rule)
            if start <= on <= end:
                append((spec, Occurrence(on, kind, 12, True, True)))
    pairs.sort(key=lambda pair: pair[1][0])
    return pairs


def next_occurrence(spec: DateLike, after: date, *, cutoff_age: int = 0) -> Occurrence | None:
    """The first occurrence on or after ``after`` (within a year and a bit), if any."""
    found = occurrences(spec, after, after + timedelta(days=370), cutoff_age=cutoff_age)
    return found[0] if found else None


# --- words ---------------------------------------------------------------------------------------


def years_text(occ: Occurrence) -> str:
    return "12½" if occ.half else str(occ.count)


class Phrases:
    """The translated templates, looked up once: a feed of 50,000 events must not call gettext per event."""

    def __init__(self) -> None:
        self.has_birthday = _("has a birthday")
        self.turns = _("turns %(age)d")
        self.turns_nick = _("turns %(age)d (%(nick)s)")
        self.who_what = _("%(who)s %(what)s")
        self.relations = {
            "f": (_("daughter"), _("daughter %(name)s")),
            "m": (_("son"), _("son %(name)s")),
            "": (_("child"), _("child %(name)s")),
        }
        self.anniversary = _("wedding anniversary")
        self.one_year = _("1 year married")
        self.years_named = _("%(years)s years married (%(name)s)")
        self.years_plain = _("%(years)s years married")
        self.child_of_birthday = _("Child of %(contact)s has a birthday")
        self.child_of_turns = _("Child of %(contact)s turns %(age)d")
        self.contact_words = _("%(contact)s: %(words)s")
        self.contact_partner_words = _("%(contact)s and %(partner)s: %(words)s")
        self.jubilees = {count: str(name) for count, name in JUBILEE_NAMES.items()}
        self.half_name = str(HALF_JUBILEE_NAME)
        self._ages: dict[tuple[int | None, str], str] = {}
        self._weddings: dict[tuple[int | None, bool], str] = {}

    def age_words(self, count: int | None, gender: str) -> str:
        """"wordt 50 (Abraham)", "wordt 41", "is jarig"."""
        key = (count, gender)
        found = self._ages.get(key)
        if found is None:
            if count is None:
                found = self.has_birthday
            elif count == 50 and gender in ("m", "f"):
                found = self.turns_nick % {"age": count, "nick": "Abraham" if gender == "m" else "Sarah"}
            else:
                found = self.turns % {"age": count}
            self._ages[key] = found
        return found

    def relation(self, gender: str, name: str | None) -> str:
        """"dochter Sophie", "zoon", "kind"."""
        bare, named = self.relations.get(gender, self.relations[""])
        return named % {"name": name} if name else bare

    def wedding_words(self, count: int | None, half: bool = False) -> str:
        """"25 jaar getrouwd (zilveren bruiloft)", "12½ jaar getrouwd (koperen bruiloft)", "trouwdag"."""
        key = (count, half)
        found = self._weddings.get(key)
        if found is None:
            if count is None:
                found = self.anniversary
            elif half:
                found = self.years_named % {"years": "12½", "name": self.half_name}
            elif count == 1:
                found = self.one_year
            elif count in self.jubilees:
                found = self.years_named % {"years": count, "name": self.jubilees[count]}
            else:
                found = self.years_plain % {"years": count}
            self._weddings[key] = found
        return found

    def words(self, spec: DateLike, occ: Occurrence) -> str:
        """The occasion in words, without the contact's name (a list shows that beside it)."""
        return self.words_for(occ.kind, occ.count, occ.half, spec.gender, spec.person_name)

    def words_for(self, kind: str, count: int | None, half: bool, gender: str, person_name: str | None) -> str:
        if kind == WEDDING:
            return self.wedding_words(count, half)
        age = self.age_words(count, gender)
        if kind == CHILD_BIRTHDAY:
            return self.who_what % {"who": self.relation(gender, person_name), "what": age}
        return age

    def title(self, spec: DateLike, occ: Occurrence, contact: str, show_child_names: bool = True) -> str:
        """The occasion as a calendar or e-mail title, with the contact's name."""
        return self.title_for(occ.kind, occ.count, occ.half, spec.gender, spec.person_name, contact,
                              show_child_names)

    def title_for(self, kind: str, count: int | None, half: bool, gender: str, person_name: str | None,
                  contact: str, show_child_names: bool = True) -> str:
        if kind == BIRTHDAY:
            return self.who_what % {"who": contact, "what": self.age_words(count, gender)}
        if kind == CHILD_BIRTHDAY:
            if not show_child_names:
                if count is None:
                    return self.child_of_birthday % {"contact": contact}
                return self.child_of_turns % {"contact": contact, "age": count}
            return self.contact_words % {
                "contact": contact, "words": self.words_for(kind, count, half, gender, person_name)
            }
        if person_name:
            return self.contact_partner_words % {
                "contact": contact, "partner": person_name, "words": self.wedding_words(count, half)
            }
        return self.contact_words % {"contact": contact, "words": self.wedding_words(count, half)}


def phrases() -> Phrases:
    """The phrases in the current locale, kept for the rest of the app context."""
    from flask import g, has_app_context

    if not has_app_context():
        return Phrases()
    from flask_babel import get_locale

    key = f"dates_phrases_{get_locale()}"
    found = g.get(key)
    if found is None:
        found = Phrases()
        setattr(g, key, found)
    return found


def words(spec: DateLike, occ: Occurrence) -> str:
    return phrases().words(spec, occ)


def title(spec: DateLike, occ: Occurrence, contact: str, *, show_child_names: bool = True) -> str:
    return phrases().title(spec, occ, contact, show_child_names)
