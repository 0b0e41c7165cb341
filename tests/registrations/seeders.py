"""Registrations test data for the security walks and the every-domain subject test (see tests/seeders.py)."""

from __future__ import annotations

from flask import Flask

from praclox.extensions import db
from tests.offices.seeders import contact_id_of, walk_contact
from tests.seeders import Subject

#: the records link to the contact the offices seeders make
AFTER = ("offices",)


def seed_walk(app: Flask) -> None:
    """A registration linked to the walk contact, and an API key."""
    from praclox.registrations import services

    with app.test_request_context():
        contact = walk_contact()
        services.create_by_staff({"name": "Walter Walkerson", "email": "walter@walk.test", "newsletter": True,
                                  "office_id": contact.office_id, "contact_id": contact.id,
                                  "client_access": True}, actor=None)
        services.create_api_key("Walk website", actor=None)
        db.session.commit()


def seed_subject(app: Flask, person: Subject) -> list[str]:
    """A website registration with the contact's address, linked to the contact by staff."""
    from praclox.offices.models import Contact
    from praclox.registrations import services

    with app.test_request_context():
        contact_id = contact_id_of(person)
        office_id = db.session.get(Contact, contact_id).office_id
        services.create_by_staff({"name": f"{person.full_name} Reg", "email": person.email, "newsletter": True,
                                  "office_id": office_id, "contact_id": contact_id, "client_access": True},
                                 actor=None)
        db.session.commit()
    return [f"{person.full_name} Reg"]
