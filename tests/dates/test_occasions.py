"""The pure occurrence logic: leap days, the turn of the year, unknown years, the 12½-year jubilee, words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
import time_machine

from praclox.dates import occasions
from praclox.dates.occasions import Occurrence, half_jubilee, is_valid, observed, occurrences


@dataclass
class Spec:
    kind: str = "birthday"
    month: int = 1
    day: int = 1
    year: int | None = None
    leap_rule: str = "feb28"
    gender: str = ""
    person_name: str | None = None


def ons(spec, start, end, **kw):
    return [o.on for o in occurrences(spec, start, end, **kw)]


# --- calendar rules --------------------------------------------------------------------------------


@pytest.mark.parametrize(("year", "rule", "expected"), [
    (2024, "feb28", date(2024, 2, 29)),
    (2024, "mar1", date(2024, 2, 29)),
    (2025, "feb28", date(2025, 2, 28)),
    (2025, "mar1", date(2025, 3, 1)),
    (2100, "feb28", date(2100, 2, 28)),  # not a leap year
    (2000, "mar1", date(2000, 2, 29)),  # a leap year
])
def test_29_february_is_observed_by_its_rule(year, rule, expected):
    assert observed(2, 29, year, rule) == expected


def test_validity_of_dates():
    assert not is_valid(4, 31, 1980)
    assert not is_valid(4, 31)
    assert not is_valid(2, 29, 1981)
    assert is_valid(2, 29, 1980)
    assert is_valid(2, 29)  # no year: allowed
    assert not is_valid(2, 30)
    assert not is_valid(13, 1)
    assert not is_valid(0, 10)


def test_leap_day_birthday_over_several_years_with_both_rules():
    start, end = date(2023, 1, 1), date(2028, 12, 31)
    feb = Spec(month=2, day=29, year=1996)
    mar = Spec(month=2, day=29, year=1996, leap_rule="mar1")
    assert ons(feb, start, end) == [date(2023, 2, 28), date(2024, 2, 29), date(2025, 2, 28), date(2026, 2, 28),
                                    date(2027, 2, 28), date(2028, 2, 29)]
    assert ons(mar, start, end) == [date(2023, 3, 1), date(2024, 2, 29), date(2025, 3, 1), date(2026, 3, 1),
                                    date(2027, 3, 1), date(2028, 2, 29)]
    ages = [o.count for o in occurrences(feb, start, end)]
    assert ages == [27, 28, 29, 30, 31, 32]


def test_window_edges_are_inclusive_and_a_mar1_day_can_fall_outside():
    spec = Spec(month=2, day=29, leap_rule="mar1")
    assert ons(spec, date(2025, 2, 1), date(2025, 2, 28)) == []
    assert ons(spec, date(2025, 3, 1), date(2025, 3, 1)) == [date(2025, 3, 1)]
    assert ons(Spec(month=2, day=29), date(2025, 2, 28), date(2025, 2, 28)) == [date(2025, 2, 28)]


def test_the_turn_of_the_year():
    start, end = date(2026, 12, 20), date(2027, 1, 19)
    dec, jan = Spec(month=12, day=31, year=1976), Spec(month=1, day=5, year=1977)
    assert [(o.on, o.count) for o in occurrences(dec, start, end)] == [(date(2026, 12, 31), 50)]
    assert [(o.on, o.count) for o in occurrences(jan, start, end)] == [(date(2027, 1, 5), 50)]
    both = occasions.occurrences_many([jan, dec], start, end)
    assert [o.on for _, o in both] == [date(2026, 12, 31), date(2027, 1, 5)]


def test_unknown_year_gives_no_age_and_no_milestone():
    found = occurrences(Spec(month=6, day=1), date(2026, 1, 1), date(2026, 12, 31))
    assert found == [Occurrence(date(2026, 6, 1), "birthday", None, False, False)]
    with_ctx = occasions.Phrases()
    assert with_ctx.words(Spec(), found[0]) == "has a birthday"


def test_nothing_before_the_date_itself():
    spec = Spec(month=6, day=1, year=2026)
    assert ons(spec, date(2025, 1, 1), date(2027, 12, 31)) == [date(2027, 6, 1)]


def test_child_cut_off_age():
    child = Spec(kind="child_birthday", month=3, day=3, year=2000, person_name="Sophie", gender="f")
    assert ons(child, date(2018, 1, 1), date(2020, 12, 31), cutoff_age=18) == [date(2018, 3, 3)]
    assert len(ons(child, date(2018, 1, 1), date(2020, 12, 31))) == 3
    # no year: the cut-off cannot apply
    assert len(ons(Spec(kind="child_birthday", month=3, day=3), date(2018, 1, 1), date(2020, 12, 31),
                   cutoff_age=18)) == 3


# --- the 12½-year jubilee ---------------------------------------------------------------------------


@pytest.mark.parametrize(("married", "rule", "expected"), [
    (date(2014, 3, 10), "feb28", date(2026, 9, 10)),
    (date(2014, 9, 10), "feb28", date(2027, 3, 10)),  # across the turn of the year
    (date(2000, 8, 31), "feb28", date(2013, 2, 28)),  # the month is shorter: its last day
    (date(2003, 8, 31), "feb28", date(2016, 2, 29)),  # a leap year
    (date(2000, 8, 29), "feb28", date(2013, 2, 28)),  # 29 February in a common year
    (date(2000, 8, 29), "mar1", date(2013, 3, 1)),
    (date(1996, 2, 29), "feb28", date(2008, 8, 29)),
    (date(2013, 12, 31), "feb28", date(2026, 6, 30)),
])
def test_half_jubilee_is_half_a_year_after_the_wedding_date(married, rule, expected):
    assert half_jubilee(married.month, married.day, married.year, rule) == expected


def test_wedding_occurrences_include_the_half_jubilee_in_order():
    spec = Spec(kind="wedding", month=3, day=10, year=2014)
    found = occurrences(spec, date(2026, 1, 1), date(2027, 12, 31))
    assert [(o.on, o.count, o.half, o.milestone) for o in found] == [
        (date(2026, 3, 10), 12, False, False),
        (date(2026, 9, 10), 12, True, True),
        (date(2027, 3, 10), 13, False, False),
    ]


def test_no_half_jubilee_without_a_year():
    spec = Spec(kind="wedding", month=3, day=10)
    assert all(not o.half for o in occurrences(spec, date(2000, 1, 1), date(2040, 12, 31)))


# --- milestones and words ---------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "count", "half", "expected"), [
    ("birthday", 18, False, True), ("birthday", 21, False, True), ("birthday", 50, False, True),
    ("birthday", 40, False, True), ("birthday", 41, False, False), ("child_birthday", 18, False, True),
    ("child_birthday", 12, False, False), ("wedding", 25, False, True), ("wedding", 40, False, True),
    ("wedding", 50, False, True), ("wedding", 60, False, True), ("wedding", 12, True, True),
    ("wedding", 12, False, False), ("wedding", 30, False, False), ("birthday", None, False, False),
])
def test_milestones(kind, count, half, expected):
    assert occasions.is_milestone(kind, count, half) is expected


@pytest.fixture
def dutch(app):
    with app.test_request_context():
        from flask_babel import force_locale

        with force_locale("nl"):
            yield occasions.Phrases()


def test_dutch_words_for_every_kind(dutch):
    occ = lambda kind, count, half=False: Occurrence(date(2026, 1, 1), kind, count, half,  # noqa: E731
                                                    occasions.is_milestone(kind, count, half))
    assert dutch.words(Spec(gender="m"), occ("birthday", 50)) == "wordt 50 (Abraham)"
    assert dutch.words(Spec(gender="f"), occ("birthday", 50)) == "wordt 50 (Sarah)"
    assert dutch.words(Spec(), occ("birthday", 50)) == "wordt 50"
    assert dutch.words(Spec(), occ("birthday", 41)) == "wordt 41"
    assert dutch.words(Spec(), occ("birthday", None)) == "is jarig"
    assert dutch.words(Spec(kind="wedding"), occ("wedding", 12, True)) == "12½ jaar getrouwd (koperen bruiloft)"
    assert dutch.words(Spec(kind="wedding"), occ("wedding", 25)) == "25 jaar getrouwd (zilveren bruiloft)"
    assert dutch.words(Spec(kind="wedding"), occ("wedding", 40)) == "40 jaar getrouwd (robijnen bruiloft)"
    assert dutch.words(Spec(kind="wedding"), occ("wedding", 50)) == "50 jaar getrouwd (gouden bruiloft)"
    assert dutch.words(Spec(kind="wedding"), occ("wedding", 60)) == "60 jaar getrouwd (diamanten bruiloft)"
    assert dutch.words(Spec(kind="wedding"), occ("wedding", 1)) == "1 jaar getrouwd"
    assert dutch.words(Spec(kind="wedding"), occ("wedding", 13)) == "13 jaar getrouwd"
    assert dutch.words(Spec(kind="wedding"), occ("wedding", None)) == "trouwdag"
    child = Spec(kind="child_birthday", person_name="Sophie", gender="f")
    assert dutch.words(child, occ("child_birthday", 18)) == "dochter Sophie wordt 18"
    assert dutch.words(Spec(kind="child_birthday", person_name="Daan", gender="m"),
                       occ("child_birthday", 21)) == "zoon Daan wordt 21"
    assert dutch.words(Spec(kind="child_birthday", person_name="Sam"), occ("child_birthday", 7)) == "kind Sam wordt 7"
    assert dutch.words(Spec(kind="child_birthday"), occ("child_birthday", None)) == "kind is jarig"


def test_dutch_titles_with_and_without_children_names(dutch):
    child = Spec(kind="child_birthday", person_name="Sophie", gender="f")
    occ = Occurrence(date(2026, 1, 1), "child_birthday", 18, False, True)
    assert dutch.title(child, occ, "Anna de Vries") == "Anna de Vries: dochter Sophie wordt 18"
    assert dutch.title(child, occ, "Anna de Vries", show_child_names=False) == "Kind van Anna de Vries wordt 18"
    birthday = Occurrence(date(2026, 1, 1), "birthday", 50, False, True)
    assert dutch.title(Spec(gender="m"), birthday, "Jan Jansen") == "Jan Jansen wordt 50 (Abraham)"
    wedding = Occurrence(date(2026, 1, 1), "wedding", 25, False, True)
    assert (dutch.title(Spec(kind="wedding", person_name="Piet"), wedding, "Anna de Vries")
            == "Anna de Vries en Piet: 25 jaar getrouwd (zilveren bruiloft)")
    assert dutch.title(Spec(kind="wedding"), wedding, "Anna") == "Anna: 25 jaar getrouwd (zilveren bruiloft)"


def test_english_words(app):
    with app.test_request_context():
        from flask_babel import force_locale

        with force_locale("en"):
            phrases = occasions.Phrases()
            occ = Occurrence(date(2026, 1, 1), "wedding", 12, True, True)
            assert phrases.words(Spec(kind="wedding"), occ) == "12½ years married (copper wedding)"


@time_machine.travel(date(2026, 12, 30), tick=False)
def test_next_occurrence_across_the_year_with_the_clock_frozen():
    from praclox.clock import today

    spec = Spec(month=1, day=2, year=1976)
    nxt = occasions.next_occurrence(spec, today())
    assert nxt.on == date(2027, 1, 2) and nxt.count == 51
    leap = occasions.next_occurrence(Spec(month=2, day=29, year=2000), today())
    assert leap.on == date(2027, 2, 28) and leap.count == 27


def test_occurrences_many_equals_occurrences_one_by_one():
    import random

    rng = random.Random(7)
    specs = []
    for _ in range(3000):
        kind = rng.choice(("birthday", "child_birthday", "wedding"))
        month = rng.randint(1, 12)
        day = 29 if month == 2 and rng.random() < 0.3 else rng.randint(1, 28 if month == 2 else 31)
        if not is_valid(month, day):
            day = 28
        year = rng.choice((None, rng.randint(1940, 2025)))
        if year is not None and not is_valid(month, day, year):
            year += 4 - year % 4 if year % 4 else 0
        specs.append(Spec(kind, month, day, year, rng.choice(("feb28", "mar1"))))
    for start, end in ((date(2026, 12, 20), date(2027, 1, 19)), (date(2027, 2, 1), date(2027, 3, 31)),
                       (date(2025, 11, 22), date(2028, 11, 22)), (date(2028, 2, 28), date(2028, 3, 1))):
        expected = sorted(((id(s), o) for s in specs for o in occurrences(s, start, end, cutoff_age=18)),
                          key=lambda p: (p[1].on, p[0], p[1].half))
        got = sorted(((id(s), o) for s, o in occasions.occurrences_many(specs, start, end, cutoff_age=18)),
                     key=lambda p: (p[1].on, p[0], p[1].half))
        assert got == expected
