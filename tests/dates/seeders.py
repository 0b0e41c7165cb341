"""Personal-dates test data for the security walks and the every-domain subject test (see tests/seeders.py)."""

from __future__ import annotations

from flask import Flask

from praclox.extensions import db
from tests.offices.seeders import contact_id_of, walk_contact
from tests.seeders import Subject

#: the records link to the contact the offices seeders make
AFTER = ("offices",)


def seed_walk(app: Flask) -> None:
    """A birthday, a child's birthday and a wedding day (congratulated) of the walk contact, and a feed."""
    from praclox.auth import services as auth_services
    from praclox.dates import feeds, services

    with app.test_request_context():
        contact = walk_contact()
        services.create_date(contact, {"kind": "birthday", "month": 3, "day": 14, "year": 1976}, actor=None)
        services.create_date(contact, {"kind": "child_birthday", "month": 7, "day": 2, "year": 2012,
                                       "person_name": "Wanda", "gender": "f"}, actor=None)
        wedding = services.create_date(contact, {"kind": "wedding", "month": 9, "day": 21, "year": 2004}, actor=None)
        services.mark_congratulated(wedding, 2025, False, "card", actor=None)
        owner, _password = auth_services.create_user("feed.owner@walk.test", "Feed Owner", ["staff"], actor=None)
        db.session.flush()
        feeds.create_feed(owner, "Walk feed", kinds=["birthday", "wedding"], show_child_names=False, actor=None)
        db.session.commit()


def seed_subject(app: Flask, person: Subject) -> list[str]:
    """The contact's birthday (with encrypted notes), a child's birthday by name and a wedding day."""
    from praclox.dates import services
    from praclox.offices.models import Contact

    child = f"Kind{person.first_name[4:]}"
    with app.test_request_context():
        contact = db.session.get(Contact, contact_id_of(person))
        services.create_date(contact, {"kind": "birthday", "month": 3, "day": 14, "year": 1976,
                                       "notes": f"Loves orchids from {person.last_name}shop"}, actor=None)
        services.create_date(contact, {"kind": "child_birthday", "month": 7, "day": 2, "year": 2012,
                                       "person_name": child, "gender": "f"}, actor=None)
        wedding = services.create_date(contact, {"kind": "wedding", "month": 9, "day": 21, "year": 2004}, actor=None)
        services.mark_congratulated(wedding, 2025, False, "card", actor=None)
        db.session.commit()
    return [child, f"Loves orchids from {person.last_name}shop"]
