"""Wishes test data for the security walks and the every-domain subject test (see tests/seeders.py)."""

from __future__ import annotations

from datetime import date

from flask import Flask

from praclox.extensions import db
from tests.offices.seeders import contact_id_of, walk_contact
from tests.seeders import Subject

#: the records link to the contact the offices seeders make
AFTER = ("offices",)


def seed_walk(app: Flask) -> None:
    """A wish the walk contact asked for."""
    from praclox.wishes import services

    with app.test_request_context():
        contact = walk_contact()
        services.create_wish(contact.office, {"title": "Walk wish", "status": "new", "priority": "normal",
                                              "requested_on": date(2026, 1, 8), "requested_by_id": contact.id},
                             actor=None)
        db.session.commit()


def seed_subject(app: Flask, person: Subject) -> list[str]:
    """A wish the contact asked for; the wish itself is the office's, only the link is personal."""
    from praclox.offices.models import Contact
    from praclox.wishes import services

    with app.test_request_context():
        contact = db.session.get(Contact, contact_id_of(person))
        services.create_wish(contact.office, {"title": "Export to the accounting package", "status": "new",
                                              "priority": "normal", "requested_on": date(2026, 1, 8),
                                              "requested_by_id": contact.id}, actor=None)
        db.session.commit()
    return []
