"""Demo personal dates: birthdays, children's birthdays and wedding days, a few of them coming up soon."""

from __future__ import annotations

import random
from datetime import date, timedelta

from praclox.clock import today
from praclox.dates.models import PersonalDate
from praclox.domain import DemoRun
from praclox.extensions import db

CHILDREN = (("Sophie", "f"), ("Daan", "m"), ("Emma", "f"), ("Sem", "m"), ("Julia", "f"), ("Lucas", "m"),
            ("Mila", "f"), ("Finn", "m"), ("Noor", "f"), ("Levi", "m"))
#: the demo's first names that are usually women's (for Sarah at 50); the others are men's
WOMEN = frozenset(("Anna", "Carlijn", "Eva", "Femke", "Hanneke", "Iris", "Karin", "Marloes", "Petra", "Roos",
                   "Tessa", "Vera", "Yvonne", "Fatima", "Sanne", "Lotte", "Ingrid"))
PARTNERS = ("Mark", "Linda", "Peter", "Monique", "Erik", "Sandra", "Henk", "Marieke")


def _date(rng: random.Random, start_year: int, end_year: int) -> date:
    first = date(start_year, 1, 1)
    return first + timedelta(days=rng.randint(0, (date(end_year, 12, 31) - first).days))


def generate(run: DemoRun) -> int:
    """Give demo contacts dates (flushes, does not commit); returns how many were added."""
    rng, offices = run.rng, run.made["offices"]
    day = today()
    contacts = [c for office in offices for c in office.contacts]
    added = 0
    for n, contact in enumerate(contacts):
        if n < 12 or rng.random() < 0.75:
            born = _date(rng, day.year - 64, day.year - 24)
            if n < 12:  # something on the dashboard: the next weeks, one of them a milestone
                soon = day + timedelta(days=n * 2)
                age = 50 if n == 1 else (40 if n == 4 else day.year - born.year)
                born = date(soon.year - age, soon.month, min(soon.day, 28))
            has_year = n < 12 or rng.random() < 0.85
            db.session.add(PersonalDate(
                contact_id=contact.id, kind="birthday", month=born.month, day=born.day,
                year=born.year if has_year else None, gender="f" if contact.first_name in WOMEN else "m", version=0,
            ))
            added += 1
        if n in (3, 7) or rng.random() < 0.3:
            married = _date(rng, day.year - 40, day.year - 2)
            if n in (3, 7):  # a silver wedding and a 12½-year jubilee in the coming weeks
                soon = day + timedelta(days=5 + n)
                married = date(soon.year - 25, soon.month, min(soon.day, 28)) if n == 3 else date(
                    soon.year - 13 if soon.month <= 6 else soon.year - 12, (soon.month + 5) % 12 + 1,
                    min(soon.day, 28))
            db.session.add(PersonalDate(
                contact_id=contact.id, kind="wedding", month=married.month, day=married.day, year=married.year,
                person_name=rng.choice(PARTNERS), version=0,
            ))
            added += 1
        for _ in range(rng.choice((0, 0, 0, 1, 2))):
            name, gender = rng.choice(CHILDREN)
            born = _date(rng, day.year - 22, day.year - 1)
            db.session.add(PersonalDate(
                contact_id=contact.id, kind="child_birthday", month=born.month, day=born.day, year=born.year,
                person_name=name, gender=gender, version=0,
            ))
            added += 1
    if contacts:
        # a leap-day birthday
        db.session.add(PersonalDate(contact_id=contacts[-1].id, kind="birthday", month=2, day=29, year=1988,
                                    gender="", version=0))
        added += 1
    db.session.flush()
    return added
