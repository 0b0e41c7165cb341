"""Walking every endpoint of the app with real records behind the ids: shared by the security tests."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from flask import Flask
from sqlalchemy import select

ALL_ROLES = ("staff", "recruiter", "privacy_officer", "admin")


def url_for_rule(rule: Any, number: str = "1") -> str:
    """The rule's URL with ``number`` for every int argument and a 43-character token for the others."""
    url = rule.rule
    for name in rule.arguments:
        converter = rule._converters[name].__class__.__name__.lower()
        value = number if ("int" in converter or "float" in converter) else "x" * 43
        url = re.sub(rf"<(?:[^:<>]+:)?{name}>", value, url)
    return url


def rules(app: Flask, methods: tuple[str, ...] = ("GET", "POST")) -> Iterator[tuple[Any, str]]:
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (is_destructive(r), r.rule)):
        for method in sorted(set(methods) & (rule.methods or set())):
            yield rule, method


def snapshot(app: Flask, ignore: dict[str, set[str]] | None = None,
             skip_rows: dict[str, Callable[[Any], bool]] | None = None) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table.

    ``ignore`` names columns per table that may change (``"*"``: the whole table); ``skip_rows`` gives per table
    a test for rows that do not count (e.g. audit entries of the action "view", which a GET may write).
    """
    from praclox.extensions import db

    ignore, skip_rows = ignore or {}, skip_rows or {}
    state = {}
    with app.app_context():
        for table in db.metadata.sorted_tables:
            skip = ignore.get(table.name, set())
            if "*" in skip:
                continue
            rows = db.session.execute(select(table)).all()
            drop = skip_rows.get(table.name)
            kept = [r for r in rows if not (drop and drop(r._mapping))]
            names = [c.name for c in table.columns if c.name not in skip]
            state[table.name] = sorted((tuple(r._mapping[n] for n in names) for r in kept), key=repr)
        db.session.remove()
    return state


def is_destructive(rule: Any) -> bool:
    """Endpoints that remove the seeded records; walked last so that the others still find them."""
    return any(word in rule.rule for word in ("delete", "purge", "erase", "remove"))


#: one function per domain, ``seeder(app)``, that creates a record of each kind the domain's URLs name by id
#: (a person, a vacancy, a feed …) and commits; the walks over every endpoint then reach real pages
SEEDERS: list[Callable[[Flask], None]] = []

#: what a GET or a refused POST may still change: the session's last-seen time
SESSION_TOUCH = {"user_sessions": {"last_seen_at"}}


def seed_records(app: Flask, make_office: Any) -> int:
    """Records with id 1 for every domain, so that ``1`` in a URL finds something: the offices here, then
    each function in ``SEEDERS``."""
    office_id = _seed_offices(app, make_office)
    for seeder in SEEDERS:
        seeder(app)
    return office_id


def _seed_offices(app: Flask, make_office: Any) -> int:
    """An office with a contact and a logged call."""
    from praclox.extensions import db
    from praclox.offices import services
    from praclox.offices.models import Office

    office_id = make_office(
        "Walk Office", contacts=({"first_name": "Walter", "last_name": "Walkerson", "email": "walter@walk.test"},)
    )
    with app.test_request_context():
        office = db.session.get(Office, office_id)
        from datetime import date

        services.log_interaction(office, kind="call", occurred_on=date(2026, 1, 5), summary="walked",
                                 contact=office.contacts[0], logged_by=None)
        db.session.commit()
    return office_id


def _seed_applicants(app: Flask) -> None:
    """A vacancy, a rejection reason, an applicant in conversation with a PDF and a consent (all id 1)."""
    from datetime import date

    from praclox.applicants import documents, services
    from praclox.extensions import db

    pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n%%EOF\n"
    with app.test_request_context():
        vacancy = services.create_vacancy("Walk vacancy")
        services.create_reason("Walk reason")
        applicant = services.create_applicant({"name": "Wanda Walker", "email": "wanda@walk.test",
                                               "vacancy_id": vacancy.id, "applied_on": date(2026, 1, 5)})
        services.change_status(applicant, "conversation")
        documents.store_document(applicant, filename="cv.pdf", data=pdf, kind="cv")
        services.record_consent(applicant, given_on=date(2026, 1, 6), method="email", evidence="walk mail")
        db.session.commit()


SEEDERS.append(_seed_applicants)
